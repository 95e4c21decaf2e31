//! The compatibility routes through the real `assay serve` on loopback: Enkrypt AI's MCP
//! Hub (`/mcp-hub/*`) scanning a package from a loopback npm registry, and MCP Security
//! Score's `{url}` API on `/api/v1/scan` scanning a repository from a real `git daemon`
//! (`ASSAY_GITHUB_URL`). Success bodies are compared with the examples of the seed
//! documents (keys and types, and values where they are deterministic); errors with their
//! APIs' shapes (FastAPI's `422`/`401`, Score's codes). Also: private Enkrypt scans stay
//! in their org, `cached` says when a result was reused, and `tool_scores` agree with the
//! findings.

mod common;
mod service;
#[path = "../../source/tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use service::{Server, call, get_scan, header, npm_registry, submit};
use support::{git, git_daemon, tool};

/// The `202` example of Enkrypt's OpenAPI (`MCPHubScanResponse`, `new_scan`).
const ENKRYPT_ACCEPTED: &str = r#"{"job_id": "123e4567-e89b-12d3-a456-426614174000",
    "source_url": "https://github.com/user/mcp-server", "user_email": "user@example.com",
    "job_status": "initializing", "message": "Scan job created successfully"}"#;
/// The success example of MCP Security Score's API reference.
const SCORE_SUCCESS: &str = r#"{"id": "scan_xxx", "status": "complete",
    "url": "https://github.com/owner/repo", "score": 85, "grade": "B"}"#;
/// Its error example.
const SCORE_ERROR: &str = r#"{"error": {"code": "INVALID_URL",
    "message": "Invalid GitHub URL provided",
    "details": "URL must be a valid GitHub repository URL"}}"#;

fn seed(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of `example` is in `actual`, with a value of the same JSON type.
fn assert_shaped_like(actual: &Value, example: &Value) {
    for (key, value) in example.as_object().unwrap() {
        let got = actual
            .get(key)
            .unwrap_or_else(|| panic!("`{key}` missing from {actual}"));
        assert_eq!(kind(got), kind(value), "type of `{key}` in {actual}");
    }
}

/// The grade of a score, from the bands in docs/scoring.md.
fn grade_of(score: u64) -> &'static str {
    match score {
        90.. => "A",
        80..=89 => "B",
        65..=79 => "C",
        50..=64 => "D",
        _ => "F",
    }
}

