//! The OpenAPI document against the real `assay serve` on loopback: the binary serves the
//! committed document, answers every documented operation (none falls through to the
//! router's fallback), its answers — a finished scan with findings included — fit the
//! document's schemas, and schemathesis, fuzzing every operation with a key, finds no
//! server error and no answer that contradicts the document.

mod common;
mod service;

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use service::*;

/// A scope set that reaches every keyed route.
const SCOPES: [&str; 6] = [
    "--scope",
    "scan:write",
    "--scope",
    "registry:read",
    "--scope",
    "admin",
];

fn served_document(server: &Server) -> Value {
    let (status, headers, doc) = call("GET", &server.url("/api/v1/openapi.json"), None, &[]);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(header(&headers, "content-type"), Some("application/json"));
    doc
}

/// Every `(method, path)` of `doc`.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    out
}

/// `path` with every `{parameter}` replaced by `value`.
fn fill(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        out.push_str(value);
        rest = after.split_once('}').map_or("", |(_, tail)| tail);
    }
    out.push_str(rest);
    out
}

#[test]
fn the_binary_serves_the_committed_document_and_every_operation_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]);
    let key = server.key("ci@a", "org-a", &SCOPES);
    let auth = bearer(&key);

    let doc = served_document(&server);
    let committed = std::fs::read_to_string(common::repo_root().join("docs/openapi.json")).unwrap();
    let committed: Value = serde_json::from_str(&committed).unwrap();
    assert!(
        doc == committed,
        "the served document is not docs/openapi.json: run `cargo run -p xtask -- docs`"
    );

    let (status, _, fallback) = call("GET", &server.url("/no/such/route"), None, &[]);
    assert_eq!(status, 404);
    let operations = operations(&doc);
    assert!(operations.len() >= 7, "{operations:?}");
    for (method, path) in operations {
        let url = server.url(&fill(&path, "openapi-probe"));
        let body = json!({});
        let body = (method == "POST").then_some(&body);
        let (status, _, answer) = call(&method, &url, body, &[("Authorization", &auth)]);
        assert!(
            status != 0 && status != 405 && answer != fallback,
            "{method} {path} is documented but not served: {status} {answer}"
        );
    }
}

/// A validator for `schema`, a schema of `doc`, resolving its references in `doc`.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let schema = json!({ "allOf": [schema], "components": doc["components"] });
    jsonschema::draft202012::new(&schema).expect("the document's schemas compile")
}

/// The schema of `method path`'s JSON answer with `status`.
fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let pointer = format!(
        "/paths/{}/{}/responses/{status}/content/application~1json/schema",
        path.replace('~', "~0").replace('/', "~1"),
        method.to_lowercase()
    );
    doc.pointer(&pointer)
        .unwrap_or_else(|| panic!("{method} {path} does not document a JSON {status}"))
}

/// Asserts that `body`, answered `status` to `method path`, fits the document.
fn assert_fits(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let schema = answer_schema(doc, method, path, status);
    let errors: Vec<String> = validator(doc, schema)
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status} does not fit the document: {errors:#?}\n{body:#}"
    );
}

