//! `assay serve` end to end: the real binary on a loopback port with a temporary SQLite
//! file, keys made with `assay keys create`, real HTTP (and a tiny npm registry on
//! loopback that can be made to stall, for cancellation and crash recovery).

mod common;
mod service;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::json;
use service::*;

#[test]
fn a_local_scan_runs_to_a_report_streams_its_progress_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    common::write_vulnerable_server(&target);
    let server = Server::start(
        dir.path(),
        &["--allow-local-targets", "--workers", "2"],
        &[],
    );
    let key = server.key("ci@a", "org-a", &["--scope", "scan:write"]);

    let input = format!("path:{}", target.display());
    let (status, headers, body) = submit(&server, Some(&key), json!({ "input": input }));
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["cached"], false);
    assert!(header(&headers, "x-ratelimit-limit").is_some());
    assert!(header(&headers, "x-ratelimit-remaining").is_some());
    assert!(header(&headers, "x-ratelimit-reset").is_some());
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();

    let report = wait_for(&server, &id, &key, |s| s != "queued" && s != "running");
    assert_eq!(report["status"], "succeeded", "{report}");
    assert!(report["safety_score"].as_u64().unwrap() < 100);
    assert!(report["safety_grade"].is_string());
    assert!(report["aivss_score"].as_f64().unwrap() > 0.0);
    assert!(!report["findings"].as_array().unwrap().is_empty());
    assert!(report["severity_distribution"]["critical"].is_u64());
    let tools: Vec<&str> = report["inventory"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tools, ["add", "get_time"]);
    assert_eq!(report["scan_mode_used"], "fast");
    assert!(report["schema_version"].is_string());
    assert!(report["timings"]["scan_ms"].is_u64());

    // The same submission again is answered from the stored result.
    let (_, _, again) = submit(&server, Some(&key), json!({ "input": input }));
    assert_eq!(again["data"]["scan_id"], id.as_str());
    assert_eq!(again["data"]["cached"], true);

    // Public page without a key.
    let (status, _, public) = call("GET", &server.url(&format!("/scan/{id}")), None, &[]);
    assert_eq!(status, 200);
    assert_eq!(public["data"]["safety_score"], report["safety_score"]);

    // The whole stream, then resumed after event 2.
    let events = sse(&server, &id, None);
    let kinds: Vec<&str> = events.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"queued"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"finished"), "{kinds:?}");
    assert!(kinds.contains(&"phase"), "{kinds:?}");
    let seqs: Vec<u64> = events.iter().map(|(s, _, _)| *s).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    let resumed = sse(&server, &id, Some(2));
    assert_eq!(resumed, events[2..].to_vec());

    // History.
    let auth = bearer(&key);
    let (status, _, list) = call(
        "GET",
        &server.url("/api/v1/scans?limit=10"),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["data"]["total"], 1);
    assert_eq!(list["data"]["items"][0]["scan_id"], id.as_str());
    let (status, _, bad) = call(
        "GET",
        &server.url("/api/v1/scans?limit=1000"),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (400, Some("INVALID_INPUT"))
    );

    // Unknown ids and routes.
    let (status, _, missing) = call(
        "GET",
        &server.url("/api/v1/scan/nope"),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(
        (status, missing["error"]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );
}

#[test]
fn keys_are_checked_for_validity_scope_expiry_revocation_and_source_network() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]);
    let list = |key: Option<&str>| {
        let auth = key.map(bearer);
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("authorization", a.as_str())).collect();
        call("GET", &server.url("/api/v1/scans"), None, &headers)
    };
    let good = server.key("a", "org-a", &["--scope", "scan:list"]);
    assert_eq!(list(Some(&good)).0, 200);
    // X-API-Key works too.
    assert_eq!(
        call(
            "GET",
            &server.url("/api/v1/scans"),
            None,
            &[("x-api-key", &good)]
        )
        .0,
        200
    );

    let unauthorized = list(None);
    assert_eq!(
        (unauthorized.0, unauthorized.2["error"]["code"].as_str()),
        (401, Some("UNAUTHORIZED"))
    );
    let mut forged = good.clone();
    forged.pop();
    forged.push(if good.ends_with('0') { '1' } else { '0' });
    assert_eq!(list(Some(&forged)).2, unauthorized.2);
    assert_eq!(list(Some("assay_nonsense")).2, unauthorized.2);

    let revoked = server.key("b", "org-b", &["--scope", "scan:list"]);
    assert_eq!(list(Some(&revoked)).0, 200);
    let prefix = &revoked[..revoked.rfind('_').unwrap()];
    let out = common::assay(
        dir.path(),
        &[
            "keys",
            "revoke",
            "--database",
            &server.db,
            "--account",
            "b",
            prefix,
        ],
    );
    assert_eq!(common::code(&out), 0, "{}", common::stderr(&out));
    // Verified keys are remembered for `--key-cache-ttl` (5 s by default): revocation
    // takes effect within that, and then answers exactly like an unknown key.
    let revoked_at = Instant::now();
    while list(Some(&revoked)).0 == 200 {
        assert!(
            revoked_at.elapsed() < Duration::from_secs(7),
            "a revoked key still works after the key cache TTL"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(list(Some(&revoked)).2, unauthorized.2);

    let expiring = server.key(
        "c",
        "org-c",
        &["--scope", "scan:list", "--expires-in", "2s"],
    );
    assert_eq!(list(Some(&expiring)).0, 200);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(list(Some(&expiring)).2, unauthorized.2);

    // Missing scope and a foreign source network: the same 403.
    let submit_only = server.key("d", "org-d", &["--scope", "scan:submit"]);
    let no_scope = list(Some(&submit_only));
    assert_eq!(
        (no_scope.0, no_scope.2["error"]["code"].as_str()),
        (403, Some("FORBIDDEN"))
    );
    let pinned = server.key(
        "e",
        "org-e",
        &["--scope", "scan:list", "--allow-cidr", "10.0.0.0/8"],
    );
    let outside = list(Some(&pinned));
    assert_eq!((outside.0, &outside.2), (403, &no_scope.2));
    let local = server.key(
        "f",
        "org-f",
        &["--scope", "scan:list", "--allow-cidr", "127.0.0.0/8"],
    );
    assert_eq!(list(Some(&local)).0, 200);

    let out = common::assay(
        dir.path(),
        &[
            "keys",
            "list",
            "--database",
            &server.db,
            "--account",
            "b",
            "--format",
            "json",
        ],
    );
    let keys = common::json(&out);
    assert_eq!(keys[0]["active"], false);
    assert!(keys[0]["revoked_at"].is_string());
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&revoked[prefix.len()..]));
}

