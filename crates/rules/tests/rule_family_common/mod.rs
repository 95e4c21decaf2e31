//! Test helpers shared by every rule-family test, whatever runs the rules: the generic
//! metadata and examples checks, fixture loading, fixture findings and the benign
//! corpus. Each family's own helper module supplies how one file is scanned, as a
//! `scan(path, text)` closure.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::str::FromStr;

use assay_core::{ExampleKind, Family, Finding, Severity};
use assay_rules::Rule;

/// The CVSS v4.0 band of a severity.
fn band(severity: Severity) -> (f64, f64) {
    match severity {
        Severity::Critical => (9.0, 10.0),
        Severity::High => (7.0, 8.9),
        Severity::Medium => (4.0, 6.9),
        Severity::Low => (0.1, 3.9),
        Severity::Info => (0.0, 0.0),
    }
}

/// Ids, names, CWE, CVSS band, texts and example counts of every rule of a family.
pub fn check_metadata(rules: &[&dyn Rule], family: Family, count: usize) {
    check_metadata_fields(rules, family, count);
    for rule in rules {
        let meta = rule.meta();
        let tps = meta
            .examples
            .iter()
            .filter(|e| e.kind == ExampleKind::TruePositive)
            .count();
        assert!(tps >= 3, "{}: {tps} true-positive examples", meta.id);
        assert!(
            meta.examples.len() - tps >= 3,
            "{}: too few false-positive examples",
            meta.id
        );
    }
}

/// Like [`check_metadata`], for rules that judge facts rather than files and so have no
/// file examples (the dependency rules).
pub fn check_metadata_fields(rules: &[&dyn Rule], family: Family, count: usize) {
    assert_eq!(rules.len(), count);
    let mut ids = Vec::new();
    for rule in rules {
        let meta = rule.meta();
        assert!(!ids.contains(&meta.id), "duplicate id {}", meta.id);
        ids.push(meta.id);
        assert!(
            meta.id.starts_with(family.id_prefix()) && meta.id.len() == 5,
            "{}",
            meta.id
        );
        assert_eq!(meta.family, family, "{}", meta.id);
        assert!(
            meta.owasp_mcp.starts_with("MCP") && meta.owasp_mcp.ends_with(":2025"),
            "{}",
            meta.id
        );
        assert!(!meta.cwe.is_empty(), "{}", meta.id);
        assert!(
            meta.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}: name {} is not kebab-case",
            meta.id,
            meta.name
        );
        let score = cvss::v4::Vector::from_str(meta.cvss_vector)
            .unwrap_or_else(|e| panic!("{}: bad CVSS vector: {e:?}", meta.id))
            .score()
            .value();
        let (lo, hi) = band(meta.severity);
        assert!(
            (lo..=hi).contains(&score),
            "{}: CVSS {score} outside the {:?} band",
            meta.id,
            meta.severity
        );
        for text in [meta.title, meta.summary, meta.why, meta.remediation] {
            assert!(!text.is_empty(), "{}", meta.id);
        }
        assert!(!meta.references.is_empty(), "{}", meta.id);
    }
}

/// Every true-positive example of `rules` fires its rule under `scan`; every
/// false-positive example fires nothing.
pub fn check_examples(rules: &[&dyn Rule], scan: impl Fn(&str, &str) -> Vec<Finding>) {
    for rule in rules {
        let meta = rule.meta();
        for (i, example) in meta.examples.iter().enumerate() {
            let findings = scan(example.file, example.code);
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

/// Appends every file below `dir` to `out`, depth first in name order.
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
/// text as stored).
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
            (path, std::fs::read_to_string(f).expect("fixture is UTF-8"))
        })
        .collect()
}

/// Everything `scan` reports over the fixture `files` of `rule`, which must include at
/// least one finding of `rule`.
pub fn fixture_findings(
    files: Vec<(String, String)>,
    rule: &str,
    scan: impl Fn(&str, &str) -> Vec<Finding>,
) -> Vec<Finding> {
    let mut all = Vec::new();
    for (path, text) in files {
        all.extend(scan(&path, &text));
    }
    assert!(
        all.iter().any(|f| f.rule_id == rule),
        "the {rule} fixture produces no {rule} finding"
    );
    all
}

/// Asserts that `scan` reports nothing over any of the benign corpus `files`, which
/// must hold at least six files.
pub fn check_benign(files: Vec<(String, String)>, scan: impl Fn(&str, &str) -> Vec<Finding>) {
    assert!(files.len() >= 6, "benign corpus too small");
    for (path, text) in files {
        let findings = scan(&path, &text);
        assert!(findings.is_empty(), "benign {path}: {findings:#?}");
    }
}
