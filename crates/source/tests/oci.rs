//! OCI images against Debian's real `docker-registry` (the CNCF distribution server) on
//! loopback. Every test builds its images itself — layers as tar.gz written with `tar`
//! and `flate2`, config JSON, OCI or Docker manifests — pushes them over the registry's
//! HTTP API (monolithic blob uploads, manifest PUTs) and fetches them through
//! `assay_source::prepare`, so parsing, resolution, download, flattening and reading are
//! all exercised.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use assay_core::{ProgressEvent, SkipReason};
use assay_source::{Credentials, FetchOptions, Prepared, SourceError, prepare};
use base64::Engine as _;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const DOCKER_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// The user and password of the registry that requires authentication.
const USER: &str = "alice";
const PASSWORD: &str = "correct-horse-battery-staple";

/// A registry on loopback, with its own storage; stopped when dropped.
struct Registry {
    service: support::Service,
    agent: ureq::Agent,
    auth: Option<String>,
}

impl Registry {
    /// Starts a registry, requiring Basic authentication (htpasswd) when `auth`. `None`
    /// when the registry is not installed (the test is skipped).
    fn start(auth: bool) -> Option<Registry> {
        let program = support::tool("ASSAY_TEST_REGISTRY")?;
        let dir = tempfile::tempdir().unwrap();
        let port = support::free_port();
        let root = dir.path();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: assay-test\n",
            root.join("storage").display()
        );
        if auth {
            let htpasswd = root.join("htpasswd");
            std::fs::write(&htpasswd, htpasswd_line()?).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: assay-test\n    path: {}\n",
                htpasswd.display()
            ));
        }
        std::fs::write(root.join("config.yml"), config).unwrap();
        let mut command = Command::new(program);
        command.arg("serve").arg(root.join("config.yml"));
        let service = support::Service::start(command, port, dir);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let auth = auth.then(|| {
            let pair = format!("{USER}:{PASSWORD}");
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        Some(Registry {
            service,
            agent,
            auth,
        })
    }

    /// `oci://127.0.0.1:<port>/<rest>`.
    fn target(&self, rest: &str) -> String {
        format!("oci://127.0.0.1:{}/{rest}", self.service.port)
    }

    /// Uploads a blob (POST, then a monolithic PUT) and returns its descriptor.
    fn blob(&self, repo: &str, media_type: &str, bytes: &[u8]) -> Value {
        let digest = sha256(bytes);
        let url = format!("{}/v2/{repo}/blobs/uploads/", self.service.url());
        let mut post = self.agent.post(&url);
        if let Some(auth) = &self.auth {
            post = post.header("Authorization", auth);
        }
        let response = post.send_empty().unwrap();
        assert_eq!(response.status(), 202, "{}", self.service.log());
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let location = if location.starts_with("http") {
            location
        } else {
            format!("{}{location}", self.service.url())
        };
        let separator = if location.contains('?') { '&' } else { '?' };
        let mut put = self
            .agent
            .put(&format!("{location}{separator}digest={digest}"))
            .header("Content-Type", "application/octet-stream");
        if let Some(auth) = &self.auth {
            put = put.header("Authorization", auth);
        }
        let response = put.send(bytes).unwrap();
        assert_eq!(response.status(), 201, "{}", self.service.log());
        json!({"mediaType": media_type, "digest": digest, "size": bytes.len()})
    }

    /// Uploads a manifest under `reference` (a tag or its digest) and returns its digest.
    fn manifest(&self, repo: &str, reference: &str, manifest: &Value) -> String {
        let bytes = serde_json::to_vec(manifest).unwrap();
        let media_type = manifest["mediaType"].as_str().unwrap();
        let url = format!("{}/v2/{repo}/manifests/{reference}", self.service.url());
        let mut put = self.agent.put(&url).header("Content-Type", media_type);
        if let Some(auth) = &self.auth {
            put = put.header("Authorization", auth);
        }
        let response = put.send(&bytes[..]).unwrap();
        assert_eq!(response.status(), 201, "{}", self.service.log());
        sha256(&bytes)
    }

    /// Pushes an image: its config and layers, then a manifest of `kind` tagged `tag`.
    fn push(&self, repo: &str, tag: &str, image: &Image, kind: ManifestKind) -> String {
        let manifest = self.image_manifest(repo, image, kind);
        self.manifest(repo, tag, &manifest)
    }

    /// Pushes an image's blobs and returns its manifest (not pushed).
    fn image_manifest(&self, repo: &str, image: &Image, kind: ManifestKind) -> Value {
        let (manifest_type, config_type, layer_type) = match kind {
            ManifestKind::Oci => (OCI_MANIFEST, OCI_CONFIG, OCI_LAYER),
            ManifestKind::Docker => (DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER),
        };
        let config = self.blob(
            repo,
            config_type,
            &serde_json::to_vec(&image.config).unwrap(),
        );
        let layers: Vec<Value> = image
            .layers
            .iter()
            .map(|l| self.blob(repo, layer_type, l))
            .collect();
        json!({"schemaVersion": 2, "mediaType": manifest_type, "config": config, "layers": layers})
    }

    /// The file the registry stores a blob in.
    fn blob_file(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").unwrap();
        self.service
            .dir
            .path()
            .join("storage/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }
}

/// An `alice:<bcrypt>` htpasswd line, made with the test venv's passlib.
fn htpasswd_line() -> Option<String> {
    let python = support::tool("ASSAY_TEST_PYTHON")?;
    let output = Command::new(python)
        .env("PASSLIB_BUILTIN_BCRYPT", "enabled")
        .args([
            "-c",
            "import sys; from passlib.hash import bcrypt; print(sys.argv[1] + ':' + bcrypt.using(rounds=5).hash(sys.argv[2]))",
            USER,
            PASSWORD,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8(output.stdout).unwrap())
}

#[derive(Clone, Copy)]
enum ManifestKind {
    Oci,
    Docker,
}

/// An image to push: a config and gzip layers, bottom first.
struct Image {
    config: Value,
    layers: Vec<Vec<u8>>,
}

/// One entry of a layer.
enum Item<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
}

/// A gzip-compressed layer tarball.
fn layer(items: &[Item<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for item in items {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        match item {
            Item::File(path, content) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(0o755);
                header.set_size(content.len() as u64);
                builder.append_data(&mut header, path, *content).unwrap();
            }
            Item::Dir(path) => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
                builder.append_data(&mut header, path, &[][..]).unwrap();
            }
            Item::Symlink(path, target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder.append_link(&mut header, path, target).unwrap();
            }
        }
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// A config for `linux/<arch>` with `run` as its `config` object and `history`.
fn config(arch: &str, run: Value, history: &[&str]) -> Value {
    let history: Vec<Value> = history.iter().map(|h| json!({"created_by": h})).collect();
    json!({
        "architecture": arch,
        "os": "linux",
        "config": run,
        "history": history,
        "rootfs": {"type": "layers", "diff_ids": []},
    })
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn options(cache: &tempfile::TempDir) -> FetchOptions {
    support::options(cache.path())
}

/// Prepares `target`, recording the progress events.
fn fetch(
    target: &str,
    options: &FetchOptions,
) -> (Result<Prepared, SourceError>, Vec<ProgressEvent>) {
    let events = Mutex::new(Vec::new());
    let result = prepare(target, options, &|e: &ProgressEvent| {
        events.lock().unwrap().push(e.clone())
    });
    (result, events.into_inner().unwrap())
}

/// The files read from a prepared image, by path.
fn files(prepared: &Prepared) -> BTreeMap<String, String> {
    let (entries, _) = support::read_all(prepared);
    entries
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

fn downloads(events: &[ProgressEvent]) -> Vec<String> {
    let mut whats: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            ProgressEvent::Download { what, .. } => Some(what.clone()),
            _ => None,
        })
        .collect();
    whats.dedup();
    whats
}

#[test]
fn layers_flatten_with_whiteouts_opaque_dirs_and_later_layers_winning() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let base = layer(&[
        Item::File("etc/passwd", b"root:x:0:0"),
        Item::File("usr/lib/os/lib.js", b"os library"),
        Item::File("bin/sh", b"\x7fELF"),
        Item::Dir("app"),
        Item::File("app/package.json", br#"{"name":"server"}"#),
        Item::File("app/secret.txt", b"deleted secret"),
        Item::File("app/old/a.js", b"deleted dir"),
        Item::File("app/cfg/x.js", b"hidden by opaque"),
        Item::File("app/cfg/y.js", b"hidden by opaque"),
        Item::File("app/index.js", b"v1"),
    ]);
    let middle = layer(&[
        Item::File("app/.wh.secret.txt", b""),
        Item::File("app/.wh.old", b""),
        Item::File("app/cfg/z.js", b"same layer as opaque"),
        Item::File("app/cfg/.wh..wh..opq", b""),
    ]);
    let top = layer(&[
        Item::File("app/old/new.js", b"re-added"),
        Item::File("app/index.js", b"v3"),
        Item::Symlink("app/passwd.js", "../etc/passwd"),
    ]);
    let run = json!({"User": "node", "WorkingDir": "/app", "Cmd": ["node", "/app/index.js"]});
    let image = Image {
        config: config("amd64", run, &[]),
        layers: vec![base, middle, top],
    };
    let digest = registry.push("team/server", "1.0", &image, ManifestKind::Docker);

    let cache = tempfile::tempdir().unwrap();
    let (prepared, _) = fetch(&registry.target("team/server:1.0"), &options(&cache));
    let prepared = prepared.unwrap();
    let files = files(&prepared);
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            ".image.Dockerfile",
            "app/cfg/z.js",
            "app/index.js",
            "app/old/new.js",
            "app/package.json"
        ]
    );
    assert_eq!(files["app/index.js"], "v3");
    assert_eq!(files["app/old/new.js"], "re-added");
    let (_, summary) = support::read_all(&prepared);
    let link = summary
        .skipped
        .iter()
        .find(|s| s.path == "app/passwd.js")
        .expect("the link is recorded");
    assert_eq!(link.reason, SkipReason::Symlink);

    assert_eq!(
        prepared.canonical_id,
        format!(
            "oci://127.0.0.1:{}/team/server@{digest}",
            registry.service.port
        )
    );
    let resolution = prepared.resolution.as_ref().unwrap();
    assert_eq!(resolution.artifact_digest.as_deref(), Some(digest.as_str()));
    assert_eq!(resolution.artifact.as_deref(), Some("linux/amd64"));
    let image = resolution.image.as_ref().unwrap();
    assert_eq!(image.app_roots, ["/app"]);
    assert_eq!(image.user.as_deref(), Some("node"));
    assert_eq!(image.cmd, ["node", "/app/index.js"]);
}

#[test]
fn a_multi_platform_index_resolves_to_linux_amd64() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let platform_image = |arch: &str| {
        let run = json!({"WorkingDir": "/app", "Cmd": ["node", "server.js"]});
        let content = format!("console.log('{arch}')");
        Image {
            config: config(arch, run, &[]),
            layers: vec![layer(&[Item::File("app/server.js", content.as_bytes())])],
        }
    };
    let mut entries = Vec::new();
    for arch in ["arm64", "amd64", "s390x"] {
        let manifest = registry.image_manifest("multi", &platform_image(arch), ManifestKind::Oci);
        let bytes = serde_json::to_vec(&manifest).unwrap();
        let digest = registry.manifest("multi", &sha256(&bytes), &manifest);
        entries.push(json!({
            "mediaType": OCI_MANIFEST,
            "digest": digest,
            "size": bytes.len(),
            "platform": {"architecture": arch, "os": "linux"},
        }));
    }
    let amd64_digest = entries[1]["digest"].as_str().unwrap().to_string();
    let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries});
    let index_digest = registry.manifest("multi", "latest", &index);

    let cache = tempfile::tempdir().unwrap();
    let (prepared, _) = fetch(&registry.target("multi"), &options(&cache));
    let prepared = prepared.unwrap();
    assert_eq!(files(&prepared)["app/server.js"], "console.log('amd64')");
    assert!(
        prepared
            .canonical_id
            .ends_with(&format!("/multi@{index_digest}"))
    );
    let resolution = prepared.resolution.as_ref().unwrap();
    assert_eq!(
        resolution.artifact_digest.as_deref(),
        Some(amd64_digest.as_str())
    );
    assert_eq!(resolution.artifact.as_deref(), Some("linux/amd64"));

    let without_amd64 = json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [entries[0], entries[2]],
    });
    registry.manifest("multi", "no-amd64", &without_amd64);
    let (result, events) = fetch(&registry.target("multi:no-amd64"), &options(&cache));
    let error = result.unwrap_err();
    assert_eq!(error.code(), "REMOTE_UNUSABLE");
    assert!(
        error
            .to_string()
            .contains("no linux/amd64 image; available platforms: linux/arm64, linux/s390x"),
        "{error}"
    );
    assert!(downloads(&events).is_empty(), "nothing is downloaded");
}

