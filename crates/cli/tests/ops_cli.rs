//! Service operations end to end, with the real binary: a `DELETE` stops a running scan's
//! engine and frees the only worker at once; `GET /metrics` parses as Prometheus text and
//! counts what happened; the keyed progress stream serves a private scan to its org only,
//! without its credential; 200 concurrent submissions each run exactly once (SQLite and
//! PostgreSQL); and on PostgreSQL, `assay worker` processes run the jobs of a
//! `serve --workers 0`, one of them killed with `kill -9` mid-scan without the job being
//! lost or run twice.

mod common;
#[path = "../../store/tests/common/postgres.rs"]
mod postgres;
mod service;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use service::*;

/// How soon after a `DELETE` the next job must be running on the freed worker: well under
/// the 5 s the worker waits for an engine that ignores its token, and the 20 s heartbeat.
const PROMPT: Duration = Duration::from_secs(3);

/// A PostgreSQL database of its own, or `None` (skipped; see `postgres.rs`).
fn postgres_database() -> Option<String> {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(postgres::database())
}

/// Metric samples by name and sorted labels (`name{a="1",b="2"}`), after checking that
/// every line is a comment or a valid sample.
fn scrape(server: &Server) -> BTreeMap<String, f64> {
    let (status, headers, body) = call("GET", &server.url("/metrics"), None, &[]);
    assert_eq!(status, 200, "{body}");
    assert!(
        header(&headers, "content-type")
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")),
        "{headers:?}"
    );
    let text = body.as_str().expect("metrics are text");
    let mut samples = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("bad line: {line}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad name: {line}"
        );
        let mut labels = Vec::new();
        if name_end < series.len() {
            let inner = series[name_end..]
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .unwrap_or_else(|| panic!("bad labels: {line}"));
            for pair in inner.split("\",").filter(|p| !p.is_empty()) {
                let (key, value) = pair
                    .split_once("=\"")
                    .unwrap_or_else(|| panic!("bad label: {line}"));
                assert!(
                    key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{line}"
                );
                labels.push(format!("{key}=\"{}\"", value.trim_end_matches('"')));
            }
        }
        labels.sort();
        let key = if labels.is_empty() {
            name.to_string()
        } else {
            format!("{name}{{{}}}", labels.join(","))
        };
        assert!(
            samples.insert(key, value).is_none(),
            "duplicate series: {line}"
        );
    }
    samples
}

fn sample(samples: &BTreeMap<String, f64>, key: &str) -> f64 {
    samples.get(key).copied().unwrap_or(0.0)
}

#[test]
fn deleting_a_running_scan_stops_its_engine_and_frees_the_only_worker() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    common::write_vulnerable_server(&target);
    let registry = npm_registry(dir.path());
    registry.stall.store(true, Ordering::SeqCst);
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let server = Server::start(
        dir.path(),
        &[
            "--allow-private-network",
            "--allow-local-targets",
            "--workers",
            "1",
        ],
        &env,
    );
    let key = server.key("c", "org-c", &["--scope", "scan:write"]);
    let before = scrape(&server);
    assert_eq!(sample(&before, "assay_workers{state=\"idle\"}"), 1.0);

    // The only worker waits on a registry that never answers.
    let (_, _, body) = submit(&server, Some(&key), json!({ "input": "npm:demo-server" }));
    let stalled = body["data"]["scan_id"].as_str().unwrap().to_string();
    wait_for(&server, &stalled, &key, |s| s == "running");
    assert_eq!(
        sample(&scrape(&server), "assay_workers{state=\"busy\"}"),
        1.0
    );
    // The next job queues behind it.
    let input = format!("path:{}", target.display());
    let (_, _, body) = submit(&server, Some(&key), json!({ "input": input }));
    let next = body["data"]["scan_id"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(wait_for(&server, &next, &key, |_| true)["status"], "queued");

    let auth = bearer(&key);
    let deleted = Instant::now();
    let (status, _, body) = call(
        "DELETE",
        &server.url(&format!("/api/v1/scan/{stalled}")),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(status, 200, "{body}");
    wait_for(&server, &next, &key, |s| s != "queued");
    let started = deleted.elapsed();
    assert!(
        started < PROMPT,
        "the next job started {started:?} after the DELETE: {}",
        server.log_text()
    );
    let done = wait_for(&server, &next, &key, |s| s == "succeeded" || s == "failed");
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        wait_for(&server, &stalled, &key, |_| true)["status"],
        "cancelled"
    );
    assert!(
        !server.log_text().contains("did not stop"),
        "{}",
        server.log_text()
    );

    // The metrics saw one cancelled and one succeeded job, and the requests made.
    let after = scrape(&server);
    assert_eq!(
        sample(&after, "assay_scans_finished_total{outcome=\"cancelled\"}")
            - sample(&before, "assay_scans_finished_total{outcome=\"cancelled\"}"),
        1.0
    );
    assert_eq!(
        sample(&after, "assay_scans_finished_total{outcome=\"succeeded\"}")
            - sample(&before, "assay_scans_finished_total{outcome=\"succeeded\"}"),
        1.0
    );
    assert_eq!(sample(&after, "assay_scan_duration_seconds_count"), 2.0);
    assert_eq!(
        sample(&after, "assay_queue_jobs{status=\"cancelled\"}"),
        1.0
    );
    assert_eq!(sample(&after, "assay_workers{state=\"idle\"}"), 1.0);
    let submits =
        "assay_http_requests_total{method=\"POST\",route=\"/api/v1/scan\",status=\"202\"}";
    assert_eq!(sample(&after, submits) - sample(&before, submits), 2.0);
    let deletes =
        "assay_http_requests_total{method=\"DELETE\",route=\"/api/v1/scan/{id}\",status=\"200\"}";
    assert_eq!(sample(&after, deletes), 1.0);
    assert!(
        sample(
            &after,
            "assay_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/scan/{id}\"}"
        ) >= 3.0
    );
    assert!(
        after
            .keys()
            .any(|k| k.starts_with("assay_build_info{version=")),
        "{after:?}"
    );
    // Unknown paths share one label.
    call("GET", &server.url("/no/such/page"), None, &[]);
    let unmatched = scrape(&server);
    assert_eq!(
        sample(
            &unmatched,
            "assay_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
        ),
        1.0
    );
}

