//! Tests of the `AS8xx` Dockerfile rules: metadata, examples, one fixture snapshot per
//! rule, a benign corpus, and redaction of build secrets.

mod file_rules_common;
mod rule_family_common;

use assay_core::{Family, Severity};
use assay_rules::container;
use file_rules_common::{
    assert_redacted, check_benign, check_examples, check_metadata, fixture_findings, scan,
};

const FAMILY: Family = Family::Container;

#[test]
fn rule_metadata_is_complete() {
    check_metadata(container::RULES, FAMILY, 5);
}

#[test]
fn rule_examples_fire_their_rule_or_nothing() {
    check_examples(FAMILY);
}

#[test]
fn benign_dockerfiles_stay_silent() {
    check_benign(FAMILY, "container");
}

fn snapshot(rule: &str) {
    insta::assert_json_snapshot!(rule, fixture_findings(FAMILY, "container", rule));
}

#[test]
fn fixture_as801_container_runs_as_root() {
    snapshot("AS801");
}

#[test]
fn fixture_as802_curl_pipe_shell() {
    snapshot("AS802");
}

#[test]
fn fixture_as803_secret_in_image_build() {
    let findings = fixture_findings(FAMILY, "container", "AS803");
    for secret in [
        "Zq8vN3kLm2Xw9Rt5",
        "ghp_Zq8vN3kLm2Xw9Rt5hT7kQ2mW9xR4vBnLpZcY",
        "hunter22",
        "EtDbBjvhXYR1AKlWDm",
    ] {
        assert_redacted(&findings, secret);
    }
    insta::assert_json_snapshot!("AS803", findings);
}

#[test]
fn fixture_as804_mutable_base_image() {
    snapshot("AS804");
}

#[test]
fn fixture_as805_unauthenticated_bind_in_cmd() {
    snapshot("AS805");
}

#[test]
fn only_the_final_stage_user_matters() {
    let root_last = "FROM node:22@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS build\nUSER node\nFROM node:22@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nCMD [\"node\"]\n";
    let findings = scan(FAMILY, "Dockerfile", root_last.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        (findings[0].rule_id.as_str(), findings[0].location.line),
        ("AS801", 3)
    );
    let non_root_last = root_last.replace("CMD", "USER 1000\nCMD");
    assert!(scan(FAMILY, "Dockerfile", non_root_last.as_bytes()).is_empty());
}

#[test]
fn pinning_by_tag_is_low_and_latest_is_medium() {
    let severity = |from: &str| {
        let text = format!("FROM {from}\nUSER 1000\n");
        let findings = scan(FAMILY, "Dockerfile", text.as_bytes());
        findings
            .iter()
            .find(|f| f.rule_id == "AS804")
            .map(|f| f.severity)
    };
    assert_eq!(severity("node"), Some(Severity::Medium));
    assert_eq!(severity("node:latest"), Some(Severity::Medium));
    assert_eq!(severity("localhost:5000/node"), Some(Severity::Medium));
    assert_eq!(severity("node:22.11-slim"), Some(Severity::Low));
    assert_eq!(severity("scratch"), None);
}

#[test]
fn non_dockerfiles_are_ignored() {
    let text = "FROM node\nRUN curl https://x.test | sh\n";
    for path in [
        "README.md",
        "docs/Dockerfile.md",
        "src/dockerfile.ts",
        "Dockerfile.json",
    ] {
        assert!(scan(FAMILY, path, text.as_bytes()).is_empty(), "{path}");
    }
}
