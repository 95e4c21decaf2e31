//! Reduced mode: a minified bundle with more assignments than the pattern rules follow
//! in one file is analysed up to the bound, and its analysis says so in a limit instead
//! of looking complete.

use std::fmt::Write;

use assay_core::LimitKind;
use assay_rules::lang::ParseBudget;
use assay_rules::{FileAnalysis, RuleSet, analyze_file};

/// A one-line bundle: a decoded payload run by `eval`, then `assignments` more
/// assignments (`var a0=0,a1=1,…`).
fn bundle(assignments: usize) -> String {
    let mut text = String::from("const p=atob(q);eval(p);var ");
    for i in 0..assignments {
        write!(text, "a{i}={i},").expect("write to a string");
    }
    text.push_str("z=0;\n");
    text
}

fn analyse(path: &str, text: &str) -> FileAnalysis {
    analyze_file(
        path,
        text.as_bytes(),
        &RuleSet::all(),
        &ParseBudget::default(),
    )
}

#[test]
fn a_bundle_past_the_assignment_bound_is_reported_in_reduced_mode() {
    let path = "dist/bundle.min.js";
    let analysis = analyse(path, &bundle(60_000));
    let reduced: Vec<_> = analysis
        .limits_hit
        .iter()
        .filter(|l| l.kind == LimitKind::AnalysisBudget)
        .collect();
    assert_eq!(reduced.len(), 1, "{:?}", analysis.limits_hit);
    assert_eq!(reduced[0].path.as_deref(), Some(path));
    assert_eq!(reduced[0].limit, 50_000);
    assert!(
        reduced[0].message.contains("reduced mode") && reduced[0].message.contains("assignments"),
        "{}",
        reduced[0].message
    );
    assert!(LimitKind::AnalysisBudget.makes_incomplete());
    // What was followed is still reported: the decoded payload run at the start.
    assert!(
        analysis.findings.iter().any(|f| f.rule_id == "AS503"),
        "{:?}",
        analysis
            .findings
            .iter()
            .map(|f| &f.rule_id)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_bundle_within_the_bounds_is_analysed_in_full() {
    let analysis = analyse("dist/bundle.min.js", &bundle(1_000));
    assert!(analysis.limits_hit.is_empty(), "{:?}", analysis.limits_hit);
    assert!(analysis.findings.iter().any(|f| f.rule_id == "AS503"));
}
