//! A file analysed in reduced mode makes the scan incomplete: the report lists the limit
//! for the file, says `complete: false` and caps the score, so it never looks clean.

use assay_core::{LimitKind, ProgressEvent};
use assay_engine::{AdvisoryDatabase, Config, FetchOptions, ScanRequest, scan};

#[test]
fn a_bundle_with_more_functions_than_followed_makes_the_scan_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    // A one-line bundle of 6 000 named functions (the pattern rules follow 5 000), one of
    // which returns fetched text: with a tool `description`, that brings in the rule that
    // lists the file's functions.
    let mut bundle = String::from(
        "const tool={description:\"\"};async function load(u){return (await fetch(u)).text()}",
    );
    for n in 0..6_000 {
        bundle.push_str(&format!("function f{n}(a){{return a+{n}}}"));
    }
    std::fs::write(dir.path().join("bundle.min.js"), &bundle).unwrap();
    std::fs::write(dir.path().join("small.js"), "function g(){return 1}\n").unwrap();

    let fetch = FetchOptions::default();
    let target = dir.path().to_str().unwrap();
    let quiet = |_: &ProgressEvent| {};
    let report = scan(&ScanRequest {
        target,
        fetch: &fetch,
        config: &Config::default(),
        baseline: None,
        inline_ignores: false,
        progress: &quiet,
        generated_at: None,
        advisories: &AdvisoryDatabase::Off,
    })
    .expect("the scan runs");

    let reduced: Vec<_> = report
        .limits_hit
        .iter()
        .filter(|l| l.kind == LimitKind::AnalysisBudget)
        .collect();
    assert_eq!(reduced.len(), 1, "{:?}", report.limits_hit);
    assert_eq!(reduced[0].path.as_deref(), Some("bundle.min.js"));
    assert!(
        reduced[0].message.contains("named functions"),
        "{}",
        reduced[0].message
    );
    assert!(!report.complete, "a reduced analysis is not a complete one");
    assert!(
        report.score.score < 100,
        "an incomplete scan's score is capped"
    );
}
