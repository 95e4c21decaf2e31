//! The OpenAPI document: the committed `docs/openapi.json` is the generated one, every
//! route registered outside `routes!` is in it, operation ids are unique and every
//! reference resolves. (That the server answers every documented operation, and that its
//! answers fit the schemas, is checked against the real binary in
//! `crates/cli/tests/serve_openapi.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn document() -> &'static Value {
    assay_server::openapi::document()
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo().join("docs/openapi.json")).unwrap_or_default();
    let generated = assay_server::openapi::pretty();
    if committed != generated {
        let (line, old, new) = committed
            .lines()
            .chain(std::iter::repeat("<end of file>"))
            .zip(generated.lines().chain(std::iter::repeat("<end of file>")))
            .enumerate()
            .find(|(_, (old, new))| old != new)
            .map(|(i, (old, new))| (i + 1, old, new))
            .expect("different texts differ in a line");
        panic!(
            "docs/openapi.json is not the document the handlers generate (line {line}: \
             committed {old:?}, generated {new:?}); regenerate it with \
             `cargo run -p xtask -- docs`"
        );
    }
}

#[test]
fn it_is_openapi_3_1_with_both_ways_to_present_a_key() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["api_key"]["type"], "apiKey");
    assert_eq!(schemes["api_key"]["in"], "header");
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
}

/// The Rust sources of the server crate.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path, text));
        }
    }
}

/// The first argument of every `.{method}(` call in `text`, if it is a string literal
/// (`Err` with the call's text if not).
fn literal_arguments(text: &str, method: &str) -> Vec<Result<String, String>> {
    let needle = format!(".{method}(");
    text.match_indices(&needle)
        .map(|(at, _)| {
            let rest = text[at + needle.len()..].trim_start();
            rest.strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(literal, _)| literal.to_string())
                .ok_or_else(|| rest.chars().take(60).collect())
        })
        .collect()
}

#[test]
fn every_route_registered_outside_routes_macro_is_documented() {
    // `routes!` registers a handler together with its `#[utoipa::path]`; any other way of
    // adding a route must name a documented path, or the route is missing from the
    // document.
    let paths: BTreeSet<&str> = document()["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut undocumented = Vec::new();
    for (file, text) in &files {
        for method in ["route", "route_service", "nest_service"] {
            for argument in literal_arguments(text, method) {
                match argument {
                    Ok(path) if paths.iter().any(|p| p.ends_with(&path)) => {}
                    Ok(path) => {
                        undocumented.push(format!("{}: .{method}({path:?})", file.display()))
                    }
                    Err(call) => undocumented.push(format!(
                        "{}: .{method}({call}…) (not a literal path)",
                        file.display()
                    )),
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "routes registered without `routes!` and an annotated handler: {undocumented:#?}"
    );
}

#[test]
fn the_route_scan_sees_plain_registrations() {
    let calls = literal_arguments(
        r#"Router::new().route("/a", get(a)).route_service( "/b", s).route(PATH, get(c))"#,
        "route",
    );
    assert_eq!(calls[0], Ok("/a".to_string()));
    assert!(calls[1].is_err(), "{calls:?}");
    assert_eq!(calls.len(), 2);
}

/// Every `(method, path, operation)` of the document.
fn operations() -> Vec<(String, String, &'static Value)> {
    let mut out = Vec::new();
    for (path, item) in document()["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), operation));
        }
    }
    out
}

#[test]
fn operation_ids_are_unique() {
    let mut seen = BTreeSet::new();
    for (method, path, operation) in operations() {
        let id = operation["operationId"].as_str().unwrap_or_default();
        assert!(
            seen.insert(id.to_string()),
            "operationId {id:?} of {method} {path} is used twice: give the handler's \
             #[utoipa::path] an `operation_id`"
        );
    }
}

#[test]
fn every_operation_describes_its_errors_and_security() {
    for (method, path, operation) in operations() {
        let responses = operation["responses"].as_object().unwrap();
        assert!(
            responses.contains_key("500"),
            "{method} {path} has no 500: {responses:?}"
        );
        assert!(
            operation["security"].is_array(),
            "{method} {path} says nothing of keys: add `security(...)` to its annotation"
        );
        // An operation that takes a key is behind the key middleware: its 401 for a bad
        // key, its 429 and its rate-limit headers must be documented.
        let takes_a_key = operation["security"]
            .as_array()
            .is_some_and(|alternatives| alternatives.iter().any(|a| a != &serde_json::json!({})));
        if takes_a_key {
            for status in ["401", "429"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} has no {status}"
                );
            }
            let headers = &responses["429"]["headers"];
            assert!(headers["Retry-After"].is_object(), "{method} {path}");
            for (status, response) in responses {
                assert!(
                    response["headers"]["X-RateLimit-Remaining"].is_object(),
                    "{method} {path} {status} lacks the rate-limit headers"
                );
            }
        }
    }
}

/// Every `$ref` under `value`.
fn references<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            for (key, item) in object {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => out.push(target),
                    _ => references(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_the_report_types_are_components() {
    let doc = document();
    let mut targets = Vec::new();
    references(doc, &mut targets);
    assert!(targets.contains(&"#/components/schemas/Finding"));
    for target in targets {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{target} points outside the document"));
        assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let report = std::fs::read_to_string(repo().join("docs/report.schema.json")).unwrap();
    let report: Value = serde_json::from_str(&report).unwrap();
    for name in report["$defs"].as_object().unwrap().keys() {
        assert!(schemas.contains_key(name), "the report's {name} is missing");
    }
    let names = |schema: &Value| -> Vec<String> {
        schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(names(&schemas["Report"]), names(&report));
}