#[test]
fn private_scans_stay_in_their_org_and_credentials_are_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    common::write_vulnerable_server(&target);
    let server = Server::start(dir.path(), &["--allow-local-targets"], &[]);
    let a = server.key("alice", "org-a", &["--scope", "scan:write"]);
    let b = server.key("bob", "org-b", &["--scope", "scan:write"]);
    let token = common::synthetic_github_token();
    let mut bodies = Vec::new();

    let input = format!("path:{}", target.display());
    let (status, _, body) = submit(
        &server,
        None,
        json!({ "input": input, "scan_visibility": "private" }),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("PRIVATE_REQUIRES_SIGNIN"))
    );
    let (status, _, body) = submit(&server, None, json!({ "input": input, "mode": "deep" }));
    assert_eq!(status, 401, "{body}");

    let creds = json!({ "type": "github", "token": token });
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": "github:org/repo", "credentials": creds }),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("CREDENTIALS_PUBLIC_SCAN"))
    );
    bodies.push(body);
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": "pypi:requests", "scan_visibility": "private", "credentials": creds }),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("CREDENTIAL_TYPE_MISMATCH"))
    );
    bodies.push(body);
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": "github:org/repo", "scan_visibility": "private", "credentials": { "type": "github", "token": token, "extra": token } }),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_CREDENTIALS"))
    );
    bodies.push(body);
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": "github:org/repo", "scan_visibility": "private", "credentials": token }),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("INVALID_CREDENTIALS"))
    );
    bodies.push(body);

    // A private scan whose credential reaches the worker: the fetch is refused (loopback
    // is not allowed), the failure names the code and never the token.
    let git_token = token.replacen("ghp_", "tok-", 1);
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": "git+http://127.0.0.1:9/private.git", "scan_visibility": "private", "credentials": { "type": "git", "token": git_token } }),
    );
    assert_eq!(status, 202, "{body}");
    let failing = body["data"]["scan_id"].as_str().unwrap().to_string();
    let failed = wait_for(&server, &failing, &a, |s| s == "failed" || s == "succeeded");
    assert_eq!(
        failed["error"]["code"], "PRIVATE_NETWORK_REFUSED",
        "{failed}"
    );
    bodies.push(failed);

    // A private scan is visible to its org only.
    let (status, _, body) = submit(
        &server,
        Some(&a),
        json!({ "input": input, "scan_visibility": "private" }),
    );
    assert_eq!(status, 202, "{body}");
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();
    let done = wait_for(&server, &id, &a, |s| s == "succeeded" || s == "failed");
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["scan_visibility"], "private");
    let (status, stranger) = get_scan(&server, &id, &b);
    let (_, nothing) = get_scan(&server, "00000000-0000-0000-0000-000000000000", &b);
    assert_eq!((status, &stranger), (404, &nothing));
    assert_eq!(
        call("GET", &server.url(&format!("/scan/{id}")), None, &[]).0,
        404
    );
    assert_eq!(
        call("GET", &server.url(&format!("/scan/{id}/stream")), None, &[]).0,
        404
    );
    let auth_b = bearer(&b);
    let (_, _, b_list) = call(
        "GET",
        &server.url("/api/v1/scans"),
        None,
        &[("authorization", &auth_b)],
    );
    assert_eq!(b_list["data"]["total"], 0);

    let db = std::fs::read(dir.path().join("service.db")).unwrap();
    for secret in [&token, &git_token] {
        for body in &bodies {
            assert!(!body.to_string().contains(secret.as_str()), "{body}");
        }
        assert!(!server.log_text().contains(secret.as_str()));
        assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
}