#[test]
fn real_answers_fit_the_documented_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    common::write_vulnerable_server(&target);
    let server = Server::start(dir.path(), &["--allow-local-targets"], &[]);
    let key = server.key("ci@a", "org-a", &SCOPES);
    let auth = bearer(&key);
    let headers = [("Authorization", auth.as_str())];
    let doc = served_document(&server);

    let input = format!("path:{}", target.display());
    let (status, _, accepted) = submit(&server, Some(&key), json!({ "input": input }));
    assert_fits(&doc, "POST", "/api/v1/scan", status, &accepted);
    let id = accepted["data"]["scan_id"].as_str().unwrap().to_string();

    let (status, _, running) = call(
        "GET",
        &server.url(&format!("/api/v1/scan/{id}")),
        None,
        &headers,
    );
    assert_fits(&doc, "GET", "/api/v1/scan/{id}", status, &running);

    let report = wait_for(&server, &id, &key, |s| s != "queued" && s != "running");
    assert_eq!(report["status"], "succeeded", "{report}");
    assert!(!report["findings"].as_array().unwrap().is_empty());
    for (path, url) in [
        ("/api/v1/scan/{id}", format!("/api/v1/scan/{id}")),
        ("/scan/{id}", format!("/scan/{id}")),
    ] {
        let (status, _, body) = call("GET", &server.url(&url), None, &headers);
        assert_eq!(status, 200, "{body}");
        assert_fits(&doc, "GET", path, status, &body);
    }
    let (status, _, list) = call("GET", &server.url("/api/v1/scans?limit=5"), None, &headers);
    assert_fits(&doc, "GET", "/api/v1/scans", status, &list);
    let (status, _, health) = call("GET", &server.url("/healthz"), None, &[]);
    assert_fits(&doc, "GET", "/healthz", status, &health);

    for (method, path, url, body) in [
        (
            "GET",
            "/api/v1/scan/{id}",
            "/api/v1/scan/nope".to_string(),
            None,
        ),
        (
            "GET",
            "/api/v1/scans",
            "/api/v1/scans?limit=0".to_string(),
            None,
        ),
        (
            "DELETE",
            "/api/v1/scan/{id}",
            format!("/api/v1/scan/{id}"),
            None,
        ),
        (
            "POST",
            "/api/v1/scan",
            "/api/v1/scan".to_string(),
            Some(json!({ "input": "" })),
        ),
    ] {
        let (status, _, error) = call(method, &server.url(&url), body.as_ref(), &headers);
        assert!(
            (400..500).contains(&status),
            "{method} {url}: {status} {error}"
        );
        assert_fits(&doc, method, path, status, &error);
    }

    // The validator is not vacuous: a view without its scan id does not fit.
    let mut broken = running.clone();
    broken["data"].as_object_mut().unwrap().remove("scan_id");
    let view = validator(&doc, answer_schema(&doc, "GET", "/api/v1/scan/{id}", 200));
    assert!(view.is_valid(&running));
    assert!(!view.is_valid(&broken));
}

/// schemathesis from `scripts/test-services.sh`, or `None` (skipped) when it is not
/// installed — unless `ASSAY_REQUIRE_TEST_SERVICES=1`, where that fails.
fn schemathesis() -> Option<PathBuf> {
    match std::env::var_os("ASSAY_TEST_SCHEMATHESIS").map(PathBuf::from) {
        Some(path) if path.exists() => Some(path),
        _ if std::env::var("ASSAY_REQUIRE_TEST_SERVICES").as_deref() == Ok("1") => {
            panic!("ASSAY_TEST_SCHEMATHESIS is not set or missing: run scripts/test-services.sh")
        }
        _ => {
            eprintln!(
                "skipping: ASSAY_TEST_SCHEMATHESIS not set (run `eval \"$(scripts/test-services.sh)\"`)"
            );
            None
        }
    }
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_outside_the_document() {
    let Some(schemathesis) = schemathesis() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Targets the fuzzer makes up must not reach out: registries point at a closed
    // loopback port, which the service refuses anyway (no --allow-private-network).
    let server = Server::start(
        dir.path(),
        &[],
        &[
            ("ASSAY_NPM_REGISTRY", "http://127.0.0.1:9/"),
            ("ASSAY_PYPI_INDEX", "http://127.0.0.1:9/simple"),
        ],
    );
    let key = server.key("ci@a", "org-a", &SCOPES);
    let out = Command::new(&schemathesis)
        .current_dir(dir.path())
        .args([
            "run",
            &server.url("/api/v1/openapi.json"),
            "--header",
            &format!("Authorization: Bearer {key}"),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "25",
            "--request-timeout",
            "10",
            "--workers",
            "2",
            "--seed",
            "1",
            "--no-color",
        ])
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log_text()
    );
    assert!(stdout.contains("Tested:"), "{stdout}");
    assert!(
        !stdout.contains(&key),
        "schemathesis echoed the key; it must be filtered"
    );
}