/// `tool_scores` name every tool of the inventory once, count the findings attached to
/// that tool, give 100/A to a tool without findings and less to one with a high one, and
/// grade by the documented bands.
fn assert_tool_scores_fit(tool_scores: &Value, findings: &Value, inventory: &Value) {
    let scores = tool_scores.as_array().unwrap();
    let findings = findings.as_array().unwrap();
    let mut names: Vec<&str> = scores.iter().map(|t| t["name"].as_str().unwrap()).collect();
    let mut tools: Vec<&str> = inventory["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    tools.sort_unstable();
    tools.dedup();
    assert_eq!(names, tools);
    for tool in scores {
        let name = tool["name"].as_str().unwrap();
        let about: Vec<&Value> = findings.iter().filter(|f| f["tool"] == name).collect();
        assert_eq!(tool["findings"], json!(about.len()), "{tool}");
        let score = tool["score"].as_u64().unwrap();
        assert_eq!(tool["grade"], grade_of(score), "{tool}");
        if about.is_empty() {
            assert_eq!(score, 100, "{tool}");
        }
        if about
            .iter()
            .any(|f| f["severity"] == "critical" || f["severity"] == "high")
        {
            assert!(score < 100, "{tool} has findings {about:?}");
        }
    }
}

/// An Enkrypt request with the key in Enkrypt's `apikey` header.
fn hub(server: &Server, method: &str, path: &str, body: Option<&Value>, key: &str) -> (u16, Value) {
    let (status, _, body) = call(method, &server.url(path), body, &[("apikey", key)]);
    (status, body)
}

fn poll<T>(server: &Server, what: &str, mut done: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(value) = done() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{what} timed out: {}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Polls Enkrypt's status route until the job ended.
fn wait_for_job(server: &Server, job_id: &str, key: &str) -> Value {
    poll(server, "job", || {
        let (status, body) = hub(
            server,
            "GET",
            &format!("/mcp-hub/scan/{job_id}/status"),
            None,
            key,
        );
        assert_eq!(status, 200, "{body}");
        let state = body["job_status"].as_str().unwrap();
        ["completed", "failed", "cancelled"]
            .contains(&state)
            .then_some(body)
    })
}

#[test]
fn enkrypt_hub_scans_reports_and_keeps_private_jobs_in_their_org() {
    let dir = tempfile::tempdir().unwrap();
    let registry = npm_registry(dir.path());
    let server = Server::start(
        dir.path(),
        &["--allow-private-network"],
        &[("ASSAY_NPM_REGISTRY", &registry.url)],
    );
    let account = "dev@example.org";
    let key = server.key(account, "acme", &["--scope", "scan:write"]);
    let outsider = server.key("eve@example.org", "other", &["--scope", "scan:write"]);
    let reader = server.key(account, "acme", &["--scope", "scan:list"]);
    let request = json!({ "source_url": "demo-server", "version_or_commit": "1.0.0" });

    // FastAPI's 401 and 403: `{detail: "…"}`.
    let (status, _, body) = call("POST", &server.url("/mcp-hub/scan"), Some(&request), &[]);
    assert_eq!((status, keys(&body)), (401, vec!["detail"]), "{body}");
    assert_eq!(kind(&body["detail"]), "string");
    let (status, body) = hub(
        &server,
        "POST",
        "/mcp-hub/scan",
        Some(&request),
        "assay_0123456789_00",
    );
    assert_eq!((status, keys(&body)), (401, vec!["detail"]), "{body}");
    let (status, body) = hub(&server, "POST", "/mcp-hub/scan", Some(&request), &reader);
    assert_eq!((status, keys(&body)), (403, vec!["detail"]), "{body}");

    // FastAPI's 422: every failing field, with pydantic's types and messages.
    let (status, body) = hub(&server, "POST", "/mcp-hub/scan", Some(&json!({})), &key);
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body,
        json!({ "detail": [{ "type": "missing", "loc": ["body", "source_url"],
            "msg": "Field required", "input": {} }] })
    );
    let bad = json!({ "source_url": 7, "version_or_commit": false, "is_private": "perhaps" });
    let (status, body) = hub(&server, "POST", "/mcp-hub/scan", Some(&bad), &key);
    assert_eq!(status, 422, "{body}");
    let found: Vec<(&str, &Value, &str)> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["type"].as_str().unwrap(),
                &v["loc"][1],
                v["msg"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "string_type",
                &json!("source_url"),
                "Input should be a valid string"
            ),
            (
                "string_type",
                &json!("version_or_commit"),
                "Input should be a valid string"
            ),
            (
                "bool_parsing",
                &json!("is_private"),
                "Input should be a valid boolean, unable to interpret input"
            ),
        ]
    );
    let (status, body) = hub(
        &server,
        "POST",
        "/mcp-hub/scan",
        Some(&json!({ "source_url": "/etc" })),
        &key,
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["type"], "value_error");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "source_url"]));
    assert_eq!(body["detail"][0]["input"], "/etc");

    // A new job: the seed's keys and types, its deterministic values, our account.
    let (status, accepted) = hub(&server, "POST", "/mcp-hub/scan", Some(&request), &key);
    assert_eq!(status, 202, "{accepted}");
    let example = seed(ENKRYPT_ACCEPTED);
    assert_eq!(keys(&accepted), keys(&example));
    assert_shaped_like(&accepted, &example);
    assert_eq!(accepted["job_status"], example["job_status"]);
    assert_eq!(accepted["message"], example["message"]);
    assert_eq!(accepted["source_url"], "demo-server");
    assert_eq!(accepted["user_email"], account);
    let job_id = accepted["job_id"].as_str().unwrap().to_string();
    assert_eq!(job_id.len(), 36, "a UUID like the seed's: {job_id}");

    let done = wait_for_job(&server, &job_id, &key);
    assert_eq!(done["job_status"], "completed", "{done}");
    assert_eq!(done["version_or_commit"], "1.0.0");
    assert_eq!(done["is_private"], false);
    let (status, results) = hub(
        &server,
        "GET",
        &format!("/mcp-hub/scan/{job_id}/results"),
        None,
        &key,
    );
    assert_eq!(status, 200, "{results}");
    assert_eq!(results["job_id"], job_id.as_str());
    let score = results["score"].as_u64().unwrap();
    assert!(
        score < 100,
        "the vulnerable server scores below 100: {results}"
    );
    assert_eq!(results["grade"], grade_of(score));
    assert!(!results["findings"].as_array().unwrap().is_empty());
    assert_tool_scores_fit(
        &results["tool_scores"],
        &results["findings"],
        &results["inventory"],
    );
    let add = results["tool_scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "add")
        .unwrap();
    assert!(add["findings"].as_u64().unwrap() > 0, "{add}");
    assert_eq!(results["cached"], false);

    // Assay's view of the same job agrees, and is not yet a reused result.
    let (status, view) = get_scan(&server, &job_id, &key);
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["data"]["safety_score"], results["score"]);
    assert_eq!(view["data"]["tool_scores"], results["tool_scores"]);
    assert_eq!(view["data"]["cached"], false);

    // The same request again is answered with the finished job; now it was reused.
    let (status, again) = hub(&server, "POST", "/mcp-hub/scan", Some(&request), &key);
    assert_eq!(status, 202, "{again}");
    assert_eq!(
        (&again["job_id"], &again["job_status"]),
        (&json!(job_id), &json!("completed"))
    );
    let (_, view) = get_scan(&server, &job_id, &key);
    assert_eq!(view["data"]["cached"], true, "{view}");
    let (_, results) = hub(
        &server,
        "GET",
        &format!("/mcp-hub/scan/{job_id}/results"),
        None,
        &key,
    );
    assert_eq!(results["cached"], true);

    // A private job is its org's only: another org gets 404, as for a missing job.
    let private = json!({ "source_url": "demo-server", "is_private": true });
    let (status, accepted) = hub(&server, "POST", "/mcp-hub/scan", Some(&private), &key);
    assert_eq!(status, 202, "{accepted}");
    let private_id = accepted["job_id"].as_str().unwrap().to_string();
    assert_ne!(
        private_id, job_id,
        "a private scan does not reuse a public result"
    );
    let private_done = wait_for_job(&server, &private_id, &key);
    assert_eq!(private_done["is_private"], true);
    for path in ["status", "results"] {
        let (status, body) = hub(
            &server,
            "GET",
            &format!("/mcp-hub/scan/{private_id}/{path}"),
            None,
            &outsider,
        );
        assert_eq!((status, keys(&body)), (404, vec!["detail"]), "{body}");
    }
    assert_eq!(get_scan(&server, &private_id, &outsider).0, 404);
    let (status, _) = hub(
        &server,
        "GET",
        "/mcp-hub/scan/no-such-job/status",
        None,
        &key,
    );
    assert_eq!(status, 404);

    // The list: the org's jobs only, newest first, with FastAPI's query validation.
    let (status, page) = hub(&server, "GET", "/mcp-hub/scans?limit=10", None, &key);
    assert_eq!(status, 200, "{page}");
    let ids: Vec<&str> = page["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["job_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [private_id.as_str(), job_id.as_str()]);
    assert_eq!((&page["total"], &page["limit"]), (&json!(2), &json!(10)));
    let (_, other_page) = hub(&server, "GET", "/mcp-hub/scans", None, &outsider);
    assert_eq!(other_page["total"], 0, "{other_page}");
    let (status, body) = hub(&server, "GET", "/mcp-hub/scans?limit=0", None, &key);
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["detail"][0],
        json!({ "type": "greater_than_equal", "loc": ["query", "limit"],
            "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": { "ge": 1 } })
    );
}

