//! npm targets against a real Verdaccio on loopback, offline (no uplinks), with htpasswd
//! auth: packages are published with the real `npm publish`, then fetched, verified,
//! cached and read.

mod fixture;
mod support;

use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use assay_core::ProgressEvent;
use assay_source::{CacheMode, Credentials, FetchOptions, prepare};
use fixture::SharedService;
use support::{entry, fetch};

/// The registry of this test binary: started and populated once.
struct Registry {
    service: SharedService,
    /// A publish token of the registry's one user.
    token: String,
}

/// What is published: `(name, version, dist-tag)`, in publishing order.
const PACKAGES: [(&str, &str, Option<&str>); 6] = [
    ("mcp-demo", "1.0.0", None),
    ("mcp-demo", "1.1.0", None),
    ("mcp-demo", "2.0.0-beta.1", Some("next")),
    ("@private/secret-server", "1.0.0", None),
    ("mcp-tampered", "1.0.0", None),
    ("mcp-cached", "1.0.0", None),
];

const CONFIG: &str = "storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 10
uplinks: {}
packages:
  '@private/*':
    access: $authenticated
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
log: { type: stdout, format: pretty, level: warn }
";

fn registry() -> Option<&'static Registry> {
    static REGISTRY: OnceLock<Option<Registry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| support::tool("ASSAY_TEST_VERDACCIO").map(|v| start_registry(&v)))
        .as_ref()
}

fn start_registry(verdaccio: &Path) -> Registry {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.yaml"), CONFIG).unwrap();
    let port = support::free_port();
    let config = dir.path().join("config.yaml").display().to_string();
    let args = [
        "--config".to_string(),
        config,
        "--listen".to_string(),
        format!("127.0.0.1:{port}"),
    ];
    let service = SharedService::start(verdaccio, &args, port, dir);
    let token = create_user(&service.url());
    let registry = Registry { service, token };
    let work = tempfile::tempdir().unwrap();
    for (name, version, tag) in PACKAGES {
        publish(&registry, work.path(), name, version, tag);
    }
    tamper("mcp-tampered", "1.0.0", &registry);
    registry
}

/// Registers a user over the registry API and returns its token.
fn create_user(url: &str) -> String {
    let body = r#"{"name":"alice","password":"correct-horse-battery"}"#;
    let mut response = ureq::put(&format!("{url}/-/user/org.couchdb.user:alice"))
        .content_type("application/json")
        .send(body)
        .unwrap();
    let text = response.body_mut().read_to_string().unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {text}"))
        .to_string()
}

/// A small MCP server package, published with the real npm client and a throwaway
/// configuration (the machine's npm configuration is not used).
fn publish(registry: &Registry, work: &Path, name: &str, version: &str, tag: Option<&str>) {
    let dir = work.join(format!("{}-{version}", name.replace('/', "-")));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = serde_json::json!({
        "name": name,
        "version": version,
        "main": "index.js",
        "bin": { "mcp-server": "index.js" },
        "license": "MIT",
    });
    std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
    std::fs::write(dir.join("index.js"), server_source(name, version)).unwrap();
    let npmrc = work.join("npmrc");
    let host = registry
        .service
        .url()
        .trim_start_matches("http:")
        .to_string();
    std::fs::write(
        &npmrc,
        format!(
            "{host}/:_authToken={}\nupdate-notifier=false\naudit=false\nfund=false\n",
            registry.token
        ),
    )
    .unwrap();
    let mut npm = Command::new("npm");
    npm.current_dir(&dir)
        .arg("publish")
        .arg("--registry")
        .arg(format!("{}/", registry.service.url()))
        .arg("--userconfig")
        .arg(&npmrc)
        .arg("--globalconfig")
        .arg(work.join("no-global-npmrc"))
        .arg("--ignore-scripts")
        .env_remove("NPM_CONFIG_REGISTRY")
        .env_remove("npm_config_registry");
    if let Some(tag) = tag {
        npm.args(["--tag", tag]);
    }
    fixture::run(&mut npm);
}

fn server_source(name: &str, version: &str) -> String {
    format!(
        "// {name} {version}\n\
         const {{ McpServer }} = require(\"@modelcontextprotocol/sdk/server/mcp.js\");\n\
         const server = new McpServer({{ name: \"{name}\", version: \"{version}\" }});\n\
         server.tool(\"echo\", {{}}, async ({{ text }}) => ({{ content: [{{ type: \"text\", text }}] }}));\n"
    )
}

/// Replaces a published tarball in Verdaccio's storage with other (valid) content, so
/// that it no longer matches the integrity in the packument.
fn tamper(name: &str, version: &str, registry: &Registry) {
    let storage = registry.service.dir.join("storage");
    let tarball = storage.join(name).join(format!("{name}-{version}.tgz"));
    let other = storage.join("mcp-demo").join("mcp-demo-1.0.0.tgz");
    assert!(tarball.is_file(), "{} is missing", tarball.display());
    std::fs::copy(other, tarball).unwrap();
}

fn options_for(registry: &Registry, cache: &Path) -> FetchOptions {
    let mut options = support::options(cache);
    options.endpoints.npm_registry = Some(registry.service.url());
    options
}

