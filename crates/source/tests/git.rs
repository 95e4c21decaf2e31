//! git targets against real servers on loopback: `git daemon` for the git protocol and
//! `git http-backend` behind a small Python HTTP server for token-protected smart HTTP.
//! Every test goes through `prepare` (parse → resolve → fetch → tarball) and reads the
//! result like a scan does.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assay_core::{ProgressEvent, SkipReason};
use assay_source::{
    CacheMode, CredentialType, Credentials, FetchOptions, Prepared, SnapshotSummary, SourceError,
    prepare,
};
use support::{Service, free_port, options, read_all, tool};

/// A fixed identity and clock, and no user or system configuration, for fixture repos.
fn fixture_command(git: &Path, dir: &Path) -> Command {
    let mut command = Command::new(git);
    command
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z");
    command
}

/// Repositories under one directory, served by `git daemon`.
struct Fixture {
    git: PathBuf,
    root: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Option<Fixture> {
        Some(Fixture {
            git: tool("ASSAY_TEST_GIT")?,
            root: tempfile::tempdir().unwrap(),
        })
    }

    /// A new repository at `<root>/<name>` (a work tree, so files can be committed).
    fn repo(&self, name: &str) -> Repo {
        let dir = self.root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let repo = Repo {
            git: self.git.clone(),
            dir,
        };
        repo.run(&["init", "-q", "-b", "main"]);
        repo
    }

    /// `git daemon` serving every repository under the root, fetchable by commit id. The
    /// daemon program runs directly (not through the `git` wrapper, which would leave it
    /// running when the wrapper is killed).
    fn daemon(&self) -> Service {
        let exec_path = Command::new(&self.git).arg("--exec-path").output().unwrap();
        let exec_path = String::from_utf8(exec_path.stdout).unwrap();
        let port = free_port();
        let mut command = fixture_command(
            &Path::new(exec_path.trim()).join("git-daemon"),
            self.root.path(),
        );
        command
            .env("GIT_CONFIG_COUNT", "2")
            .env("GIT_CONFIG_KEY_0", "uploadpack.allowAnySHA1InWant")
            .env("GIT_CONFIG_VALUE_0", "true")
            .env("GIT_CONFIG_KEY_1", "uploadpack.allowFilter")
            .env("GIT_CONFIG_VALUE_1", "true")
            .args([
                "--export-all",
                "--verbose",
                "--reuseaddr",
                "--listen=127.0.0.1",
                &format!("--port={port}"),
                &format!("--base-path={}", self.root.path().display()),
            ]);
        let daemon = Service::start(command, port, tempfile::tempdir().unwrap());
        // Wait for the readiness probe's connection to be logged, so that tests can count
        // the connections that follow.
        let start = Instant::now();
        while !daemon.log().contains("Connection from") && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        daemon
    }
}

/// A fixture repository.
struct Repo {
    git: PathBuf,
    dir: PathBuf,
}

impl Repo {
    fn run(&self, args: &[&str]) -> String {
        self.run_with_input(args, b"")
    }

    fn run_with_input(&self, args: &[&str], input: &[u8]) -> String {
        let mut child = fixture_command(&self.git, &self.dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Writes and stages a file.
    fn write(&self, path: &str, content: &[u8]) {
        let full = self.dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self.run(&["add", "--", path]);
    }

    /// Stages a symbolic link to `target` (only in the index: nothing on disk).
    fn link(&self, path: &str, target: &str) {
        let blob = self.run_with_input(&["hash-object", "-w", "--stdin"], target.as_bytes());
        self.run(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("120000,{blob},{path}"),
        ]);
    }

    /// Stages a submodule entry pointing at `commit`.
    fn submodule(&self, path: &str, commit: &str) {
        self.run(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{commit},{path}"),
        ]);
    }

    /// Commits what is staged; returns the commit id.
    fn commit(&self, message: &str) -> String {
        self.run(&["commit", "-q", "-m", message]);
        self.run(&["rev-parse", "HEAD"])
    }
}

/// Options for loopback servers with a private cache, plus `--ref` and `--base-path`.
fn fetch_options(cache: &Path, reference: Option<&str>, base: Option<&str>) -> FetchOptions {
    FetchOptions {
        reference: reference.map(str::to_string),
        base_path: base.map(str::to_string),
        ..options(cache)
    }
}

/// The entries read from a prepared target, by path.
fn files(prepared: &Prepared) -> (BTreeMap<String, String>, SnapshotSummary) {
    let (entries, summary) = read_all(prepared);
    let files = entries
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect();
    (files, summary)
}

fn paths(files: &BTreeMap<String, String>) -> Vec<&str> {
    files.keys().map(String::as_str).collect()
}

