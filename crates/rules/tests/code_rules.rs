//! The package-level rules (AS2xx taint rules, AS109–AS111 behaviour rules), end to end
//! through the analysis driver: every rule's examples are analysed as one-file packages
//! (parse, inventory, taint summary, link, package rules); true positives must raise that
//! rule and false positives no rule of the same group.

use assay_core::{ExampleKind, Finding, Inventory};
use assay_rules::lang::ParseBudget;
use assay_rules::{Rule, RuleSet, analyze_file, analyze_package, behaviour, code};

/// Every finding of the package made of `files` (path, text).
fn analyze(files: &[(&str, &str)]) -> Vec<Finding> {
    let rules = RuleSet::all();
    let mut inventory = Inventory::default();
    let mut summaries = Vec::new();
    let mut findings = Vec::new();
    for (path, text) in files {
        let analysis = analyze_file(path, text.as_bytes(), &rules, &ParseBudget::default());
        findings.extend(analysis.findings);
        inventory.extend(analysis.inventory);
        summaries.push(analysis.taint);
    }
    inventory.sort();
    findings.extend(analyze_package(&inventory, &summaries, &rules));
    findings
}

/// Runs every example of `group`; false positives must raise no rule of the group.
fn check_examples(group: &[&dyn Rule]) -> Vec<String> {
    let group_ids: Vec<&str> = group.iter().map(|r| r.meta().id).collect();
    let mut failures = Vec::new();
    for rule in group {
        let meta = rule.meta();
        assert!(
            meta.examples
                .iter()
                .filter(|e| e.kind == ExampleKind::TruePositive)
                .count()
                >= 3
                && meta
                    .examples
                    .iter()
                    .filter(|e| e.kind == ExampleKind::FalsePositive)
                    .count()
                    >= 3,
            "{} needs at least three examples of each kind",
            meta.id
        );
        for example in meta.examples {
            let findings = analyze(&[(example.file, example.code)]);
            let ids: Vec<&str> = findings
                .iter()
                .map(|f| f.rule_id.as_str())
                .filter(|id| group_ids.contains(id))
                .collect();
            let ok = match example.kind {
                ExampleKind::TruePositive => ids.contains(&meta.id),
                ExampleKind::FalsePositive => ids.is_empty(),
            };
            if !ok {
                failures.push(format!(
                    "{} {:?} example `{}` produced {ids:?}",
                    meta.id, example.kind, example.file
                ));
            }
        }
    }
    failures
}

#[test]
fn every_taint_rule_example_behaves_as_labelled() {
    let failures = check_examples(code::RULES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_behaviour_rule_example_behaves_as_labelled() {
    let failures = check_examples(behaviour::RULES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_carry_the_data_flow_path() {
    let tp = code::RULES
        .iter()
        .flat_map(|r| r.meta().examples.iter().map(move |e| (r.meta().id, e)))
        .find(|(id, e)| *id == "AS201" && e.kind == ExampleKind::TruePositive)
        .expect("AS201 has a true-positive example");
    let findings = analyze(&[(tp.1.file, tp.1.code)]);
    let finding = findings
        .iter()
        .find(|f| f.rule_id == "AS201")
        .expect("AS201 fires on its own example");
    assert!(
        finding.flow.len() >= 2,
        "source and sink at least: {:?}",
        finding.flow
    );
    assert_eq!(
        finding.flow.last().map(|s| &s.location),
        Some(&finding.location)
    );
    assert!(finding.tool.is_some());
    assert!(finding.message.contains("reaches a shell command"));
}
