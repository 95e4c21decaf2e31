//! End-to-end tests of suppressions: `assay.toml`, inline comments and baselines.

mod common;

use common::*;

fn findings_of(report: &serde_json::Value, rule_prefix: &str) -> usize {
    rule_ids(report)
        .iter()
        .filter(|id| id.starts_with(rule_prefix))
        .count()
}

/// The JSON report of the vulnerable server `srv`, scanned with `config` as the
/// `assay.toml` of the directory the scan runs in (outside the target).
fn scan_with_user_config(config: &str) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    write_vulnerable_server(&tmp.path().join("srv"));
    std::fs::write(tmp.path().join("assay.toml"), config).unwrap();
    scan_json(tmp.path(), "srv")
}

#[test]
fn config_ignores_rules_and_reports_unused_entries() {
    let report = scan_with_user_config(
        "[rules]\nignore = [\"AS6\", \"AS107\"]\n[paths]\nexclude = [\"nothing/**\"]\n",
    );
    assert_eq!(findings_of(&report, "AS6"), 0);
    assert!(findings_of(&report, "AS1") > 0);
    let suppressed = report["suppressed"].as_array().unwrap();
    assert!(
        suppressed
            .iter()
            .any(|s| s["kind"] == "config" && s["rule_id"].as_str().unwrap().starts_with("AS6"))
    );
    let unused: Vec<&str> = report["unused_suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["entry"].as_str().unwrap())
        .collect();
    assert!(unused.iter().any(|e| e.contains("AS107")), "{unused:?}");
    assert!(
        unused.iter().any(|e| e.contains("nothing/**")),
        "{unused:?}"
    );
}

#[test]
fn the_target_cannot_configure_its_own_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let srv = tmp.path().join("srv");
    write_vulnerable_server(&srv);
    std::fs::write(
        srv.join("assay.toml"),
        "[rules]\nignore = [\"AS1\", \"AS6\"]\n",
    )
    .unwrap();
    let report = scan_json(tmp.path(), "srv");
    assert!(
        findings_of(&report, "AS1") > 0,
        "target's own assay.toml must not be read"
    );
}

#[test]
fn path_excludes_skip_files() {
    let report = scan_with_user_config("[paths]\nexclude = [\"src/config.ts\"]\n");
    assert_eq!(findings_of(&report, "AS6"), 0);
    assert_eq!(
        report["complete"], true,
        "excludes are the user's choice, not a gap"
    );
}

#[test]
fn inline_ignores_apply_unless_disabled_and_unused_ones_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let srv = tmp.path().join("srv");
    write_vulnerable_server(&srv);
    let config = std::fs::read_to_string(srv.join("src/config.ts")).unwrap();
    std::fs::write(
        srv.join("src/config.ts"),
        format!("// assay-ignore: AS601, AS604 test fixture token, revoked\n{config}// assay-ignore: AS602 nothing here\n"),
    )
    .unwrap();
    let report = scan_json(tmp.path(), "srv");
    assert_eq!(findings_of(&report, "AS6"), 0, "{report:#}");
    let inline: Vec<&serde_json::Value> = report["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "inline")
        .collect();
    assert!(!inline.is_empty());
    assert_eq!(inline[0]["reason"], "test fixture token, revoked");
    assert!(
        report["unused_suppressions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["kind"] == "inline" && u["entry"].as_str().unwrap().contains("AS602"))
    );

    let strict = json(&assay(
        tmp.path(),
        &["scan", "srv", "--format", "json", "--no-inline-ignores"],
    ));
    assert!(findings_of(&strict, "AS6") > 0);
}

#[test]
fn baselines_gate_only_new_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let srv = tmp.path().join("srv");
    write_vulnerable_server(&srv);
    let out = assay(
        tmp.path(),
        &[
            "scan",
            "srv",
            "--write-baseline",
            "base.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    let accepted = baseline["findings"].as_array().unwrap().len();
    assert!(accepted >= 2);

    // Unrelated edits (lines shift) keep the fingerprints valid.
    let index = std::fs::read_to_string(srv.join("src/index.ts")).unwrap();
    std::fs::write(srv.join("src/index.ts"), format!("// header\n\n{index}")).unwrap();
    let out = assay(
        tmp.path(),
        &[
            "scan",
            "srv",
            "--baseline",
            "base.json",
            "--fail-on",
            "low",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        code(&out),
        0,
        "baselined findings must not trip the gate: {}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["score"]["score"], 100);

    // A new finding trips it; a fixed one shows up as an unused baseline entry.
    std::fs::write(srv.join("src/config.ts"), "export const x = 1;\n").unwrap();
    std::fs::write(
        srv.join("src/new.ts"),
        format!("const t = \"{}\";\n", synthetic_github_token()),
    )
    .unwrap();
    let out = assay(
        tmp.path(),
        &[
            "scan",
            "srv",
            "--baseline",
            "base.json",
            "--fail-on",
            "low",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert!(findings_of(&report, "AS6") > 0);
    assert!(
        report["unused_suppressions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["kind"] == "baseline"
                && u["entry"].as_str().unwrap().contains("src/config.ts"))
    );
}