#[test]
fn resolves_latest_exact_range_and_dist_tag() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(registry, cache.path());
    for (input, version) in [
        ("npm:mcp-demo", "1.1.0"),
        ("mcp-demo@1.0.0", "1.0.0"),
        ("npm:mcp-demo@^1.0.0", "1.1.0"),
        ("npm:mcp-demo@~1.0.0", "1.0.0"),
        ("npm:mcp-demo@next", "2.0.0-beta.1"),
        ("npm:mcp-demo@>=2.0.0-beta.0", "2.0.0-beta.1"),
    ] {
        let prepared = fetch(input, &options).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            prepared.canonical_id,
            format!("npm:mcp-demo@{version}"),
            "{input}"
        );
        let resolution = prepared.resolution.clone().unwrap();
        assert_eq!(resolution.version.as_deref(), Some(version), "{input}");
        assert_eq!(
            resolution.artifact,
            Some(format!("mcp-demo-{version}.tgz")),
            "{input}"
        );
        let digest = resolution.artifact_digest.unwrap();
        assert!(digest.starts_with("sha512:"), "{digest}");
        // The reader strips npm's `package/` prefix.
        assert!(entry(&prepared, "index.js").starts_with(&format!("// mcp-demo {version}\n")));
        assert!(entry(&prepared, "package.json").contains(&format!("\"version\":\"{version}\"")));
    }
}

#[test]
fn private_scoped_package_needs_the_token() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut options = options_for(registry, cache.path());
    let error = fetch("@private/secret-server", &options).unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED", "{error}");
    assert!(error.to_string().contains("--token"), "{error}");

    let wrong = "wrong-token-value-123";
    options.credentials = Some(Credentials::new(None, None, wrong).unwrap());
    let error = fetch("@private/secret-server", &options).unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED", "{error}");
    assert!(error.to_string().contains("not accepted"), "{error}");
    assert!(!error.to_string().contains(wrong), "{error}");

    options.credentials = Some(Credentials::new(None, None, &registry.token).unwrap());
    let prepared = fetch("@private/secret-server", &options).unwrap();
    assert_eq!(prepared.canonical_id, "npm:@private/secret-server@1.0.0");
    let resolution = prepared.resolution.clone().unwrap();
    assert_eq!(
        resolution.artifact.as_deref(),
        Some("secret-server-1.0.0.tgz")
    );
    assert!(entry(&prepared, "index.js").starts_with("// @private/secret-server 1.0.0\n"));
}

#[test]
fn tampered_tarball_fails_integrity_and_nothing_is_cached() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let error = fetch("npm:mcp-tampered", &options_for(registry, cache.path())).unwrap_err();
    assert_eq!(error.code(), "INTEGRITY_MISMATCH", "{error}");
    let message = error.to_string();
    assert!(message.contains("mcp-tampered-1.0.0.tgz"), "{message}");
    assert!(message.contains("expected sha512:"), "{message}");
    assert_eq!(
        fixture::files_under(cache.path()),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn repeated_fetch_comes_from_the_cache() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(registry, cache.path());
    let downloads = Mutex::new(Vec::new());
    let progress = |event: &ProgressEvent| {
        if let ProgressEvent::Download { what, done, .. } = event {
            downloads.lock().unwrap().push((what.clone(), *done));
        }
    };
    let first = prepare("npm:mcp-cached", &options, &progress).unwrap();
    assert!(!first.from_cache);
    let events = std::mem::take(&mut *downloads.lock().unwrap());
    assert_eq!(
        events.first(),
        Some(&("mcp-cached-1.0.0.tgz".to_string(), 0))
    );
    assert!(events.last().unwrap().1 > 0, "{events:?}");
    let digest = first.resolution.clone().unwrap().artifact_digest.unwrap();
    let (algorithm, hex) = digest.split_once(':').unwrap();
    assert!(
        cache
            .path()
            .join("blobs")
            .join(algorithm)
            .join(hex)
            .is_file()
    );
    drop(first);

    let second = prepare("npm:mcp-cached", &options, &progress).unwrap();
    assert!(second.from_cache);
    assert!(
        downloads.lock().unwrap().is_empty(),
        "a cached artifact is not downloaded"
    );
    assert!(entry(&second, "index.js").starts_with("// mcp-cached 1.0.0\n"));
}

#[test]
fn without_a_cache_nothing_persists() {
    let Some(registry) = registry() else { return };
    let unused = tempfile::tempdir().unwrap();
    let mut options = options_for(registry, unused.path());
    options.cache = CacheMode::Off;
    for _ in 0..2 {
        let prepared = fetch("npm:mcp-demo@1.0.0", &options).unwrap();
        assert!(!prepared.from_cache);
        let digest = prepared
            .resolution
            .clone()
            .unwrap()
            .artifact_digest
            .unwrap();
        assert!(fixture::temporary_blob(&digest).is_some());
        assert!(entry(&prepared, "index.js").starts_with("// mcp-demo 1.0.0\n"));
        drop(prepared);
        assert_eq!(fixture::temporary_blob(&digest), None);
    }
    assert_eq!(
        fixture::files_under(unused.path()),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn loopback_registry_is_refused_without_permission() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut options = options_for(registry, cache.path());
    options.policy.allow_private_network = false;
    let error = fetch("npm:mcp-demo", &options).unwrap_err();
    assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED", "{error}");
    assert_eq!(
        fixture::files_under(cache.path()),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn unknown_package_or_version_is_not_found() {
    let Some(registry) = registry() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(registry, cache.path());
    let error = fetch("npm:no-such-package", &options).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert!(error.to_string().contains("no-such-package"), "{error}");

    let error = fetch("npm:mcp-demo@9.9.9", &options).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    let message = error.to_string();
    assert!(
        message.contains("version `9.9.9` of npm package mcp-demo"),
        "{message}"
    );
    assert!(message.contains("latest is 1.1.0"), "{message}");
    assert!(message.contains("2.0.0-beta.1"), "{message}");

    let error = fetch("npm:mcp-demo@^3", &options).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert_eq!(
        fixture::files_under(cache.path()),
        Vec::<std::path::PathBuf>::new()
    );
}