#[test]
fn by_tag_by_digest_and_from_the_cache() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let big: Vec<u8> = (0..600_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let image = Image {
        config: config("amd64", json!({"WorkingDir": "/srv/mcp"}), &[]),
        layers: vec![
            layer(&[Item::File("srv/mcp/data.bin", &big)]),
            layer(&[Item::File("srv/mcp/server.py", b"print('hi')")]),
        ],
    };
    let digest = registry.push("cached", "v1", &image, ManifestKind::Oci);
    let cache = tempfile::tempdir().unwrap();
    let options = options(&cache);

    let (first, events) = fetch(&registry.target("cached:v1"), &options);
    let first = first.unwrap();
    assert!(!first.from_cache);
    assert_eq!(
        downloads(&events),
        ["image config", "layer 1/2", "layer 2/2"]
    );
    let progress = events
        .iter()
        .filter(|e| matches!(e, ProgressEvent::Download { what, .. } if what == "layer 1/2"))
        .count();
    assert!(progress >= 2, "large layers report progress as they arrive");

    let (again, events) = fetch(&registry.target("cached:v1"), &options);
    let again = again.unwrap();
    assert!(again.from_cache);
    assert!(downloads(&events).is_empty(), "{events:?}");
    assert_eq!(again.canonical_id, first.canonical_id);
    assert_eq!(files(&again), files(&first));

    let by_digest = registry.target(&format!("cached@{digest}"));
    let (pinned, _) = fetch(&by_digest, &options);
    let pinned = pinned.unwrap();
    assert_eq!(pinned.canonical_id, first.canonical_id);
    assert!(pinned.from_cache);

    // A digest names content: with the registry gone, the cache still serves it; a tag
    // needs the registry.
    drop(registry);
    let (offline, _) = fetch(&by_digest, &options);
    assert_eq!(files(&offline.unwrap())["srv/mcp/server.py"], "print('hi')");
    let (tag_offline, _) = fetch(&first.target.to_string(), &options);
    assert_eq!(tag_offline.unwrap_err().code(), "NETWORK_ERROR");
}

