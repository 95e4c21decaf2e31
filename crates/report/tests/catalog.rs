//! The rule catalog: `assay rules` as JSON and table, `assay rules explain ID`, and the
//! generated `docs/rules.md`.

mod common;

use assay_report::{RulesFormat, explain_rule, render_rules, rule_doc_url, rules_markdown};
use serde_json::Value;

#[test]
fn rules_json_lists_every_rule_with_its_metadata() {
    let text = render_rules(&common::RULES, RulesFormat::Json, true);
    assert!(!text.contains('\u{1b}'), "JSON is never coloured");
    let value: Value = serde_json::from_str(&text).expect("valid JSON");
    let rules = value.as_array().expect("an array of rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["AS101", "AS201", "AS601"], "every rule, sorted by id");
    let as201 = &rules[1];
    assert_eq!(as201["name"], "command-injection");
    assert_eq!(as201["family"], "code");
    assert_eq!(as201["severity"], "critical");
    assert_eq!(as201["cwe"], serde_json::json!([78]));
    assert_eq!(as201["cwe_ids"], serde_json::json!(["CWE-78"]));
    assert_eq!(as201["owasp_mcp"], "MCP05:2025");
    assert_eq!(as201["examples"][0]["kind"], "true-positive");
    assert_eq!(
        as201["help_uri"],
        rule_doc_url("AS201", "command-injection").as_str()
    );
}

#[test]
fn rules_table_aligns_every_rule() {
    let text = render_rules(&common::RULES, RulesFormat::Table, false);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID     NAME"));
    assert_eq!(
        lines[2],
        "AS201  command-injection          critical  code      Tool parameter reaches a shell command"
    );
    for rule in common::RULES {
        assert!(text.contains(rule.title));
    }
    assert!(text.contains("3 rules."));
    assert!(!text.contains('\u{1b}'));
    let coloured = render_rules(&common::RULES, RulesFormat::Table, true);
    assert!(coloured.contains("\u{1b}[1;31mcritical"));
}

#[test]
fn explain_rule_has_every_section() {
    let text = explain_rule(&common::AS201, false);
    let sections = [
        "AS201 command-injection — Tool parameter reaches a shell command",
        "severity critical · family code (Handler code) · CWE-78 · OWASP MCP05:2025",
        "What it finds",
        "Why it matters",
        "How to fix",
        "Examples",
        "Flagged (server.ts):",
        "Not flagged (server.ts):",
        "References",
        "Default CVSS v4.0 vector",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
        "Documentation: https://",
    ];
    let mut from = 0;
    for section in sections {
        let at = text[from..]
            .find(section)
            .unwrap_or_else(|| panic!("`{section}` missing or out of order in:\n{text}"));
        from += at + section.len();
    }
    assert!(
        text.contains("│   exec(`git ${cmd}`);"),
        "example code is shown"
    );
    assert!(!text.contains('\u{1b}'));
    assert!(explain_rule(&common::AS201, true).contains("\u{1b}[1mWhat it finds"));
}

#[test]
fn rules_markdown_has_a_code_table_and_a_section_per_rule() {
    let doc = rules_markdown(&common::RULES);
    assert!(doc.starts_with("# Rules\n"));
    assert!(doc.ends_with('\n') && !doc.ends_with("\n\n"));
    for (heading, row) in [
        (
            "## AS1xx — Tool, prompt and resource metadata",
            "| [AS101](#as101-hidden-instruction-markup) | hidden-instruction-markup | high |",
        ),
        (
            "## AS2xx — Handler code",
            "| [AS201](#as201-command-injection) | command-injection | critical |",
        ),
        (
            "## AS6xx — Secrets",
            "| [AS601](#as601-hardcoded-secret) | hardcoded-secret | medium |",
        ),
    ] {
        assert!(doc.contains(heading), "{heading}");
        assert!(doc.contains(row), "{row}");
    }
    assert!(
        !doc.contains("AS3xx"),
        "families without rules are left out"
    );
    for rule in common::RULES {
        let heading = format!("\n### {} {}\n", rule.id, rule.name);
        assert!(doc.contains(&heading), "{heading}");
        // The docs link every other format uses points at this section.
        let anchor = rule_doc_url(rule.id, rule.name);
        let anchor = anchor.rsplit_once('#').expect("anchor").1;
        assert_eq!(anchor, format!("{}-{}", rule.id.to_lowercase(), rule.name));
    }
    assert!(doc.contains("```ts\nserver.tool(\"run\""));
    assert!(doc.contains("[CWE-78](https://cwe.mitre.org/data/definitions/78.html)"));
    insta::assert_snapshot!("rules_markdown", doc);
}
