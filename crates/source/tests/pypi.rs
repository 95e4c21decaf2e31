//! PyPI targets against real pypiserver instances on loopback (fallback to any public
//! index disabled): an open one, and one that requires basic auth to list and download.
//! Distributions of small FastMCP-style servers are built with the real build tooling
//! and uploaded over HTTP with pypiserver's upload API; then fetched, verified, cached
//! and read. pypiserver serves the PEP 503 HTML API; the PEP 691 JSON form is covered
//! by the unit tests of `remote::pypi::simple`.

mod fixture;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Mutex, OnceLock};

use assay_core::ProgressEvent;
use assay_source::{Credentials, FetchOptions, prepare};
use fixture::SharedService;
use support::{entry, fetch};

/// The indexes of this test binary: started and populated once.
struct Indexes {
    open: SharedService,
    private: SharedService,
}

/// The private index's users: `__token__` (the default user name) and a named one.
const TOKEN: &str = "pypi-test-token-0123456789";
const USER: (&str, &str) = ("alice", "correct-horse-battery");

/// What is built: `(project, version, sdist too?, private index?)`.
const PROJECTS: [(&str, &str, bool, bool); 7] = [
    ("demo-mcp-server", "1.0.0", true, false),
    ("demo-mcp-server", "1.1.0", true, false),
    ("demo-mcp-server", "2.0.0rc1", true, false),
    ("wheel-only-mcp", "0.3.0", false, false),
    ("tampered-mcp", "1.0.0", true, false),
    ("cached-mcp", "1.0.0", true, false),
    ("private-mcp", "1.0.0", true, true),
];

/// Uploads files with pypiserver's upload API: `upload.py URL USER PASSWORD FILE…`
/// (empty user: no auth).
const UPLOAD: &str = r#"
import base64, os, sys, urllib.request, uuid
url, user, password, *files = sys.argv[1:]
for path in files:
    boundary = uuid.uuid4().hex
    name = os.path.basename(path)
    with open(path, "rb") as f:
        content = f.read()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="{name}"\r\n'
        'Content-Type: application/octet-stream\r\n\r\n'
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, (path, response.status)
"#;

/// Writes an htpasswd file: `htpasswd.py FILE USER PASSWORD [USER PASSWORD…]`.
const HTPASSWD: &str = r#"
import sys
from passlib.apache import HtpasswdFile
path, *pairs = sys.argv[1:]
users = HtpasswdFile(path, new=True)
for user, password in zip(pairs[::2], pairs[1::2]):
    users.set_password(user, password)
users.save()
"#;

fn indexes() -> Option<&'static Indexes> {
    static INDEXES: OnceLock<Option<Indexes>> = OnceLock::new();
    INDEXES
        .get_or_init(|| {
            let server = support::tool("ASSAY_TEST_PYPISERVER")?;
            let python = support::tool("ASSAY_TEST_PYTHON")?;
            Some(start_indexes(&server, &python))
        })
        .as_ref()
}

fn start_indexes(server: &Path, python: &Path) -> Indexes {
    let work = tempfile::tempdir().unwrap();
    let dist = build_all(python, work.path());

    let open_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(open_dir.path().join("packages")).unwrap();
    let port = support::free_port();
    let open = SharedService::start(server, &server_args(port, None), port, open_dir);

    let private_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(private_dir.path().join("packages")).unwrap();
    let htpasswd = private_dir.path().join("htpasswd");
    fixture::run(
        Command::new(python)
            .args(["-c", HTPASSWD])
            .arg(&htpasswd)
            .args(["__token__", TOKEN, USER.0, USER.1]),
    );
    let port = support::free_port();
    let private = SharedService::start(
        server,
        &server_args(port, Some("htpasswd")),
        port,
        private_dir,
    );

    for (project, version, _, private_index) in PROJECTS {
        let files = dist_files(&dist, project, version);
        let (index, user, password) = if private_index {
            (&private, USER.0, USER.1)
        } else {
            (&open, "", "")
        };
        fixture::run(
            Command::new(python)
                .args(["-c", UPLOAD, &format!("{}/", index.url()), user, password])
                .args(&files),
        );
    }
    Indexes { open, private }
}

/// pypiserver's arguments: no fallback to a public index; with `passwords`, listing
/// and downloading need authentication, else nothing does.
fn server_args(port: u16, passwords: Option<&str>) -> Vec<String> {
    let (passwords, authenticate) = match passwords {
        Some(file) => (file, "download,list,update"),
        None => (".", "."),
    };
    [
        "run",
        "-p",
        &port.to_string(),
        "-i",
        "127.0.0.1",
        "-P",
        passwords,
        "-a",
        authenticate,
        "--disable-fallback",
        "--hash-algo",
        "sha256",
        "packages",
    ]
    .map(str::to_string)
    .to_vec()
}

