//! Test helpers of the pattern-rule families (`AS3xx` transport, `AS5xx` malicious):
//! the family's rules run directly over one file, and the generic checks of
//! [`rule_family_common`] are run with that scan.

use assay_core::Finding;
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::{FileContext, Rule};

use crate::rule_family_common;

pub use rule_family_common::check_metadata;

/// Runs `rules` over one file, with a syntax tree when some rule asks for one.
pub fn scan(rules: &[&dyn Rule], path: &str, text: &str) -> Vec<Finding> {
    let language = Language::from_path(path);
    let tree = rules
        .iter()
        .any(|r| r.needs_tree(language, text))
        .then(|| lang::parse(language, text, &ParseBudget::default()).ok())
        .flatten();
    let file = FileContext::new(path, text, language, tree.as_ref());
    let mut out = Vec::new();
    for rule in rules {
        rule.check_file(&file, &mut out);
    }
    out
}

/// Every true-positive example fires its rule; every false-positive example fires no
/// rule of the family.
pub fn check_examples(rules: &[&dyn Rule]) {
    rule_family_common::check_examples(rules, |path, text| scan(rules, path, text));
}

/// All findings of `rules` over one fixture directory, which must contain at least one
/// finding of `rule`.
pub fn fixture_findings(rules: &[&dyn Rule], family: &str, rule: &str) -> Vec<Finding> {
    rule_family_common::fixture_findings(
        rule_family_common::fixture_files(family, rule),
        rule,
        |path, text| scan(rules, path, text),
    )
}

/// Asserts that the family's benign corpus (`tests/fixtures/<family>/benign/`) produces
/// no finding at all.
pub fn check_benign(rules: &[&dyn Rule], family: &str) {
    rule_family_common::check_benign(
        rule_family_common::fixture_files(family, "benign"),
        |path, text| scan(rules, path, text),
    );
}