#[test]
fn the_config_becomes_a_dockerfile_the_container_rules_judge() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let token = format!("ghp_{}", "Ab1".repeat(12));
    let run = json!({
        "Env": ["PATH=/usr/local/bin:/usr/bin", format!("GITHUB_TOKEN={token}")],
        "Cmd": ["node", "server.js", "--host", "0.0.0.0"],
        "WorkingDir": "/app",
        "ExposedPorts": {"8080/tcp": {}},
    });
    let history = [
        "/bin/sh -c #(nop) ADD file:0123 in / ",
        "/bin/sh -c #(nop)  CMD [\"bash\"]",
        "RUN /bin/sh -c curl -fsSL https://get.example.invalid/install.sh | sh # buildkit",
        "WORKDIR /app",
        "COPY . /app # buildkit",
    ];
    let image = Image {
        config: config("amd64", run, &history),
        layers: vec![layer(&[Item::File("app/server.js", b"require('http')")])],
    };
    let digest = registry.push("rooted", "latest", &image, ManifestKind::Oci);
    let cache = tempfile::tempdir().unwrap();
    let (prepared, _) = fetch(&registry.target("rooted"), &options(&cache));
    let prepared = prepared.unwrap();
    let dockerfile = files(&prepared).remove(".image.Dockerfile").unwrap();
    let from = format!("FROM 127.0.0.1:{}/rooted@{digest}\n", registry.service.port);
    let body = format!(
        "{from}ADD file:0123 in /\n\
         RUN curl -fsSL https://get.example.invalid/install.sh | sh\n\
         COPY . /app\n\
         WORKDIR /app\n\
         ENV PATH=\"/usr/local/bin:/usr/bin\"\n\
         ENV GITHUB_TOKEN=\"{token}\"\n\
         # The config sets no User: the container runs as root.\n\
         USER root\n\
         EXPOSE 8080/tcp\n\
         CMD [\"node\",\"server.js\",\"--host\",\"0.0.0.0\"]\n"
    );
    assert!(dockerfile.ends_with(&body), "{dockerfile}");
    let image = prepared
        .resolution
        .as_ref()
        .unwrap()
        .image
        .as_ref()
        .unwrap();
    assert_eq!(image.user, None);
    assert_eq!(image.env_names, ["PATH", "GITHUB_TOKEN"]);
    assert_eq!(image.exposed_ports, ["8080/tcp"]);

    // The rules read it like any Dockerfile: root, download-and-run, the secret in ENV
    // (redacted), and no complaint about a mutable base (the FROM is pinned).
    let findings = container_and_secret_findings(".image.Dockerfile", &dockerfile);
    let ids: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    for expected in ["AS801", "AS802", "AS803"] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    assert!(!ids.contains(&"AS804"), "{ids:?}");
    let json = serde_json::to_string(&findings).unwrap();
    assert!(!json.contains(&token), "the token is redacted: {json}");
}

