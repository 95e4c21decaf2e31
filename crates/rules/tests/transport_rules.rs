//! Tests of the `AS3xx` transport rules: metadata, every rule's examples, one fixture
//! snapshot per rule, path-context tempering and a benign corpus that must stay silent.

mod pattern_rules_common;
mod rule_family_common;

use assay_core::{Confidence, Family, Severity};
use assay_rules::transport;
use pattern_rules_common::{check_benign, check_examples, check_metadata, fixture_findings, scan};

#[test]
fn rule_metadata_is_complete() {
    check_metadata(transport::RULES, Family::Transport, 5);
}

#[test]
fn rule_examples_fire_their_rule_and_false_positives_stay_silent() {
    check_examples(transport::RULES);
}

#[test]
fn benign_servers_stay_silent() {
    check_benign(transport::RULES, "transport");
}

fn snapshot(rule: &str) {
    insta::assert_json_snapshot!(rule, fixture_findings(transport::RULES, "transport", rule));
}

#[test]
fn fixture_as301_unauthenticated_network_exposure() {
    snapshot("AS301");
}

#[test]
fn fixture_as302_dns_rebinding_unprotected() {
    snapshot("AS302");
}

#[test]
fn fixture_as303_permissive_cors() {
    snapshot("AS303");
}

#[test]
fn fixture_as304_tls_verification_disabled() {
    snapshot("AS304");
}

#[test]
fn fixture_as305_token_passthrough() {
    snapshot("AS305");
}

#[test]
fn tests_and_examples_are_tempered() {
    let code = "import requests\nr = requests.get(u, verify=False)\n";
    let prod = scan(transport::RULES, "src/client.py", code);
    assert_eq!(prod.len(), 1);
    assert_eq!(
        (prod[0].severity, prod[0].confidence),
        (Severity::Medium, Confidence::High)
    );
    let test = scan(transport::RULES, "tests/test_client.py", code);
    assert_eq!(test.len(), 1);
    assert_eq!(
        (test[0].severity, test[0].confidence),
        (Severity::Low, Confidence::Low)
    );
}

#[test]
fn repeated_matches_collapse_into_one_finding() {
    let code =
        "import requests\na = requests.get(u, verify=False)\nb = requests.post(u, verify=False)\n";
    let findings = scan(transport::RULES, "src/client.py", code);
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.label == "also at line 3")
    );
}

#[test]
fn environment_fallback_hosts_lower_confidence() {
    let code = "from mcp.server.fastmcp import FastMCP\nimport os\nmcp = FastMCP(\"x\", host=os.getenv(\"HOST\", \"0.0.0.0\"))\nmcp.run(transport=\"sse\")\n";
    let findings = scan(transport::RULES, "server.py", code);
    let as301 = findings
        .iter()
        .find(|f| f.rule_id == "AS301")
        .expect("AS301");
    assert_eq!(as301.confidence, Confidence::Medium);
}
