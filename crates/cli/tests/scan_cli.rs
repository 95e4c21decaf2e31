//! End-to-end tests of `assay scan` and `assay rules` through the real binary.

mod common;

use common::*;

#[test]
fn scan_reports_inventory_findings_and_score() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    let out = assay(tmp.path(), &["scan", "srv", "--format", "json"]);
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["schema_version"], "1.0.0");
    assert_eq!(report["complete"], true);
    let tools: Vec<&str> = report["inventory"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tools, vec!["add", "get_time"]);
    let ids = rule_ids(&report);
    assert!(
        ids.iter().any(|id| id == "AS101"),
        "hidden markup not found: {ids:?}"
    );
    assert!(
        ids.iter().any(|id| id.starts_with("AS60")),
        "secret not found: {ids:?}"
    );
    // The benign tool with forceful API docs raises nothing.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["tool"] != "get_time"),
        "benign tool flagged: {report:#}"
    );
    let score = report["score"]["score"].as_u64().unwrap();
    assert!(score < 50, "a poisoned server must fail, got {score}");
    assert_eq!(report["score"]["grade"], "F");
    assert!(!report["score"]["deductions"].as_array().unwrap().is_empty());
    assert_eq!(report["packages"][0]["name"], "demo-server");
}

#[test]
fn secrets_are_redacted_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    let token = synthetic_github_token();
    for format in ["table", "json", "sarif", "markdown"] {
        let out = assay(tmp.path(), &["scan", "srv", "--format", format]);
        assert_eq!(code(&out), 0, "{format}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.is_empty());
        assert!(!text.contains(&token), "{format} output leaks the secret");
        assert!(
            !text.contains(&token[4..20]),
            "{format} output leaks part of the secret"
        );
        assert!(!stderr(&out).contains(&token[4..20]));
    }
}

#[test]
fn gates_set_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    let out = assay(
        tmp.path(),
        &["scan", "srv", "--fail-on", "high", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("gate tripped"));
    let out = assay(
        tmp.path(),
        &["scan", "srv", "--min-score", "90", "--format", "json"],
    );
    assert_eq!(code(&out), 1);

    let clean = tmp.path().join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(
        clean.join("index.js"),
        "export const add = (a, b) => a + b;\n",
    )
    .unwrap();
    let out = assay(
        tmp.path(),
        &["scan", "clean", "--fail-on", "low", "--min-score", "100"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn each_format_renders() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));

    let table = assay(tmp.path(), &["scan", "srv"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("add") && text.contains("get_time"),
        "inventory missing:\n{text}"
    );
    assert!(text.contains("AS101"));
    assert!(
        !text.contains('\x1b'),
        "colour codes when not on a terminal"
    );

    let sarif = assay(tmp.path(), &["scan", "srv", "--format", "sarif"]);
    let sarif = json(&sarif);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    let md = assay(tmp.path(), &["scan", "srv", "--format", "markdown"]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with('#'), "markdown starts with a heading:\n{md}");
    assert!(md.contains("AS101"));

    let out = assay(
        tmp.path(),
        &["scan", "srv", "--format", "json", "--output", "r.json"],
    );
    assert_eq!(code(&out), 0);
    assert!(out.stdout.is_empty(), "--output leaves stdout empty");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(written["target"]["input"], "srv");
}

#[test]
fn json_output_validates_against_the_published_schema() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    let out = assay(tmp.path(), &["scan", "srv", "--format", "json"]);
    let report = json(&out);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match its schema: {errors:#?}"
    );
}

#[test]
fn same_input_gives_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    let strip = |mut v: serde_json::Value| {
        v["stats"]["duration_ms"] = serde_json::Value::Null;
        serde_json::to_string(&v).unwrap()
    };
    let a = strip(json(&assay(
        tmp.path(),
        &["scan", "srv", "--format", "json"],
    )));
    let b = strip(json(&assay(
        tmp.path(),
        &["scan", "srv", "--format", "json"],
    )));
    assert_eq!(a, b);
}

#[test]
fn bad_targets_fail_with_one_line_and_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "hello").unwrap();
    std::fs::write(tmp.path().join("broken.tgz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    // A bare name would be an npm package; `./` makes it a path.
    for target in ["./does-not-exist", "notes.txt"] {
        let out = assay(tmp.path(), &["scan", target]);
        assert_eq!(code(&out), 2, "{target}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.starts_with("assay: error"), "{target}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{target}: one line, got {err}"
        );
        assert!(!err.contains("panicked"));
    }
    // A corrupt archive still ends in a report or a clean error, never a panic.
    let out = assay(tmp.path(), &["scan", "broken.tgz", "--format", "json"]);
    assert!(matches!(code(&out), 2 | 3), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));

    let out = assay(tmp.path(), &["scan"]);
    assert_eq!(code(&out), 2, "usage error");
    let out = assay(tmp.path(), &["scan", ".", "--fail-on", "severe"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn rules_command_lists_and_explains() {
    let tmp = tempfile::tempdir().unwrap();
    let out = assay(tmp.path(), &["rules", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let rules = json(&out);
    let ids: Vec<&str> = rules
        .as_array()
        .expect("a JSON array of rules")
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"AS101") && ids.iter().any(|id| id.starts_with("AS6")));
    let table = assay(tmp.path(), &["rules"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("AS101"));
    let explain = assay(tmp.path(), &["rules", "explain", "AS101"]);
    assert_eq!(code(&explain), 0);
    assert!(String::from_utf8_lossy(&explain.stdout).contains("AS101"));
    let unknown = assay(tmp.path(), &["rules", "explain", "AS999"]);
    assert_eq!(code(&unknown), 2);
}