/// The findings of the container (`AS8xx`) and secret (`AS6xx`) rules on one file.
fn container_and_secret_findings(path: &str, text: &str) -> Vec<assay_core::Finding> {
    let file = assay_rules::FileContext::new(
        path,
        text,
        assay_rules::lang::Language::from_path(path),
        None,
    );
    let mut out = Vec::new();
    for rule in assay_rules::container::RULES
        .iter()
        .chain(assay_rules::secrets::RULES)
    {
        rule.check_file(&file, &mut out);
    }
    out
}

#[test]
fn application_roots_come_from_the_workdir_and_the_command() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let site = "usr/local/lib/python3.12/site-packages";
    let script = b"#!/usr/local/bin/python3.12\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom mcp_weather.server import main\nif __name__ == '__main__':\n    sys.exit(main())\n";
    let python_layer = layer(&[
        Item::File("usr/local/bin/python3.12", b"\x7fELF python"),
        Item::Symlink("usr/local/bin/python3", "python3.12"),
        Item::File("usr/local/bin/mcp-weather", script),
        Item::File(&format!("{site}/mcp_weather/__init__.py"), b""),
        Item::File(&format!("{site}/mcp_weather/server.py"), b"import requests"),
        Item::File(&format!("{site}/requests/__init__.py"), b"dependency"),
        Item::File("usr/lib/python3/dist-packages/apt/x.py", b"os package"),
        Item::File("home/app/.bashrc", b"alias x=y"),
        Item::File("opt/tool/x.js", b"unrelated"),
        Item::File("data/work/config.json", b"{}"),
    ]);
    let node_layer = layer(&[
        Item::File("usr/local/bin/node", b"\x7fELF node"),
        Item::File(
            "usr/local/lib/node_modules/@acme/mcp-server/package.json",
            br#"{"name":"@acme/mcp-server"}"#,
        ),
        Item::File(
            "usr/local/lib/node_modules/@acme/mcp-server/dist/index.js",
            b"#!/usr/bin/env node",
        ),
        Item::File(
            "usr/local/lib/node_modules/@acme/mcp-server/node_modules/dep/index.js",
            b"dep",
        ),
        Item::File("usr/local/lib/node_modules/npm/index.js", b"npm itself"),
        Item::Symlink(
            "usr/local/bin/mcp-server",
            "../lib/node_modules/@acme/mcp-server/dist/index.js",
        ),
    ]);
    let cases: [(&str, Value, &[&str]); 3] = [
        (
            "console-script",
            json!({"Entrypoint": ["mcp-weather"], "Cmd": ["--port", "8080"], "WorkingDir": "/data/work"}),
            &[
                "/data/work",
                "/usr/local/lib/python3.12/site-packages/mcp_weather",
            ],
        ),
        (
            "module",
            json!({"Cmd": ["python3", "-m", "mcp_weather.server"]}),
            &["/usr/local/lib/python3.12/site-packages/mcp_weather"],
        ),
        (
            "npm-global",
            json!({"Entrypoint": ["mcp-server"], "WorkingDir": "/"}),
            &["/usr/local/lib/node_modules/@acme/mcp-server"],
        ),
    ];
    let cache = tempfile::tempdir().unwrap();
    for (tag, run, expected_roots) in cases {
        let layers = match tag {
            "npm-global" => vec![node_layer.clone()],
            _ => vec![python_layer.clone()],
        };
        let image = Image {
            config: config("amd64", run, &[]),
            layers,
        };
        registry.push("roots", tag, &image, ManifestKind::Oci);
        let (prepared, _) = fetch(&registry.target(&format!("roots:{tag}")), &options(&cache));
        let prepared = prepared.unwrap();
        let image = prepared.resolution.as_ref().unwrap().image.clone().unwrap();
        assert_eq!(image.app_roots, expected_roots, "{tag}");
        let paths: Vec<String> = files(&prepared).into_keys().collect();
        for path in &paths {
            let inside = path == ".image.Dockerfile"
                || expected_roots
                    .iter()
                    .any(|root| path.starts_with(&format!("{}/", &root[1..])));
            assert!(inside, "{tag}: {path} is outside {expected_roots:?}");
        }
        match tag {
            "console-script" => {
                assert!(paths.contains(&format!("{site}/mcp_weather/server.py")));
                assert!(paths.contains(&"data/work/config.json".to_string()));
            }
            "npm-global" => assert!(
                paths.contains(
                    &"usr/local/lib/node_modules/@acme/mcp-server/node_modules/dep/index.js"
                        .to_string()
                )
            ),
            _ => {}
        }
    }

    // `--base-path` names the image directory to read instead.
    let mut chosen = options(&cache);
    chosen.base_path = Some("/opt/tool".into());
    let (prepared, _) = fetch(&registry.target("roots:module"), &chosen);
    let prepared = prepared.unwrap();
    let image = prepared.resolution.as_ref().unwrap().image.clone().unwrap();
    assert_eq!(image.app_roots, ["/opt/tool"]);
    assert_eq!(
        files(&prepared).into_keys().collect::<Vec<_>>(),
        ["opt/tool/x.js"]
    );
}