#[test]
fn score_clients_use_the_same_paths_with_a_url_body_and_get_score_shapes() {
    let Some(git_path) = tool("ASSAY_TEST_GIT") else {
        return;
    };
    let served = tempfile::tempdir().unwrap();
    let repo = served.path().join("team/demo.git");
    std::fs::create_dir_all(&repo).unwrap();
    git(&git_path, &repo, &["init", "-q", "-b", "main"]);
    common::write_vulnerable_server(&repo);
    git(&git_path, &repo, &["add", "-A"]);
    git(&git_path, &repo, &["commit", "-q", "-m", "server"]);
    let daemon = git_daemon(&git_path, served.path());
    let github = format!("git://127.0.0.1:{}", daemon.port);

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &["--allow-private-network"],
        &[("ASSAY_GITHUB_URL", &github)],
    );
    let key = server.key("ci@example.org", "score-org", &["--scope", "scan:write"]);
    let url = "https://github.com/team/demo";

    let (status, _, created) = submit(&server, Some(&key), json!({ "url": url }));
    assert_eq!(status, 202, "{created}");
    assert_eq!(
        created.get("success"),
        None,
        "Score bodies have no envelope: {created}"
    );
    assert_eq!(
        (&created["status"], &created["url"]),
        (&json!("pending"), &json!(url))
    );
    assert_eq!(
        (&created["score"], &created["grade"]),
        (&Value::Null, &Value::Null)
    );
    let id = created["id"].as_str().unwrap().to_string();
    let bare = id
        .strip_prefix("scan_")
        .expect("Score ids start with scan_")
        .to_string();

    let get = |id: &str| get_scan(&server, id, &key);
    let complete = poll(&server, "score scan", || {
        let (status, body) = get(&id);
        assert_eq!(status, 200, "{body}");
        assert!(
            ["pending", "scanning", "complete"].contains(&body["status"].as_str().unwrap()),
            "{body}"
        );
        (body["status"] == "complete").then_some(body)
    });
    let example = seed(SCORE_SUCCESS);
    assert_shaped_like(&complete, &example);
    assert_eq!(
        (&complete["id"], &complete["url"]),
        (&json!(id), &json!(url))
    );
    let score = complete["score"].as_u64().unwrap();
    assert!(score < 100, "{complete}");
    assert_eq!(complete["grade"], grade_of(score));

    // The same scan through Assay's id is Assay's shape, with the same result.
    let (status, view) = get(&bare);
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["success"], true);
    assert_eq!(view["data"]["safety_score"], complete["score"]);
    assert_eq!(view["data"]["tool_scores"], complete["tool_scores"]);
    assert_tool_scores_fit(
        &complete["tool_scores"],
        &complete["findings"],
        &view["data"]["inventory"],
    );

    // Submitting it again returns the finished scan.
    let (status, _, again) = submit(&server, Some(&key), json!({ "url": url }));
    assert_eq!(status, 202, "{again}");
    assert_eq!(
        (&again["id"], &again["status"], &again["cached"]),
        (&json!(id), &json!("complete"), &json!(true))
    );

    // Score's errors: the seed's INVALID_URL, UNAUTHORIZED, NOT_FOUND, REPO_NOT_FOUND.
    let (status, _, body) = submit(
        &server,
        Some(&key),
        json!({ "url": "https://gitlab.com/team/demo" }),
    );
    assert_eq!(status, 400);
    assert_eq!(body, seed(SCORE_ERROR));
    let (status, _, body) = submit(&server, Some(&key), json!({ "url": 42 }));
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("INVALID_URL")),
        "{body}"
    );
    let (status, _, body) = submit(&server, Some("assay_0123456789_00"), json!({ "url": url }));
    assert_eq!(status, 401, "{body}");
    assert_eq!(keys(&body), ["error"]);
    assert_eq!(keys(&body["error"]), ["code", "details", "message"]);
    assert_eq!(body["error"]["code"], "UNAUTHORIZED");
    let (status, body) = get("scan_00000000-0000-0000-0000-000000000000");
    assert_eq!(
        (status, &body["error"]["code"]),
        (404, &json!("NOT_FOUND")),
        "{body}"
    );

    let (status, _, missing) = submit(
        &server,
        Some(&key),
        json!({ "url": "https://github.com/team/missing" }),
    );
    assert_eq!(status, 202, "{missing}");
    let missing_id = missing["id"].as_str().unwrap().to_string();
    let (status, body) = poll(&server, "missing repository", || {
        let (status, body) = get(&missing_id);
        (status != 200).then_some((status, body))
    });
    assert_eq!(
        (status, &body["error"]["code"]),
        (404, &json!("REPO_NOT_FOUND")),
        "{body}"
    );

    // Assay's own body on the same path is still Assay's.
    let (status, _, body) = submit(&server, Some(&key), json!({ "input": "github:team/demo" }));
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        (&body["success"], kind(&body["data"]["scan_id"])),
        (&json!(true), "string")
    );
}

#[test]
fn score_clients_get_rate_limit_exceeded_with_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]);
    let key = server.key(
        "tiny@example.org",
        "tiny-org",
        &["--scope", "scan:write", "--tier", "tiny"],
    );
    let body = json!({ "url": "https://gitlab.com/team/demo" });
    for _ in 0..3 {
        let (status, _, answer) = submit(&server, Some(&key), body.clone());
        assert_eq!(
            (status, &answer["error"]["code"]),
            (400, &json!("INVALID_URL"))
        );
    }
    let (status, headers, answer) = submit(&server, Some(&key), body);
    assert_eq!(status, 429, "{answer}");
    assert_eq!(keys(&answer), ["error"]);
    assert_eq!(answer["error"]["code"], "RATE_LIMIT_EXCEEDED");
    assert_eq!(kind(&answer["error"]["details"]), "string");
    assert_eq!(header(&headers, "x-ratelimit-limit"), Some("3"));
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("0"));
    assert!(header(&headers, "retry-after").is_some());
}
