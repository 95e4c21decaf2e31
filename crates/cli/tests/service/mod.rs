//! The `assay serve` test harness shared by the service's end-to-end tests: the real
//! binary on a loopback port with a temporary SQLite file, keys made with `assay keys
//! create`, real HTTP, the SSE stream read off a socket, and a tiny npm registry on
//! loopback that can be made to stall.

#![allow(dead_code)] // each test binary uses a different subset

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common;

/// A running `assay serve`.
pub struct Server {
    pub process: Process,
    pub base: String,
    pub dir: PathBuf,
    pub db: String,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn serve_command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_assay"));
    command
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir.join(".no-user-config"))
        .env("ASSAY_CACHE_DIR", dir.join(".assay-cache"))
        .env("ASSAY_DATA_DIR", dir.join(".assay-data"))
        .env_remove("ASSAY_CONFIG")
        .env_remove("ASSAY_ALLOW_PRIVATE_NETWORK")
        .env_remove("ASSAY_NPM_REGISTRY")
        .envs(env.iter().copied());
    command
}

impl Server {
    pub fn start(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let db = format!("sqlite://{}?mode=rwc", dir.join("service.db").display());
        Server::start_on(dir, &db, free_port(), extra, env)
    }

    pub fn start_on(
        dir: &Path,
        db: &str,
        port: u16,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let listen = format!("127.0.0.1:{port}");
        let log = dir.join(format!("serve-{port}.log"));
        // Polling must not trip the default tiers: tests use `ci` unless they test limits.
        let tiers = dir.join("tiers.toml");
        std::fs::write(
            &tiers,
            "[tiers.ci]\nminute = 100000\n[tiers.tiny]\nminute = 3\n",
        )
        .unwrap();
        let tiers = tiers.to_str().unwrap();
        let mut args = vec![
            "serve",
            "--listen",
            &listen,
            "--database",
            db,
            "--no-advisories",
            "--tiers",
            tiers,
        ];
        args.extend_from_slice(extra);
        let server = Server {
            process: Process::spawn(dir, &args, env, log),
            base: format!("http://{listen}"),
            dir: dir.to_path_buf(),
            db: db.to_string(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while call("GET", &server.url("/healthz"), None, &[]).0 != 200 {
            assert!(
                Instant::now() < deadline,
                "server did not start: {}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log_text(&self) -> String {
        self.process.log_text()
    }

    /// `assay keys create` against this server's database; returns the key.
    pub fn key(&self, account: &str, org: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "keys",
            "create",
            "--database",
            &self.db,
            "--account",
            account,
            "--org",
            org,
        ];
        args.extend_from_slice(extra);
        if !extra.contains(&"--tier") {
            args.extend_from_slice(&["--tier", "ci"]);
        }
        let out = common::assay(&self.dir, &args);
        assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    pub fn kill9(&mut self) {
        self.process.kill9();
    }
}

/// One request: status, headers (lower-case names) and the body as JSON (or a string).
pub fn call(
    method: &str,
    url: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let result = match (method, body) {
        ("POST", Some(body)) => {
            let mut request = agent.post(url);
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request
                .content_type("application/json")
                .send(body.to_string())
        }
        (_, _) => {
            let mut request = match method {
                "DELETE" => agent.delete(url),
                _ => agent.get(url),
            };
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request.call()
        }
    };
    let Ok(mut response) = result else {
        return (0, vec![], Value::Null);
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, body)
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

/// `GET /api/v1/scan/{id}` with `key`: the status and the body.
pub fn get_scan(server: &Server, id: &str, key: &str) -> (u16, Value) {
    let auth = bearer(key);
    let (status, _, body) = call(
        "GET",
        &server.url(&format!("/api/v1/scan/{id}")),
        None,
        &[("authorization", &auth)],
    );
    (status, body)
}

/// Polls `GET /api/v1/scan/{id}` until `done(status)`.
pub fn wait_for(server: &Server, id: &str, key: &str, done: impl Fn(&str) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let (status, body) = get_scan(server, id, key);
        assert_eq!(status, 200, "{body}");
        let state = body["data"]["status"].as_str().unwrap().to_string();
        if done(&state) {
            return body["data"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "scan {id} stuck in {state}: {}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn submit(
    server: &Server,
    key: Option<&str>,
    body: Value,
) -> (u16, Vec<(String, String)>, Value) {
    let auth = key.map(bearer);
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", a.as_str())).collect();
    call("POST", &server.url("/api/v1/scan"), Some(&body), &headers)
}

/// The SSE stream as (id, event, data) triples, read to its end.
pub fn sse(server: &Server, id: &str, last_event_id: Option<u64>) -> Vec<(u64, String, Value)> {
    let (status, events, raw) = sse_at(server, &format!("/scan/{id}/stream"), &[], last_event_id);
    assert_eq!(status, 200, "{raw}");
    events
}

/// `GET path` with `headers` read to its end: the status, the SSE events as (id, event,
/// data) triples, and the raw response.
pub fn sse_at(
    server: &Server,
    path: &str,
    headers: &[(&str, &str)],
    last_event_id: Option<u64>,
) -> (u16, Vec<(u64, String, Value)>, String) {
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    if let Some(n) = last_event_id {
        extra.push_str(&format!("Last-Event-ID: {n}\r\n"));
    }
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut events = Vec::new();
    let (mut seq, mut kind) = (0, String::new());
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("id: ") {
            seq = v.trim().parse().unwrap();
        } else if let Some(v) = line.strip_prefix("event: ") {
            kind = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data: ") {
            events.push((seq, kind.clone(), serde_json::from_str(v).unwrap()));
        }
    }
    (status, events, text)
}

/// A running `assay` process whose stderr goes to a log file; killed when dropped.
pub struct Process {
    pub child: Child,
    pub log: PathBuf,
}

impl Process {
    /// `assay args…` in `dir`, stderr to `log`.
    fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)], log: PathBuf) -> Self {
        let child = serve_command(dir, args, env)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Process { child, log }
    }

    /// `assay worker --database db --no-advisories extra…` (no HTTP), logging to
    /// `dir/worker-N.log`.
    pub fn worker(dir: &Path, db: &str, n: usize, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut args = vec!["worker", "--database", db, "--no-advisories"];
        args.extend_from_slice(extra);
        Process::spawn(dir, &args, env, dir.join(format!("worker-{n}.log")))
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An npm registry on loopback; while `stall` is set it accepts connections and never
/// answers.
pub struct Registry {
    pub url: String,
    pub stall: Arc<AtomicBool>,
}

/// One version of a package the loopback registry serves: the directory packed as its
/// tarball.
pub struct NpmPackage {
    pub name: String,
    pub version: String,
    pub dir: PathBuf,
}

/// The registry serving `demo-server@1.0.0`, the vulnerable server of `common`.
pub fn npm_registry(dir: &Path) -> Registry {
    let package = dir.join("pkg");
    common::write_vulnerable_server(&package);
    npm_registry_of(vec![NpmPackage {
        name: "demo-server".into(),
        version: "1.0.0".into(),
        dir: package,
    }])
}

/// `dir` as an npm tarball (under `package/`).
fn tarball(dir: &Path) -> Vec<u8> {
    let mut tarball = Vec::new();
    let encoder = flate2::write::GzEncoder::new(&mut tarball, flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    builder.append_dir_all("package", dir).unwrap();
    builder.into_inner().unwrap().finish().unwrap();
    tarball
}

/// A registry serving `packages`: one packument per name (scoped names asked for as
/// `@scope%2fname`) with every version listed, the last one `latest`, and the tarballs.
pub fn npm_registry_of(packages: Vec<NpmPackage>) -> Registry {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut packuments: HashMap<String, Value> = HashMap::new();
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    for package in packages {
        let bytes = tarball(&package.dir);
        let shasum = {
            use sha1::Digest;
            hex::encode(sha1::Sha1::digest(&bytes))
        };
        let bare = package.name.rsplit('/').next().unwrap();
        let path = format!("/{}/-/{bare}-{}.tgz", package.name, package.version);
        let packument = packuments
            .entry(package.name.clone())
            .or_insert_with(|| json!({ "name": package.name, "versions": {} }));
        packument["versions"][&package.version] = json!({
            "name": package.name, "version": package.version,
            "dist": { "tarball": format!("{url}{path}"), "shasum": shasum },
        });
        packument["dist-tags"] = json!({ "latest": package.version });
        files.insert(path, bytes);
    }
    for (name, packument) in packuments {
        let path = format!("/{}", name.replace('/', "%2f"));
        files.insert(path, packument.to_string().into_bytes());
    }
    let stall = Arc::new(AtomicBool::new(false));
    let stalling = Arc::clone(&stall);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            if stalling.load(Ordering::SeqCst) {
                held.push(stream);
                continue;
            }
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split(' ').nth(1).unwrap_or("/").replace("%2F", "%2f");
            let (status, ctype, body) = match files.get(&path) {
                Some(body) if path.ends_with(".tgz") => {
                    ("200 OK", "application/octet-stream", body.clone())
                }
                Some(body) => ("200 OK", "application/json", body.clone()),
                None => ("404 Not Found", "application/json", b"{}".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    Registry { url, stall }
}