#[test]
fn content_that_does_not_match_its_digest_is_refused() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let image = Image {
        config: config("amd64", json!({"WorkingDir": "/app"}), &[]),
        layers: vec![layer(&[Item::File("app/index.js", b"original content")])],
    };
    let manifest = registry.image_manifest("tampered", &image, ManifestKind::Oci);
    let manifest_digest = registry.manifest("tampered", "layer", &manifest);
    let layer_digest = manifest["layers"][0]["digest"].as_str().unwrap();
    // The registry serves whatever its storage holds: swap the layer's bytes (same
    // length) behind its back.
    let stored = registry.blob_file(layer_digest);
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&stored, &bytes).unwrap();

    let cache = tempfile::tempdir().unwrap();
    let (result, _) = fetch(&registry.target("tampered:layer"), &options(&cache));
    let error = result.unwrap_err();
    assert_eq!(error.code(), "INTEGRITY_MISMATCH", "{error}");
    assert!(error.to_string().contains(layer_digest), "{error}");
    let cached_layers = std::fs::read_dir(cache.path().join("blobs/sha256"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy() == layer_digest[7..])
        .count();
    assert_eq!(cached_layers, 0, "nothing unverified is cached");

    // A tampered manifest (still valid JSON) no longer matches the digest it is served
    // under.
    let stored = registry.blob_file(&manifest_digest);
    let text = std::fs::read_to_string(&stored).unwrap();
    let tampered = text.replacen("\"schemaVersion\":2", "\"schemaVersion\": 2", 1);
    assert_ne!(text, tampered);
    std::fs::write(&stored, tampered).unwrap();
    let (result, _) = fetch(&registry.target("tampered:layer"), &options(&cache));
    let error = result.unwrap_err();
    assert_eq!(error.code(), "INTEGRITY_MISMATCH", "{error}");
    assert!(error.to_string().contains("manifest"), "{error}");

    // zstd layers are refused by type, before downloading.
    let zstd_blob = registry.blob(
        "tampered",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        b"\x28\xb5\x2f\xfd",
    );
    let config = registry.blob(
        "tampered",
        OCI_CONFIG,
        br#"{"os":"linux","architecture":"amd64"}"#,
    );
    let zstd = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": [zstd_blob]});
    registry.manifest("tampered", "zstd", &zstd);
    let (result, _) = fetch(&registry.target("tampered:zstd"), &options(&cache));
    let error = result.unwrap_err().to_string();
    assert!(
        error.contains("zstd-compressed layers are not supported"),
        "{error}"
    );
}