#[test]
fn the_keyed_stream_serves_a_private_scan_to_its_org_only_and_never_the_credential() {
    let dir = tempfile::tempdir().unwrap();
    let registry = npm_registry(dir.path());
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let server = Server::start(dir.path(), &["--allow-private-network"], &env);
    let owner = server.key("o", "org-o", &["--scope", "scan:write"]);
    let reader = server.key("o", "org-o", &["--scope", "scan:read"]);
    let stranger = server.key("s", "org-s", &["--scope", "scan:write"]);
    let token = "npm_streamsecret0123456789";
    let (status, _, body) = submit(
        &server,
        Some(&owner),
        json!({ "input": "npm:demo-server", "scan_visibility": "private",
                "credentials": { "type": "npm", "token": token } }),
    );
    assert_eq!(status, 202, "{body}");
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/scan/{id}/stream");

    for key in [&owner, &reader] {
        let auth = bearer(key);
        let (status, events, raw) = sse_at(&server, &path, &[("authorization", &auth)], None);
        assert_eq!(status, 200, "{raw}");
        assert_eq!(events.first().unwrap().1, "queued", "{raw}");
        assert_eq!(events.last().unwrap().1, "finished", "{raw}");
        assert!(events.iter().any(|e| e.1 == "running"), "{raw}");
        let seqs: Vec<u64> = events.iter().map(|e| e.0).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        assert!(!raw.contains(token), "the credential leaked: {raw}");
        // Resuming after the first event skips it.
        let (_, resumed, _) = sse_at(&server, &path, &[("x-api-key", key)], Some(seqs[0]));
        assert_eq!(resumed, events[1..].to_vec());
    }
    let auth = bearer(&stranger);
    let (status, events, raw) = sse_at(&server, &path, &[("authorization", &auth)], None);
    assert_eq!((status, events.len()), (404, 0), "{raw}");
    assert!(raw.contains("NOT_FOUND"), "{raw}");
    let (status, _, raw) = sse_at(&server, &path, &[], None);
    assert_eq!(status, 404, "{raw}");
    let (status, _, raw) = sse_at(&server, &format!("/scan/{id}/stream"), &[], None);
    assert_eq!(status, 404, "{raw}");
    // A key without a read scope is refused.
    let submitter = server.key("o", "org-o", &["--scope", "scan:submit"]);
    let auth = bearer(&submitter);
    let (status, _, raw) = sse_at(&server, &path, &[("authorization", &auth)], None);
    assert_eq!(status, 403, "{raw}");
    assert!(!server.log_text().contains(token));
}

