//! `assay db import|update|status` through the real binary, with the OSV fixtures of
//! the advisory crate (real schema): archives and directories imported as users do,
//! updates from a real HTTP server on loopback (Python's `http.server`), including
//! downloads cut off mid-body, which must leave the database as it was.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use common::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    repo_root().join("crates/advisory/tests/fixtures/osv-db")
}

/// The `.json` files of fixture directory `ecosystem`, as an OSV `all.zip` at `to`.
fn zip_fixtures(ecosystem: &str, to: &Path) {
    let mut files = Vec::new();
    let mut pending = vec![fixtures().join(ecosystem)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

/// A scratch directory with its own data dir and temporary dir.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("tmp")).unwrap();
        Scratch { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn data(&self) -> PathBuf {
        self.path().join("data")
    }

    /// Runs `assay` with this scratch's data and temporary directories.
    fn assay(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let data = self.data();
        let tmp = self.path().join("tmp");
        let mut all = vec![
            ("ASSAY_DATA_DIR", data.to_str().unwrap()),
            ("TMPDIR", tmp.to_str().unwrap()),
        ];
        all.extend_from_slice(env);
        assay_env(self.path(), args, &all)
    }

    fn status(&self) -> Value {
        let out = self.assay(&["db", "status", "--format", "json"], &[]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        json(&out)
    }

    /// Nothing is left in the temporary directory (downloads are cleaned up).
    fn assert_no_leftovers(&self) {
        let left: Vec<_> = std::fs::read_dir(self.path().join("tmp"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One failure: exit code 2 and one line on stderr, starting as given.
fn assert_fails(out: &Output, start: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "stdout: {}\nstderr: {err}", stdout(out));
    assert!(err.starts_with(start), "expected `{start}`: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn import_an_archive_and_a_directory_then_show_the_status() {
    let scratch = Scratch::new();
    let absent = scratch.assay(&["db", "status"], &[]);
    assert_eq!(code(&absent), 0);
    assert!(stdout(&absent).starts_with("No advisory database in "));
    assert_eq!(scratch.status()["installed"], false);

    let zip = scratch.path().join("npm-all.zip");
    zip_fixtures("npm", &zip);
    let pypi = fixtures().join("PyPI");
    let out = scratch.assay(
        &[
            "db",
            "import",
            zip.to_str().unwrap(),
            pypi.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Read 8 records from 2 inputs: 6 added, 0 updated, 0 unchanged, 0 older than stored; 1 withdrawn (0 removed), 1 in other ecosystems, 1 malformed\n"),
        "{text}"
    );
    assert!(
        text.contains("  malformed: ")
            && text.contains("GHSA-broken-record.json: not an OSV record"),
        "{text}"
    );
    assert!(text.trim_end().ends_with(&format!(
        "6 records in {}",
        scratch.data().join("advisory").display()
    )));
    assert!(scratch.data().join("advisory/CURRENT").is_file());

    let status = scratch.status();
    assert_eq!(status["installed"], true);
    assert_eq!(status["records"], 6);
    let ecosystems: Vec<(String, u64, u64)> = status["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["records"].as_u64().unwrap(),
                e["malicious"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ecosystems,
        [("npm".to_string(), 3, 1), ("PyPI".to_string(), 3, 0)]
    );
    let origins = strings_at(&status, "sources", "origin");
    assert!(origins[0].ends_with("npm-all.zip") && origins[1].ends_with("osv-db/PyPI"));

    let table = stdout(&scratch.assay(&["db", "status"], &[]));
    assert!(table.contains("Built              "), "{table}");
    assert!(table.contains("(just now)"), "{table}");
    assert!(
        table.contains("Records            6 (5 packages, "),
        "{table}"
    );
    let npm_row = table.lines().find(|l| l.starts_with("npm ")).unwrap();
    assert_eq!(
        npm_row.split_whitespace().collect::<Vec<_>>(),
        ["npm", "3", "3", "1"]
    );
}

#[test]
fn failed_imports_are_one_line_and_change_nothing() {
    let scratch = Scratch::new();
    let go = fixtures().join("Go");
    assert_eq!(
        code(&scratch.assay(&["db", "import", go.to_str().unwrap()], &[])),
        0
    );
    let before = scratch.status();

    let missing = scratch.path().join("missing.zip");
    let out = scratch.assay(
        &[
            "db",
            "import",
            go.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        &[],
    );
    assert_fails(&out, "assay: error: cannot import ");
    assert!(stderr(&out).contains("nothing was imported"));

    let zip = scratch.path().join("npm-all.zip");
    zip_fixtures("npm", &zip);
    let bytes = std::fs::read(&zip).unwrap();
    std::fs::write(&zip, &bytes[..bytes.len() - 40]).unwrap();
    let out = scratch.assay(&["db", "import", zip.to_str().unwrap()], &[]);
    assert_fails(&out, "assay: error: cannot import ");
    assert!(
        stderr(&out).contains("not a valid zip archive"),
        "{}",
        stderr(&out)
    );
    assert_eq!(scratch.status(), before);

    // A usage error (no path) is exit 2 too.
    assert_eq!(code(&scratch.assay(&["db", "import"], &[])), 2);
}

/// Python's `http.server` on a loopback port serving `root`: `GET /<path>` answers the
/// file, or 404. When `<path>.cut` exists, the full `Content-Length` is announced but the
/// connection is closed after half of the body.
const MIRROR: &str = r#"
import http.server, os, socket, sys

root = os.path.realpath(sys.argv[1])

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = os.path.realpath(os.path.join(root, self.path.lstrip("/")))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if os.path.exists(path + ".cut"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        else:
            self.wfile.write(body)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// The mirror process, killed when dropped.
struct Mirror {
    child: Child,
    url: String,
    root: PathBuf,
}

impl Mirror {
    fn start(root: PathBuf) -> Mirror {
        let python = std::env::var("ASSAY_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut child = Command::new(&python)
            .args(["-c", MIRROR])
            .arg(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("the db update tests need {python}: {e}"));
        let mut port = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        let port: u16 = port.trim().parse().expect("the mirror prints its port");
        Mirror {
            child,
            url: format!("http://127.0.0.1:{port}"),
            root,
        }
    }

    fn publish(&self, ecosystem: &str) {
        zip_fixtures(ecosystem, &self.root.join(ecosystem).join("all.zip"));
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn update_downloads_from_a_mirror_and_interruptions_change_nothing() {
    let scratch = Scratch::new();
    let mirror = Mirror::start(scratch.path().join("mirror"));
    mirror.publish("npm");
    mirror.publish("PyPI");
    let env = [("ASSAY_OSV_URL", mirror.url.as_str())];
    let update = |extra: &[&str]| {
        let mut args = vec!["db", "update", "--ecosystem", "npm,PyPI"];
        args.extend_from_slice(extra);
        scratch.assay(&args, &env)
    };

    // A loopback mirror needs the operator's opt-in.
    let out = update(&[]);
    assert_fails(&out, "assay: error [PRIVATE_NETWORK_REFUSED]");
    assert!(!scratch.data().join("advisory/CURRENT").exists());

    let out = update(&["--allow-private-network"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("6 added"), "{}", stdout(&out));
    let before = scratch.status();
    assert_eq!(before["records"], 6);
    assert_eq!(
        strings_at(&before, "sources", "origin"),
        [
            format!("{}/npm/all.zip", mirror.url),
            format!("{}/PyPI/all.zip", mirror.url)
        ]
    );
    scratch.assert_no_leftovers();

    // The PyPI archive now holds one more record, but its download is cut mid-body:
    // nothing is imported, not even the npm archive that arrived whole.
    mirror.publish("Go");
    let pypi = mirror.root.join("PyPI/all.zip");
    std::fs::rename(mirror.root.join("Go/all.zip"), &pypi).unwrap();
    std::fs::write(mirror.root.join("PyPI/all.zip.cut"), b"").unwrap();
    let out = update(&["--allow-private-network"]);
    assert_fails(
        &out,
        "assay: error [NETWORK_ERROR]: cannot fetch PyPI/all.zip: download interrupted",
    );
    assert_eq!(scratch.status(), before);
    scratch.assert_no_leftovers();

    // An ecosystem the mirror does not have.
    let out = scratch.assay(
        &[
            "db",
            "update",
            "--ecosystem",
            "npm,crates.io",
            "--allow-private-network",
        ],
        &env,
    );
    assert_fails(
        &out,
        "assay: error [REMOTE_NOT_FOUND]: crates.io/all.zip not found",
    );
    // A mirror answering something that is not a zip archive.
    std::fs::remove_file(mirror.root.join("PyPI/all.zip.cut")).unwrap();
    std::fs::write(&pypi, b"<html><body>Service Unavailable</body></html>").unwrap();
    let out = update(&["--allow-private-network"]);
    assert_fails(
        &out,
        "assay: error [REMOTE_UNUSABLE]: PyPI/all.zip: not a complete zip archive",
    );
    assert_eq!(scratch.status(), before);
    scratch.assert_no_leftovers();

    // Whole again: the update goes through and merges the new record.
    mirror.publish("Go");
    std::fs::rename(mirror.root.join("Go/all.zip"), &pypi).unwrap();
    let out = update(&["--allow-private-network"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = scratch.status();
    assert_eq!(after["records"], 7);
    assert_ne!(after["generation"], before["generation"]);
}