#[test]
fn a_registry_requiring_auth_takes_basic_credentials() {
    let Some(registry) = Registry::start(true) else {
        return;
    };
    let image = Image {
        config: config("amd64", json!({"WorkingDir": "/app"}), &[]),
        layers: vec![layer(&[Item::File("app/private.js", b"private")])],
    };
    registry.push("private/server", "1", &image, ManifestKind::Oci);
    let target = registry.target("private/server:1");
    let cache = tempfile::tempdir().unwrap();

    let (result, _) = fetch(&target, &options(&cache));
    let error = result.unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED");
    assert!(error.to_string().contains("pass --token"), "{error}");

    let mut wrong = options(&cache);
    wrong.credentials = Some(Credentials::new(None, Some(USER.into()), "wrong-password").unwrap());
    let (result, _) = fetch(&target, &wrong);
    let error = result.unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED");
    assert!(error.to_string().contains("not accepted"), "{error}");
    assert!(!error.to_string().contains("wrong-password"));

    let mut right = options(&cache);
    right.credentials = Some(Credentials::new(None, Some(USER.into()), PASSWORD).unwrap());
    let (prepared, _) = fetch(&target, &right);
    let prepared = prepared.unwrap();
    assert_eq!(files(&prepared)["app/private.js"], "private");
}