/// Submits one local target per directory from as many threads at once, waits for all,
/// and checks that each ran exactly once: one `running` and one terminal event, attempt 1.
fn two_hundred_concurrent_submissions(server: &Server, dir: &std::path::Path) {
    const N: usize = 200;
    let key = server.key("load", "org-load", &["--scope", "scan:write"]);
    let targets: Vec<String> = (0..N)
        .map(|n| {
            let target = dir.join(format!("t{n}"));
            std::fs::create_dir_all(&target).unwrap();
            std::fs::write(
                target.join("index.js"),
                format!("module.exports = () => process.env.VALUE_{n};\n"),
            )
            .unwrap();
            format!("path:{}", target.display())
        })
        .collect();
    let started = Instant::now();
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .iter()
            .map(|input| {
                let key = &key;
                scope.spawn(move || {
                    let (status, _, body) = submit(server, Some(key), json!({ "input": input }));
                    assert_eq!(status, 202, "{body}");
                    body["data"]["scan_id"].as_str().unwrap().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), N, "every target is its own job");
    for id in &ids {
        let done = wait_for(server, id, &key, |s| s != "queued" && s != "running");
        assert_eq!(done["status"], "succeeded", "{done}");
        let events = sse(server, id, None);
        let kinds: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
        let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
        assert_eq!(
            (count("queued"), count("running"), count("finished")),
            (1, 1, 1),
            "{id}: {kinds:?}"
        );
        let running = events.iter().find(|e| e.1 == "running").unwrap();
        assert_eq!(running.2["attempt"], 1, "{id}: {running:?}");
    }
    eprintln!("{N} concurrent submissions done in {:?}", started.elapsed());
}

#[test]
fn two_hundred_concurrent_submissions_each_run_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &["--allow-local-targets", "--workers", "2"],
        &[],
    );
    two_hundred_concurrent_submissions(&server, dir.path());
    let metrics = scrape(&server);
    assert_eq!(
        sample(&metrics, "assay_queue_jobs{status=\"succeeded\"}"),
        200.0
    );
    assert_eq!(
        sample(
            &metrics,
            "assay_scans_finished_total{outcome=\"succeeded\"}"
        ),
        200.0
    );
}

#[test]
fn two_hundred_concurrent_submissions_each_run_once_on_postgres() {
    let Some(db) = postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_on(
        dir.path(),
        &db,
        free_port(),
        &["--allow-local-targets", "--workers", "2"],
        &[],
    );
    two_hundred_concurrent_submissions(&server, dir.path());
}

#[test]
fn worker_processes_share_the_postgres_queue_and_survive_kill_9() {
    let Some(db) = postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let registry = npm_registry(dir.path());
    registry.stall.store(true, Ordering::SeqCst);
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let server = Server::start_on(dir.path(), &db, free_port(), &["--workers", "0"], &env);
    let key = server.key("w", "org-w", &["--scope", "scan:write"]);
    let worker_args = [
        "--allow-private-network",
        "--workers",
        "1",
        "--job-lease",
        "2",
    ];
    let mut first = Process::worker(dir.path(), &db, 1, &worker_args, &env);

    // Only the first worker exists: it takes the job and stalls on the registry.
    let (_, _, body) = submit(&server, Some(&key), json!({ "input": "npm:demo-server" }));
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();
    wait_for(&server, &id, &key, |s| s == "running");
    let second = Process::worker(dir.path(), &db, 2, &worker_args, &env);
    first.kill9();
    registry.stall.store(false, Ordering::SeqCst);

    // The second takes it over once the lease expires, and runs it to the end.
    let done = wait_for(&server, &id, &key, |s| s == "succeeded" || s == "failed");
    assert_eq!(
        done["status"],
        "succeeded",
        "{done}\n{}\n{}",
        first.log_text(),
        second.log_text()
    );
    let events = sse(&server, &id, None);
    let running: Vec<&Value> = events
        .iter()
        .filter(|e| e.1 == "running")
        .map(|e| &e.2["attempt"])
        .collect();
    assert_eq!(running, [&json!(1), &json!(2)], "{events:?}");
    let terminal = events
        .iter()
        .filter(|e| ["finished", "failed", "cancelled"].contains(&e.1.as_str()))
        .count();
    assert_eq!(terminal, 1, "{events:?}");

    // More jobs, spread over the surviving worker and a new one, each run once.
    let third = Process::worker(dir.path(), &db, 3, &worker_args, &env);
    let ids: Vec<String> = (0..6)
        .map(|_| {
            let (status, _, body) = submit(
                &server,
                Some(&key),
                json!({ "input": "npm:demo-server", "force": true }),
            );
            assert_eq!(status, 202, "{body}");
            body["data"]["scan_id"].as_str().unwrap().to_string()
        })
        .collect();
    for id in &ids {
        let done = wait_for(&server, id, &key, |s| s == "succeeded" || s == "failed");
        assert_eq!(done["status"], "succeeded", "{done}\n{}", third.log_text());
        let kinds: Vec<String> = sse(&server, id, None).into_iter().map(|e| e.1).collect();
        assert_eq!(
            kinds.iter().filter(|k| *k == "running").count(),
            1,
            "{kinds:?}"
        );
    }
    // serve --workers 0 ran nothing itself.
    assert!(server.log_text().contains("0 worker(s)"));
}

#[test]
fn assay_worker_refuses_sqlite_and_serve_refuses_zero_workers_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
    let out = common::assay(dir.path(), &["worker", "--database", &db]);
    assert_eq!(common::code(&out), 2);
    assert!(
        common::stderr(&out).contains("needs a PostgreSQL database"),
        "{}",
        common::stderr(&out)
    );
    let out = common::assay(dir.path(), &["serve", "--database", &db, "--workers", "0"]);
    assert_eq!(common::code(&out), 2);
    assert!(
        common::stderr(&out).contains("need PostgreSQL"),
        "{}",
        common::stderr(&out)
    );
}