#[test]
fn rate_limits_answer_429_with_headers_and_details() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]);
    let key = server.key("tiny", "org-t", &["--scope", "scan:read", "--tier", "tiny"]);
    let auth = bearer(&key);
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let (status, headers, _) = call(
            "GET",
            &server.url("/api/v1/scans"),
            None,
            &[("authorization", &auth)],
        );
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "x-ratelimit-limit"), Some("3"));
        remaining.push(
            header(&headers, "x-ratelimit-remaining")
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let (status, headers, body) = call(
        "GET",
        &server.url("/api/v1/scans"),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    let details = &body["error"]["details"];
    assert_eq!(
        (details["window"].as_str(), details["tier"].as_str()),
        (Some("minute"), Some("tiny"))
    );
    assert_eq!(
        (details["current"].as_u64(), details["limit"].as_u64()),
        (Some(4), Some(3))
    );
    let retry: u64 = header(&headers, "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(details["retry_after_seconds"].as_u64(), Some(retry));
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("0"));
}

#[test]
fn a_running_scan_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let registry = npm_registry(dir.path());
    registry.stall.store(true, Ordering::SeqCst);
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let server = Server::start(
        dir.path(),
        &["--allow-private-network", "--workers", "1"],
        &env,
    );
    let key = server.key("c", "org-c", &["--scope", "scan:write"]);
    let (_, _, body) = submit(&server, Some(&key), json!({ "input": "npm:demo-server" }));
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();
    wait_for(&server, &id, &key, |s| s == "running");
    let auth = bearer(&key);
    let stranger = server.key("s", "org-s", &["--scope", "scan:write"]);
    let auth_s = bearer(&stranger);
    assert_eq!(
        call(
            "DELETE",
            &server.url(&format!("/api/v1/scan/{id}")),
            None,
            &[("authorization", &auth_s)]
        )
        .0,
        403
    );
    let (status, _, body) = call(
        "DELETE",
        &server.url(&format!("/api/v1/scan/{id}")),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        wait_for(&server, &id, &key, |s| s != "running")["status"],
        "cancelled"
    );
    let (status, _, body) = call(
        "DELETE",
        &server.url(&format!("/api/v1/scan/{id}")),
        None,
        &[("authorization", &auth)],
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("CONFLICT"))
    );
    let events = sse(&server, &id, None);
    assert_eq!(events.last().unwrap().1, "cancelled");
}

#[test]
fn a_scan_survives_kill_9_of_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let registry = npm_registry(dir.path());
    registry.stall.store(true, Ordering::SeqCst);
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let args = [
        "--allow-private-network",
        "--workers",
        "1",
        "--job-lease",
        "2",
    ];
    let mut server = Server::start(dir.path(), &args, &env);
    let key = server.key("k", "org-k", &["--scope", "scan:write"]);
    let (_, _, body) = submit(&server, Some(&key), json!({ "input": "npm:demo-server" }));
    let id = body["data"]["scan_id"].as_str().unwrap().to_string();
    wait_for(&server, &id, &key, |s| s == "running");
    server.kill9();
    registry.stall.store(false, Ordering::SeqCst);
    let db = server.db.clone();
    drop(server);
    let restarted = Server::start_on(dir.path(), &db, free_port(), &args, &env);
    let done = wait_for(&restarted, &id, &key, |s| s == "succeeded" || s == "failed");
    assert_eq!(
        done["status"],
        "succeeded",
        "{done}\n{}",
        restarted.log_text()
    );
    assert!(!done["findings"].as_array().unwrap().is_empty());
}
