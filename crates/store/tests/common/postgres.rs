//! A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary directory and
//! `postgres` on a free loopback port, started once per test process and stopped (its
//! directory removed) when the process exits — a shell watchdog waits for the test
//! process's end of its stdin pipe. Each test gets a database of its own.
//!
//! The server binaries come from `ASSAY_TEST_POSTGRES` (their directory, exported by
//! `scripts/test-services.sh`). When it is not set, PostgreSQL tests are skipped with a
//! message, unless `ASSAY_REQUIRE_TEST_SERVICES=1`, where they fail.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::Connection;

/// A running cluster.
struct Cluster {
    port: u16,
    /// The watchdog shell (it outlives the test process long enough to clean up).
    _watchdog: Mutex<Child>,
    /// Held open for the life of the process: its end stops the server.
    _lifeline: Mutex<ChildStdin>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The URL of a new, empty database, or `None` when PostgreSQL tests are skipped.
pub async fn database() -> Option<String> {
    let port = CLUSTER.get_or_init(start).as_ref()?.port;
    let admin = format!("postgres://assay@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut conn = loop {
        match sqlx::PgConnection::connect(&admin).await {
            Ok(conn) => break conn,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("PostgreSQL on port {port} did not accept connections: {e}"),
        }
    };
    let name = format!("t{}", DATABASES.fetch_add(1, Ordering::SeqCst));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    Some(format!("postgres://assay@127.0.0.1:{port}/{name}"))
}

/// The directory of the server binaries, or `None` (skip).
fn binaries() -> Option<PathBuf> {
    match std::env::var_os("ASSAY_TEST_POSTGRES").map(PathBuf::from) {
        Some(dir) if dir.join("initdb").exists() => Some(dir),
        _ if std::env::var("ASSAY_REQUIRE_TEST_SERVICES").as_deref() == Ok("1") => {
            panic!("ASSAY_TEST_POSTGRES is not set or has no initdb: run scripts/test-services.sh")
        }
        _ => {
            eprintln!(
                "skipping PostgreSQL: ASSAY_TEST_POSTGRES not set \
                 (run `eval \"$(scripts/test-services.sh)\"`)"
            );
            None
        }
    }
}

/// `program args…`, as the `postgres` user when running as root (the server refuses
/// to run as root).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Whether the tests run as root.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Initialises and starts a cluster.
fn start() -> Option<Cluster> {
    let bin = binaries()?;
    let dir = tempfile::Builder::new()
        .prefix("assay-pg-")
        .tempdir()
        .unwrap()
        .keep();
    if is_root() {
        let status = Command::new("chown")
            .arg("postgres:postgres")
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "chown of {} failed", dir.display());
    }
    let data = dir.join("data");
    let output = as_server_user(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "assay",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = as_server_user(&bin.join("postgres"));
    let mut words: Vec<String> = std::iter::once(server.get_program())
        .chain(server.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    words.extend([
        "-D".into(),
        data.display().to_string(),
        "-p".into(),
        port.to_string(),
        "-k".into(),
        dir.display().to_string(),
        "-c".into(),
        "listen_addresses=127.0.0.1".into(),
        "-c".into(),
        "fsync=off".into(),
        "-c".into(),
        "max_connections=400".into(),
    ]);
    // The watchdog: start the server, wait for stdin to close (the test process ended),
    // stop the server (SIGTERM: the one signal `runuser` forwards) and remove the directory.
    let script = r#"log="$1"; dir="$2"; shift 2
"$@" >"$log" 2>&1 &
pid=$!
read -r _
kill -TERM "$pid"
wait "$pid"
rm -rf -- "$dir""#;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(dir.join("server.log"))
        .arg(&dir)
        .args(&words)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lifeline = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "PostgreSQL did not start: {}",
            std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Cluster {
        port,
        _watchdog: Mutex::new(child),
        _lifeline: Mutex::new(lifeline),
    })
}