#[test]
fn loopback_registries_are_refused_without_the_private_network_flag() {
    let cache = tempfile::tempdir().unwrap();
    let mut guarded = options(&cache);
    guarded.policy.allow_private_network = false;
    let (result, events) = fetch("oci://127.0.0.1:5000/team/server:1", &guarded);
    let error = result.unwrap_err();
    assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED", "{error}");
    assert!(downloads(&events).is_empty());
}

#[test]
fn unknown_tags_and_repositories_are_not_found() {
    let Some(registry) = Registry::start(false) else {
        return;
    };
    let image = Image {
        config: config("amd64", json!({}), &[]),
        layers: vec![layer(&[Item::File("app/a.js", b"a")])],
    };
    registry.push("known", "1.0", &image, ManifestKind::Oci);
    registry.push("known", "2.0", &image, ManifestKind::Oci);
    let cache = tempfile::tempdir().unwrap();

    let (result, _) = fetch(&registry.target("known:9.9"), &options(&cache));
    let error = result.unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND");
    assert!(
        error.to_string().contains("available tags: 1.0, 2.0"),
        "{error}"
    );

    let (result, _) = fetch(&registry.target("unknown/repo:1"), &options(&cache));
    assert_eq!(result.unwrap_err().code(), "REMOTE_NOT_FOUND");

    let missing = format!("known@sha256:{}", "0".repeat(64));
    let (result, _) = fetch(&registry.target(&missing), &options(&cache));
    assert_eq!(result.unwrap_err().code(), "REMOTE_NOT_FOUND");
}
