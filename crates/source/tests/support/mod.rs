//! Shared harness for the remote-target tests: real servers (Verdaccio, pypiserver,
//! docker-registry, git daemon) started on loopback ports, killed when dropped.
//!
//! Where the servers are comes from `scripts/test-services.sh` (which installs them):
//! `ASSAY_TEST_VERDACCIO`, `ASSAY_TEST_PYPISERVER`, `ASSAY_TEST_PYTHON`,
//! `ASSAY_TEST_REGISTRY`, `ASSAY_TEST_GIT`. When one is missing, the test is skipped
//! with a message — unless `ASSAY_REQUIRE_TEST_SERVICES=1` (set by `scripts/test.sh`
//! and CI), where a missing server fails the test.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assay_source::{CacheMode, FetchOptions, NetworkPolicy};

/// The program named by `env`, or `None` (test skipped) when it is not configured.
pub fn tool(env: &str) -> Option<PathBuf> {
    match std::env::var_os(env).map(PathBuf::from) {
        Some(path) if path.exists() => Some(path),
        _ if std::env::var("ASSAY_REQUIRE_TEST_SERVICES").as_deref() == Ok("1") => {
            panic!("{env} is not set or missing: run scripts/test-services.sh")
        }
        _ => {
            eprintln!("skipping: {env} not set (run `eval \"$(scripts/test-services.sh)\"`)");
            None
        }
    }
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed (with its process group) when dropped.
pub struct Service {
    child: Child,
    /// Its loopback port.
    pub port: u16,
    /// Its private working directory (storage, config, logs).
    pub dir: tempfile::TempDir,
}

impl Service {
    /// Starts `command` (in `dir`) and waits until `port` accepts connections.
    pub fn start(mut command: Command, port: u16, dir: tempfile::TempDir) -> Service {
        let log = std::fs::File::create(dir.path().join("service.log")).unwrap();
        command
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let mut service = Service { child, port, dir };
        let log = service.dir.path().join("service.log");
        wait_listening(&mut service.child, port, &log);
        service
    }

    /// The service's output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("service.log")).unwrap_or_default()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `port` accepts connections, panicking with the log at `log` when `child`
/// exits first or a minute passes.
pub fn wait_listening(child: &mut Child, port: u16, log: &std::path::Path) {
    let read_log = || std::fs::read_to_string(log).unwrap_or_default();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("service exited early ({status}): {}", read_log());
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("service did not listen on {port} in time: {}", read_log());
}

/// Runs `git args` in `dir` with a fixed identity and no user or system configuration.
pub fn git(git: &Path, dir: &Path, args: &[&str]) {
    let status = Command::new(git)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `git daemon` (the program itself, so killing it stops it) serving every repository
/// under `root` (`<root>/owner/repo.git` is `git://…/owner/repo`).
pub fn git_daemon(git_path: &Path, root: &Path) -> Service {
    let exec_path = Command::new(git_path).arg("--exec-path").output().unwrap();
    let exec_path = String::from_utf8(exec_path.stdout).unwrap();
    let port = free_port();
    let mut command = Command::new(Path::new(exec_path.trim()).join("git-daemon"));
    command.args([
        "--export-all",
        "--reuseaddr",
        "--listen=127.0.0.1",
        &format!("--port={port}"),
        &format!("--base-path={}", root.display()),
    ]);
    Service::start(command, port, tempfile::tempdir().unwrap())
}

/// Fetch options for loopback servers: private network allowed, a private cache.
pub fn options(cache: &std::path::Path) -> FetchOptions {
    FetchOptions {
        policy: NetworkPolicy {
            allow_private_network: true,
            ..NetworkPolicy::default()
        },
        cache: CacheMode::Dir(cache.to_path_buf()),
        ..FetchOptions::default()
    }
}

/// Every entry of a prepared target: (path, bytes), plus the summary.
pub fn read_all(
    prepared: &assay_source::Prepared,
) -> (Vec<(String, Vec<u8>)>, assay_source::SnapshotSummary) {
    let mut reader = prepared
        .open(
            &assay_source::Limits::default(),
            std::sync::Arc::new(|_: &str| false),
        )
        .unwrap();
    let entries: Vec<(String, Vec<u8>)> = reader.by_ref().map(|e| (e.path, e.bytes)).collect();
    (entries, reader.summary())
}

/// Parses, fetches and prepares `input` with `options`, ignoring progress.
pub fn fetch(
    input: &str,
    options: &FetchOptions,
) -> Result<assay_source::Prepared, assay_source::SourceError> {
    assay_source::prepare(input, options, &|_| {})
}

/// The text of the entry at `path` of a prepared target (panics, listing what was read,
/// when there is none).
pub fn entry(prepared: &assay_source::Prepared, path: &str) -> String {
    let (entries, _) = read_all(prepared);
    let (_, bytes) = entries.iter().find(|(p, _)| p == path).unwrap_or_else(|| {
        panic!(
            "no {path} in {:?}",
            entries.iter().map(|e| &e.0).collect::<Vec<_>>()
        )
    });
    String::from_utf8(bytes.clone()).unwrap()
}
