//! Test helpers shared by the configuration-file rule families (`AS4xx` supply chain,
//! `AS7xx` client configs, `AS8xx` containers): files go through the real analysis
//! driver ([`analyze_file`]), binary files included, with only the family's rules
//! enabled.
//!
//! Fixture files under `tests/fixtures/<family>/<rule>/` mirror a small package (the
//! path below the rule directory is the path the rules see). Synthetic secrets in them
//! are stored defanged with the marker [`MARKER`], which [`fixture_files`] removes, so
//! that this repository does not itself trip secret scanners.

use std::path::{Path, PathBuf};

use assay_core::{ExampleKind, Family, Finding};
use assay_rules::lang::ParseBudget;
use assay_rules::{RuleSet, analyze_file};

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
    for rule in rules.rules() {
        let meta = rule.meta();
        for (i, example) in meta.examples.iter().enumerate() {
            let findings = scan(family, example.file, example.code.as_bytes());
            let fired: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
            match example.kind {
                ExampleKind::TruePositive => assert!(
                    fired.contains(&meta.id),
                    "{} example #{i} ({}): expected {}, got {fired:?}",
                    meta.id,
                    example.file,
                    meta.id
                ),
                ExampleKind::FalsePositive => assert!(
                    fired.is_empty(),
                    "{} example #{i} ({}): expected nothing, got {fired:?}: {findings:#?}",
                    meta.id,
                    example.file,
                ),
            }
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The files of `tests/fixtures/<family_dir>/<name>/`, as (path below that directory,
/// text with [`MARKER`]s removed).
pub fn fixture_files(family_dir: &str, name: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(family_dir)
        .join(name);
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files
        .iter()
        .map(|f| {
            let path = f
                .strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(f).expect("fixture is UTF-8");
            (path, text.replace(MARKER, ""))
        })
        .collect()
}

/// The findings of `rule` over its fixture directory (at least one).
pub fn fixture_findings(family: Family, family_dir: &str, rule: &str) -> Vec<Finding> {
    let mut all = Vec::new();
    for (path, text) in fixture_files(family_dir, rule) {
        all.extend(
            scan(family, &path, text.as_bytes())
                .into_iter()
                .filter(|f| f.rule_id == rule),
        );
    }
    assert!(
        !all.is_empty(),
        "the {rule} fixture produces no {rule} finding"
    );
    all
}

/// Asserts that `tests/fixtures/<family_dir>/benign/` produces no finding of the family.
pub fn check_benign(family: Family, family_dir: &str) {
    let files = fixture_files(family_dir, "benign");
    assert!(files.len() >= 6, "benign corpus too small");
    for (path, text) in files {
        let findings = scan(family, &path, text.as_bytes());
        assert!(findings.is_empty(), "benign {path}: {findings:#?}");
    }
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
