//! Tests of the `AS7xx` client configuration rules: metadata, examples, one fixture
//! snapshot per rule, a benign corpus, redaction, and the per-server shape of findings.

mod file_rules_common;
mod rule_family_common;

use assay_core::{Confidence, Family, Severity};
use assay_rules::client_config;
use file_rules_common::{
    assert_redacted, check_benign, check_examples, check_metadata, fixture_findings, scan,
};

const FAMILY: Family = Family::ClientConfig;

#[test]
fn rule_metadata_is_complete() {
    check_metadata(client_config::RULES, FAMILY, 6);
}

#[test]
fn rule_examples_fire_their_rule_or_nothing() {
    check_examples(FAMILY);
}

#[test]
fn benign_configs_stay_silent() {
    check_benign(FAMILY, "client_config");
}

fn snapshot(rule: &str) {
    insta::assert_json_snapshot!(rule, fixture_findings(FAMILY, "client_config", rule));
}

#[test]
fn fixture_as701_unpinned_launcher() {
    snapshot("AS701");
}

#[test]
fn fixture_as702_inline_shell_command() {
    snapshot("AS702");
}

#[test]
fn fixture_as703_plaintext_secret_in_config() {
    let findings = fixture_findings(FAMILY, "client_config", "AS703");
    for secret in [
        "ghp_Zq8vN3kLm2Xw9Rt5hT7kQ2mW9xR4vBnLpZcY",
        "tfxcI9SkSX7ba8dOql2Wn",
        "EtDbBjvhXYR1AKlWDm",
        "Zq8vN3kLm2Xw9Rt5",
    ] {
        assert_redacted(&findings, secret);
    }
    insta::assert_json_snapshot!("AS703", findings);
}

#[test]
fn fixture_as704_dangerous_docker_flags() {
    snapshot("AS704");
}

#[test]
fn fixture_as705_insecure_remote_server_url() {
    snapshot("AS705");
}

#[test]
fn fixture_as706_auto_approve_enabled() {
    snapshot("AS706");
}

/// `-y` with an exact version does not fire: the registry serves that version
/// immutably, so skipping the prompt installs exactly what was reviewed.
#[test]
fn auto_yes_with_an_exact_version_is_accepted() {
    let config = |spec: &str| {
        format!(
            "{{\"mcpServers\": {{\"s\": {{\"command\": \"npx\", \"args\": [\"-y\", \"{spec}\"]}}}}}}"
        )
    };
    let fired = |spec: &str| {
        scan(FAMILY, ".cursor/mcp.json", config(spec).as_bytes())
            .iter()
            .map(|f| (f.rule_id.clone(), f.severity))
            .collect::<Vec<_>>()
    };
    assert!(fired("@scope/pkg@1.2.3").is_empty());
    assert_eq!(
        fired("@scope/pkg"),
        vec![("AS701".to_string(), Severity::Medium)]
    );
    assert_eq!(
        fired("@scope/pkg@latest"),
        vec![("AS701".to_string(), Severity::Medium)]
    );
    assert_eq!(
        fired("@scope/pkg@^1.2.0"),
        vec![("AS701".to_string(), Severity::Low)]
    );
}

#[test]
fn findings_name_their_server_and_point_at_its_line() {
    let text = "{\n  \"mcpServers\": {\n    \"first\": { \"command\": \"node\", \"args\": [\"a.js\"] },\n    \"second\": {\n      \"command\": \"bash\",\n      \"args\": [\"-c\", \"python x.py\"]\n    }\n  }\n}\n";
    let findings = scan(FAMILY, "claude_desktop_config.json", text.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule_id, "AS702");
    assert_eq!(findings[0].tool.as_deref(), Some("second"));
    assert_eq!(
        (findings[0].location.line, findings[0].location.end_line),
        (5, 6)
    );
}

#[test]
fn configs_in_docs_and_examples_have_low_confidence() {
    let findings = fixture_findings(FAMILY, "client_config", "AS703");
    let docs: Vec<_> = findings
        .iter()
        .filter(|f| f.location.path.starts_with("docs/"))
        .collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].confidence, Confidence::Low);
}

#[test]
fn other_json_files_are_not_client_configs() {
    let text =
        "{\"mcpServers\": {\"x\": {\"command\": \"npx\", \"args\": [\"-y\", \"unpinned\"]}}}";
    for path in [
        "package.json",
        "tsconfig.json",
        "src/settings.json",
        "data/servers.json",
    ] {
        assert!(scan(FAMILY, path, text.as_bytes()).is_empty(), "{path}");
    }
    assert!(!scan(FAMILY, "mcp.json", text.as_bytes()).is_empty());
}
