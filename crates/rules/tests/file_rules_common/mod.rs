//! Test helpers shared by the configuration-file rule families (`AS4xx` supply chain,
//! `AS7xx` client configs, `AS8xx` containers): files go through the real analysis
//! driver ([`analyze_file`]), binary files included, with only the family's rules
//! enabled, and the generic checks of [`rule_family_common`] are run with that scan.
//!
//! Fixture files under `tests/fixtures/<family>/<rule>/` mirror a small package (the
//! path below the rule directory is the path the rules see). Synthetic secrets in them
//! are stored defanged with the marker [`MARKER`], which [`fixture_files`] removes, so
//! that this repository does not itself trip secret scanners.

use assay_core::{Family, Finding};
use assay_rules::lang::ParseBudget;
use assay_rules::{RuleSet, analyze_file};

use crate::rule_family_common;

pub use rule_family_common::check_metadata;

/// Splits every synthetic secret in the fixture files.
pub const MARKER: &str = "<<>>";

/// Runs the rules of `family` over one file through the analysis driver.
pub fn scan(family: Family, path: &str, bytes: &[u8]) -> Vec<Finding> {
    let rules = RuleSet::filtered(|meta| meta.family == family);
    analyze_file(path, bytes, &rules, &ParseBudget::default()).findings
}

/// Every true-positive example fires its rule; every false-positive example fires no
/// rule of the family.
pub fn check_examples(family: Family) {
    let rules = RuleSet::filtered(|meta| meta.family == family);
    assert!(!rules.is_empty());
    rule_family_common::check_examples(rules.rules(), |path, text| {
        scan(family, path, text.as_bytes())
    });
}

/// The files of `tests/fixtures/<family_dir>/<name>/`, as (path below that directory,
/// text with [`MARKER`]s removed).
fn fixture_files(family_dir: &str, name: &str) -> Vec<(String, String)> {
    rule_family_common::fixture_files(family_dir, name)
        .into_iter()
        .map(|(path, text)| (path, text.replace(MARKER, "")))
        .collect()
}

/// The findings of `rule` over its fixture directory (at least one).
pub fn fixture_findings(family: Family, family_dir: &str, rule: &str) -> Vec<Finding> {
    rule_family_common::fixture_findings(fixture_files(family_dir, rule), rule, |path, text| {
        scan(family, path, text.as_bytes())
            .into_iter()
            .filter(|f| f.rule_id == rule)
            .collect()
    })
}

/// Asserts that `tests/fixtures/<family_dir>/benign/` produces no finding of the family.
pub fn check_benign(family: Family, family_dir: &str) {
    rule_family_common::check_benign(fixture_files(family_dir, "benign"), |path, text| {
        scan(family, path, text.as_bytes())
    });
}

/// Fails when any finding shows `secret` past the 4-character prefix redaction may
/// keep.
pub fn assert_redacted(findings: &[Finding], secret: &str) {
    let json = serde_json::to_string(findings).expect("findings serialise");
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.get(4..).unwrap_or_default().windows(8) {
        let piece: String = window.iter().collect();
        assert!(
            !json.contains(&piece),
            "secret fragment {piece:?} leaked: {json}"
        );
    }
}