/// Builds every project with `python -m build` (all at once), into one directory.
fn build_all(python: &Path, work: &Path) -> PathBuf {
    let dist = work.join("dist");
    let builds: Vec<(Command, Child)> = PROJECTS
        .iter()
        .map(|&(project, version, sdist, _)| {
            let source = write_project(work, project, version);
            let mut command = Command::new(python);
            command
                .args(["-m", "build", "--no-isolation", "--wheel"])
                .args(sdist.then_some("--sdist"))
                .arg("--outdir")
                .arg(&dist)
                .arg(&source)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let child = command.spawn().unwrap();
            (command, child)
        })
        .collect();
    for (command, child) in builds {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{command:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    dist
}

/// A FastMCP-style server project; its module says which project and version it is.
fn write_project(work: &Path, project: &str, version: &str) -> PathBuf {
    let dir = work.join(format!("{project}-{version}"));
    let module = project.replace('-', "_");
    std::fs::create_dir_all(dir.join(&module)).unwrap();
    std::fs::write(
        dir.join("pyproject.toml"),
        format!(
            "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n\
             [project]\nname = \"{project}\"\nversion = \"{version}\"\ndependencies = [\"mcp\"]\n\n\
             [tool.setuptools]\npackages = [\"{module}\"]\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join(&module).join("__init__.py"), "").unwrap();
    std::fs::write(
        dir.join(&module).join("server.py"),
        format!(
            "# {project} {version}\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"{project}\")\n\n\n\
             @mcp.tool()\ndef echo(text: str) -> str:\n    return text\n"
        ),
    )
    .unwrap();
    dir
}

/// The built files of one project version.
fn dist_files(dist: &Path, project: &str, version: &str) -> Vec<PathBuf> {
    let sdist = format!("{project}-{version}.tar.gz");
    let wheel = format!("{}-{version}-", project.replace('-', "_"));
    let files: Vec<PathBuf> = std::fs::read_dir(dist)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == sdist || name.starts_with(&wheel)
        })
        .collect();
    assert!(!files.is_empty(), "nothing built for {project} {version}");
    files
}

fn options_for(index: &SharedService, cache: &Path) -> FetchOptions {
    let mut options = support::options(cache);
    options.endpoints.pypi_index = Some(format!("{}/simple", index.url()));
    options
}

fn no_files(dir: &Path) {
    assert_eq!(fixture::files_under(dir), Vec::<PathBuf>::new());
}

#[test]
fn resolves_newest_exact_and_specifier_ranges_preferring_the_sdist() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(&indexes.open, cache.path());
    for (input, version) in [
        ("pypi:demo-mcp-server", "1.1.0"),
        ("pypi:Demo_MCP.Server", "1.1.0"),
        ("pypi:demo-mcp-server==1.0.0", "1.0.0"),
        ("pypi:demo-mcp-server==1.0", "1.0.0"),
        ("pypi:demo-mcp-server>=1.0,<1.1", "1.0.0"),
        ("pypi:demo-mcp-server~=1.0", "1.1.0"),
        ("pypi:demo-mcp-server>=2.0.0rc1", "2.0.0rc1"),
    ] {
        let prepared = fetch(input, &options).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            prepared.canonical_id,
            format!("pypi:demo-mcp-server=={version}"),
            "{input}"
        );
        let resolution = prepared.resolution.clone().unwrap();
        assert_eq!(resolution.version.as_deref(), Some(version), "{input}");
        assert_eq!(
            resolution.artifact,
            Some(format!("demo-mcp-server-{version}.tar.gz")),
            "{input}"
        );
        assert!(resolution.artifact_digest.unwrap().starts_with("sha256:"));
        // The sdist's top directory is stripped by the reader.
        let server = entry(&prepared, "demo_mcp_server/server.py");
        assert!(
            server.starts_with(&format!("# demo-mcp-server {version}\n")),
            "{server}"
        );
        assert!(entry(&prepared, "pyproject.toml").contains(&format!("version = \"{version}\"")));
    }
}

#[test]
fn wheel_when_there_is_no_sdist() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let prepared = fetch(
        "pypi:wheel-only-mcp",
        &options_for(&indexes.open, cache.path()),
    )
    .unwrap();
    assert_eq!(prepared.canonical_id, "pypi:wheel-only-mcp==0.3.0");
    let resolution = prepared.resolution.clone().unwrap();
    assert_eq!(
        resolution.artifact.as_deref(),
        Some("wheel_only_mcp-0.3.0-py3-none-any.whl")
    );
    assert!(entry(&prepared, "wheel_only_mcp/server.py").starts_with("# wheel-only-mcp 0.3.0\n"));
}