#[test]
fn default_branch_branches_tags_and_commit_ids() {
    let Some(fixture) = Fixture::new() else {
        return;
    };
    let repo = fixture.repo("server");
    repo.write("README.md", b"v1 readme");
    repo.write("src/index.js", b"console.log(1)");
    let first = repo.commit("first");
    repo.run(&["tag", "-a", "v1.0", "-m", "release 1.0"]);
    repo.write("CHANGELOG.md", b"untagged");
    let middle = repo.commit("middle");
    repo.write("src/index.js", b"console.log(2)");
    let second = repo.commit("second");
    repo.run(&["checkout", "-q", "-b", "dev"]);
    repo.write("dev.txt", b"dev only");
    let dev = repo.commit("dev");
    repo.run(&["checkout", "-q", "main"]);
    let daemon = fixture.daemon();
    let url = format!("git://127.0.0.1:{}/server", daemon.port);
    let cache = tempfile::tempdir().unwrap();

    // The default branch, with progress reported.
    let events = Mutex::new(Vec::new());
    let record = |event: &ProgressEvent| events.lock().unwrap().push(event.clone());
    let prepared = prepare(&url, &fetch_options(cache.path(), None, None), &record).unwrap();
    assert_eq!(prepared.canonical_id, format!("git:{url}@{second}"));
    let resolution = prepared.resolution.clone().unwrap();
    assert_eq!(resolution.commit.as_deref(), Some(second.as_str()));
    assert_eq!(resolution.version.as_deref(), Some("main"));
    assert!(!prepared.from_cache);
    let (files_main, summary) = files(&prepared);
    assert_eq!(
        paths(&files_main),
        ["CHANGELOG.md", "README.md", "src/index.js"]
    );
    assert_eq!(files_main["src/index.js"], "console.log(2)");
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert!(events.lock().unwrap().iter().any(|e| matches!(
        e,
        ProgressEvent::Download { what, done, .. } if what == "git objects" && *done > 0
    )));
    // The tarball reads exactly like an export of the same commit.
    let checkout = tempfile::tempdir().unwrap();
    let export = fixture_command(&fixture.git, &repo.dir)
        .args(["archive", "--format=tar", &second])
        .output()
        .unwrap();
    assert!(export.status.success());
    tar::Archive::new(&export.stdout[..])
        .unpack(checkout.path())
        .unwrap();
    let mut reader = assay_source::open(
        checkout.path(),
        &assay_source::Limits::default(),
        Arc::new(|_: &str| false),
    )
    .unwrap();
    reader.by_ref().for_each(drop);
    assert_eq!(reader.summary().digest, summary.digest);

    // A branch, in the URL fragment form.
    let prepared = prepare(
        &format!("git+{url}#dev"),
        &fetch_options(cache.path(), None, None),
        &|_| {},
    )
    .unwrap();
    assert_eq!(prepared.canonical_id, format!("git:{url}@{dev}"));
    assert_eq!(
        prepared.resolution.clone().unwrap().version.as_deref(),
        Some("dev")
    );
    assert!(files(&prepared).0.contains_key("dev.txt"));

    // An annotated tag through --ref resolves to the commit it tags.
    let prepared = prepare(
        &url,
        &fetch_options(cache.path(), Some("v1.0"), None),
        &|_| {},
    )
    .unwrap();
    assert_eq!(prepared.canonical_id, format!("git:{url}@{first}"));
    let (files_v1, _) = files(&prepared);
    assert_eq!(files_v1["src/index.js"], "console.log(1)");
    assert!(!files_v1.contains_key("dev.txt"));

    // A full commit id that no branch or tag points at (fetched by id), then an
    // abbreviated one (found in a clone of the history), then abbreviated tips (a
    // branch's, and the commit an annotated tag points at).
    let by_id = |reference: &str| {
        let fresh = tempfile::tempdir().unwrap();
        let options = fetch_options(fresh.path(), Some(reference), None);
        let prepared = prepare(&url, &options, &|_| {}).unwrap();
        let (found, _) = files(&prepared);
        (prepared, found)
    };
    let (prepared, found) = by_id(&middle);
    assert_eq!(prepared.canonical_id, format!("git:{url}@{middle}"));
    assert_eq!(prepared.resolution.clone().unwrap().version, None);
    assert_eq!(found["CHANGELOG.md"], "untagged");
    assert_eq!(found["src/index.js"], "console.log(1)");
    let (prepared, _) = by_id(&middle[..10].to_ascii_uppercase());
    assert_eq!(prepared.canonical_id, format!("git:{url}@{middle}"));
    let (prepared, _) = by_id(&dev[..8]);
    assert_eq!(prepared.canonical_id, format!("git:{url}@{dev}"));
    let (prepared, found) = by_id(&first[..9]);
    assert_eq!(prepared.canonical_id, format!("git:{url}@{first}"));
    assert!(!found.contains_key("CHANGELOG.md"));

    // Unknown references name what exists.
    let error = prepare(
        &url,
        &fetch_options(cache.path(), Some("nope"), None),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    let message = error.to_string();
    assert!(message.contains("reference `nope`"), "{message}");
    assert!(message.contains("branches: dev, main"), "{message}");
    assert!(message.contains("tags: v1.0"), "{message}");
    let error = prepare(
        &url,
        &fetch_options(cache.path(), Some("abcdef0123"), None),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    let missing = "0123456789".repeat(4);
    let error = prepare(
        &url,
        &fetch_options(cache.path(), Some(&missing), None),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert_eq!(error.to_string().lines().count(), 1);
    let error = prepare(
        &url,
        &fetch_options(cache.path(), Some("a:b"), None),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "INVALID_TARGET", "{error}");
}

#[test]
fn hosted_form_base_paths_and_the_cache() {
    let Some(fixture) = Fixture::new() else {
        return;
    };
    let repo = fixture.repo("owner/monorepo.git");
    repo.write("README.md", b"root");
    repo.write("packages/server/index.js", b"server");
    repo.write("packages/server/lib/util.js", b"util");
    repo.write("packages/serverless/x.js", b"other");
    repo.write("packages/other/y.js", b"other");
    let commit = repo.commit("monorepo");
    let daemon = fixture.daemon();
    let cache = tempfile::tempdir().unwrap();
    let endpoint = format!("git://127.0.0.1:{}", daemon.port);
    let github_options = |reference: Option<&str>, base: Option<&str>| {
        let mut options = fetch_options(cache.path(), reference, base);
        options.endpoints.github = Some(endpoint.clone());
        options
    };

    // A github.com tree URL names the branch and the subdirectory; the endpoint override
    // sends it to the local server.
    let url = "https://github.com/owner/monorepo/tree/main/packages/server";
    let prepared = prepare(url, &github_options(None, None), &|_| {}).unwrap();
    assert_eq!(
        prepared.canonical_id,
        format!("github:owner/monorepo@{commit}")
    );
    assert_eq!(prepared.base_path.as_deref(), Some("packages/server"));
    let (found, _) = files(&prepared);
    assert_eq!(
        paths(&found),
        ["packages/server/index.js", "packages/server/lib/util.js"]
    );

    // --base-path with the github: form; the same commit and base path again comes
    // from the cache.
    let prepared = prepare(
        "github:owner/monorepo",
        &github_options(None, Some("packages/other")),
        &|_| {},
    )
    .unwrap();
    assert!(!prepared.from_cache);
    assert_eq!(paths(&files(&prepared).0), ["packages/other/y.js"]);
    let again = prepare(
        "github:owner/monorepo",
        &github_options(None, Some("packages/other")),
        &|_| {},
    )
    .unwrap();
    assert!(again.from_cache);
    assert_eq!(again.canonical_id, prepared.canonical_id);
    assert_eq!(paths(&files(&again).0), ["packages/other/y.js"]);

    // A base path that does not exist in the commit.
    let error = prepare(
        "github:owner/monorepo",
        &github_options(None, Some("packages/none")),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert!(error.to_string().contains("packages/none"), "{error}");

    // The whole tree by full commit id; once cached, it needs no server at all.
    let whole = prepare(
        "github:owner/monorepo",
        &github_options(Some(&commit), None),
        &|_| {},
    )
    .unwrap();
    assert!(!whole.from_cache);
    assert_eq!(files(&whole).0.len(), 5);
    drop(daemon);
    let offline = prepare(
        "github:owner/monorepo",
        &github_options(Some(&commit), None),
        &|_| {},
    )
    .unwrap();
    assert!(offline.from_cache);
    assert_eq!(
        offline.canonical_id,
        format!("github:owner/monorepo@{commit}")
    );
    assert_eq!(files(&offline).0.len(), 5);
    // Without the server, a branch cannot be resolved.
    let error = prepare(
        "github:owner/monorepo",
        &github_options(None, None),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(error.code(), "NETWORK_ERROR", "{error}");
}

#[test]
fn links_submodules_and_export_ignore_are_recorded_not_followed() {
    let Some(fixture) = Fixture::new() else {
        return;
    };
    let repo = fixture.repo("hostile");
    repo.write(".gitattributes", b"secret.js export-ignore\n* -text\n");
    repo.write("secret.js", b"exfiltrate()");
    repo.write("bin/run", b"#!/bin/sh\n");
    repo.link("passwd", "/etc/passwd");
    repo.link("up", "../../..");
    repo.link("nested/deep/link", "../../../../../root/.ssh/id_rsa");
    repo.submodule("vendor/lib", &"a".repeat(40));
    let long = format!("{}/long.js", "d".repeat(120));
    repo.write(&long, b"long");
    repo.commit("hostile");
    let daemon = fixture.daemon();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("git://127.0.0.1:{}/hostile", daemon.port);

    let prepared = prepare(&url, &fetch_options(cache.path(), None, None), &|_| {}).unwrap();
    let (found, summary) = files(&prepared);
    assert_eq!(
        paths(&found),
        [".gitattributes", "bin/run", long.as_str(), "secret.js"]
    );
    assert_eq!(found["secret.js"], "exfiltrate()");
    let skipped: BTreeMap<&str, (SkipReason, Option<&str>)> = summary
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), (s.reason, s.detail.as_deref())))
        .collect();
    assert_eq!(
        skipped["passwd"],
        (SkipReason::Symlink, Some("-> /etc/passwd"))
    );
    assert_eq!(skipped["up"], (SkipReason::Symlink, Some("-> ../../..")));
    assert_eq!(
        skipped["nested/deep/link"],
        (
            SkipReason::Symlink,
            Some("-> ../../../../../root/.ssh/id_rsa")
        )
    );
    let (reason, detail) = skipped["vendor/lib"];
    assert_eq!(reason, SkipReason::Symlink);
    assert!(
        detail.unwrap().contains("git submodule aaaaaaa"),
        "{detail:?}"
    );
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(summary.limits_hit.is_empty());
}

#[test]
fn private_networks_missing_repositories_and_caps() {
    let Some(fixture) = Fixture::new() else {
        return;
    };
    let repo = fixture.repo("big");
    // Incompressible content, so the pack is as large as the file.
    let mut state = 0x2545_f491_u64;
    let noise: Vec<u8> = (0..1_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    repo.write("blob.bin", &noise);
    let commit = repo.commit("big");
    let daemon = fixture.daemon();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("git://127.0.0.1:{}/big", daemon.port);

    // Without the operator's permission, loopback is refused before git connects, even
    // for a full commit id.
    let connections = |log: String| log.matches("Connection from").count();
    let before = connections(daemon.log());
    for reference in [None, Some(commit.as_str())] {
        let mut refused = fetch_options(cache.path(), reference, None);
        refused.policy.allow_private_network = false;
        let error = prepare(&url, &refused, &|_| {}).unwrap_err();
        assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED", "{error}");
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(connections(daemon.log()), before, "{}", daemon.log());

    let missing = format!("git://127.0.0.1:{}/nope", daemon.port);
    let error = prepare(&missing, &fetch_options(cache.path(), None, None), &|_| {}).unwrap_err();
    assert_eq!(error.code(), "REMOTE_NOT_FOUND", "{error}");
    assert_eq!(error.to_string().lines().count(), 1);

    // The download cap stops git, and nothing is cached.
    let events = Mutex::new(Vec::new());
    let record = |event: &ProgressEvent| events.lock().unwrap().push(event.clone());
    let mut capped = fetch_options(cache.path(), None, None);
    capped.policy.max_download_bytes = 200_000;
    let error = prepare(&url, &capped, &record).unwrap_err();
    assert!(
        matches!(error, SourceError::TooLarge { limit: 200_000, .. }),
        "{error}"
    );
    assert!(events.lock().unwrap().iter().any(|e| matches!(
        e,
        ProgressEvent::Download { what, done, .. } if what == "git objects" && *done >= 200_000
    )));
    let fine = prepare(&url, &fetch_options(cache.path(), None, None), &|_| {}).unwrap();
    assert!(
        !fine.from_cache,
        "the capped fetch left nothing in the cache"
    );
    let (entries, _) = read_all(&fine);
    assert_eq!(entries, vec![("blob.bin".to_string(), noise)]);

    // The files of a commit count against the cap too (a small pack can hold a large,
    // compressible tree).
    let zeros = fixture.repo("zeros");
    zeros.write("zeros.bin", &vec![0u8; 3_000_000]);
    zeros.commit("zeros");
    let url = format!("git://127.0.0.1:{}/zeros", daemon.port);
    let mut capped = fetch_options(cache.path(), None, None);
    capped.policy.max_download_bytes = 2_000_000;
    let error = prepare(&url, &capped, &|_| {}).unwrap_err();
    assert!(
        matches!(
            error,
            SourceError::TooLarge {
                limit: 2_000_000,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("the tree of git:"), "{error}");
}

#[test]
fn a_silent_server_times_out() {
    let Some(_git) = tool("ASSAY_TEST_GIT") else {
        return;
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&held);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            keep.lock().unwrap().push(stream);
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let mut slow = fetch_options(cache.path(), None, None);
    slow.policy.request_timeout = Duration::from_secs(1);
    let start = Instant::now();
    let error = prepare(&format!("git://127.0.0.1:{port}/r"), &slow, &|_| {}).unwrap_err();
    assert_eq!(error.code(), "NETWORK_ERROR", "{error}");
    assert!(error.to_string().contains("timed out"), "{error}");
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(!held.lock().unwrap().is_empty(), "git never connected");
}

/// A smart-HTTP server (`git http-backend` as CGI) that wants `Authorization: Basic
/// x-access-token:<token>`; the token reaches it through the environment only.
const HTTP_SERVER: &str = r#"
import base64, os, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

root, port, git = sys.argv[1], int(sys.argv[2]), sys.argv[3]
expected = "Basic " + base64.b64encode(("x-access-token:" + os.environ["TEST_TOKEN"]).encode()).decode()

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def serve(self):
        # Slow enough that the test sees git's processes while they run.
        time.sleep(0.2)
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = {
            "PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": root, "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""), "REMOTE_ADDR": "127.0.0.1",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        }
        out = subprocess.run([git, "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"#;

/// Command lines of running processes that mention `needle`, collected until stopped.
fn watch_command_lines(
    needle: String,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        while !stop.load(Ordering::SeqCst) {
            for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
                    continue;
                };
                let line = String::from_utf8_lossy(&raw).replace('\0', " ");
                if line.contains(&needle) && !seen.contains(&line) {
                    seen.push(line);
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        seen
    })
}

#[test]
fn tokens_travel_only_in_gits_environment() {
    let Some(fixture) = Fixture::new() else {
        return;
    };
    let Some(python) = tool("ASSAY_TEST_PYTHON") else {
        return;
    };
    let repo = fixture.repo("owner/private.git");
    repo.write("index.js", b"private()");
    let commit = repo.commit("private");
    let token = "ghp_TestToken0123456789abcdefABCDEF01";
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("server.py");
    std::fs::write(&script, HTTP_SERVER).unwrap();
    let mut command = Command::new(python);
    command
        .arg(&script)
        .arg(fixture.root.path())
        .arg(port.to_string())
        .arg(&fixture.git)
        .env("TEST_TOKEN", token);
    let server = Service::start(command, port, dir);
    let cache = tempfile::tempdir().unwrap();
    let with = |credentials: Option<Credentials>| FetchOptions {
        credentials,
        cache: CacheMode::Dir(cache.path().to_path_buf()),
        endpoints: assay_source::Endpoints {
            github: Some(server.url()),
            ..Default::default()
        },
        ..options(cache.path())
    };

    let error = prepare("github:owner/private", &with(None), &|_| {}).unwrap_err();
    assert!(
        matches!(
            error,
            SourceError::AccessDenied {
                had_credentials: false,
                ..
            }
        ),
        "{error}"
    );
    let wrong =
        Credentials::new(Some(CredentialType::Github), None, "ghp_wrongWrongWrong").unwrap();
    let error = prepare("github:owner/private", &with(Some(wrong)), &|_| {}).unwrap_err();
    assert!(
        matches!(
            error,
            SourceError::AccessDenied {
                had_credentials: true,
                ..
            }
        ),
        "{error}"
    );
    assert!(!error.to_string().contains("ghp_wrong"), "{error}");

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_command_lines(format!("127.0.0.1:{port}"), Arc::clone(&stop));
    let right = Credentials::new(Some(CredentialType::Github), None, token).unwrap();
    let prepared = prepare("github:owner/private", &with(Some(right)), &|_| {}).unwrap();
    stop.store(true, Ordering::SeqCst);
    let command_lines = watcher.join().unwrap();
    assert_eq!(
        prepared.canonical_id,
        format!("github:owner/private@{commit}")
    );
    assert_eq!(files(&prepared).0["index.js"], "private()");
    assert!(
        command_lines
            .iter()
            .any(|l| l.contains("ls-remote") || l.contains("fetch")),
        "no git process seen: {command_lines:?}"
    );
    for line in &command_lines {
        assert!(!line.contains(token), "token in argv: {line}");
        assert!(!line.contains("Authorization"), "header in argv: {line}");
    }
    // Nothing the fetch left behind holds the token either.
    for entry in walk(cache.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "token in {}",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