#[test]
fn private_index_needs_credentials() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut options = options_for(&indexes.private, cache.path());
    let error = fetch("pypi:private-mcp", &options).unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED", "{error}");
    assert!(error.to_string().contains("--token"), "{error}");

    let wrong = "wrong-password-value-123";
    options.credentials = Some(Credentials::new(None, Some(USER.0.into()), wrong).unwrap());
    let error = fetch("pypi:private-mcp", &options).unwrap_err();
    assert_eq!(error.code(), "ACCESS_DENIED", "{error}");
    assert!(error.to_string().contains("not accepted"), "{error}");
    assert!(!error.to_string().contains(wrong), "{error}");
    no_files(cache.path());

    // A bare token goes as user `__token__`; a user name is used when given.
    for (user, secret) in [(None, TOKEN), (Some(USER.0.to_string()), USER.1)] {
        options.credentials = Some(Credentials::new(None, user, secret).unwrap());
        let prepared = fetch("pypi:private-mcp", &options).unwrap();
        assert_eq!(prepared.canonical_id, "pypi:private-mcp==1.0.0");
        assert!(entry(&prepared, "private_mcp/server.py").starts_with("# private-mcp 1.0.0\n"));
    }
}

#[test]
fn file_changed_after_listing_fails_sha256_and_nothing_is_cached() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let packages = indexes.open.dir.join("packages");
    let target = packages.join("tampered-mcp-1.0.0.tar.gz");
    let other = packages.join("cached-mcp-1.0.0.tar.gz");
    // pypiserver hashes a file when it lists it: the file is swapped between the
    // listing and the download (when the download starts).
    let tamper = |event: &ProgressEvent| {
        if let ProgressEvent::Download { what, done: 0, .. } = event {
            assert_eq!(what, "tampered-mcp-1.0.0.tar.gz");
            std::fs::copy(&other, &target).unwrap();
        }
    };
    let options = options_for(&indexes.open, cache.path());
    let error = prepare("pypi:tampered-mcp", &options, &tamper).unwrap_err();
    assert_eq!(error.code(), "INTEGRITY_MISMATCH", "{error}");
    let message = error.to_string();
    assert!(message.contains("tampered-mcp-1.0.0.tar.gz"), "{message}");
    assert!(message.contains("expected sha256:"), "{message}");
    no_files(cache.path());
}

#[test]
fn repeated_fetch_comes_from_the_cache() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(&indexes.open, cache.path());
    let downloads = Mutex::new(0);
    let progress = |event: &ProgressEvent| {
        if matches!(event, ProgressEvent::Download { .. }) {
            *downloads.lock().unwrap() += 1;
        }
    };
    let first = prepare("pypi:cached-mcp", &options, &progress).unwrap();
    assert!(!first.from_cache);
    assert!(*downloads.lock().unwrap() >= 2, "a start and an end event");
    let digest = first.resolution.clone().unwrap().artifact_digest.unwrap();
    let hex = digest.strip_prefix("sha256:").unwrap();
    assert!(cache.path().join("blobs/sha256").join(hex).is_file());
    drop(first);

    *downloads.lock().unwrap() = 0;
    let second = prepare("pypi:cached-mcp", &options, &progress).unwrap();
    assert!(second.from_cache);
    assert_eq!(
        *downloads.lock().unwrap(),
        0,
        "a cached artifact is not downloaded"
    );
    assert!(entry(&second, "cached_mcp/server.py").starts_with("# cached-mcp 1.0.0\n"));
}

#[test]
fn loopback_index_is_refused_without_permission() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut options = options_for(&indexes.open, cache.path());
    options.policy.allow_private_network = false;
    let error = fetch("pypi:demo-mcp-server", &options).unwrap_err();
    assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED", "{error}");
    no_files(cache.path());
}

#[test]
fn unknown_project_or_version_is_not_found() {
    let Some(indexes) = indexes() else { return };
    let cache = tempfile::tempdir().unwrap();
    let options = options_for(&indexes.open, cache.path());
    let error = fetch("pypi:no-such-project", &options).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert!(error.to_string().contains("no-such-project"), "{error}");

    let error = fetch("pypi:demo-mcp-server==9.9", &options).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    let message = error.to_string();
    assert!(
        message.contains("version `9.9` of PyPI project demo-mcp-server"),
        "{message}"
    );
    assert!(
        message.contains("newest versions: 2.0.0rc1, 1.1.0, 1.0.0"),
        "{message}"
    );
    no_files(cache.path());
}
