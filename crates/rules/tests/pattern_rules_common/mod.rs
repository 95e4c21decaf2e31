//! Test helpers shared by the pattern-rule families (`AS3xx` transport, `AS5xx`
//! malicious): running a family over a file, the generic metadata and examples checks,
//! fixture loading and the benign corpus.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use assay_core::{ExampleKind, Family, Finding, Severity};
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::{FileContext, PathContext, Rule};

/// Runs `rules` over one file, with a syntax tree when some rule asks for one.
pub fn scan(rules: &[&dyn Rule], path: &str, text: &str) -> Vec<Finding> {
    let language = Language::from_path(path);
    let tree = rules
        .iter()
        .any(|r| r.needs_tree(language, text))
        .then(|| lang::parse(language, text, &ParseBudget::default()).ok())
        .flatten();
    let file = FileContext {
        path,
        text,
        language,
        context: PathContext::of(path),
        tree: tree.as_ref(),
    };
    let mut out = Vec::new();
    for rule in rules {
        rule.check_file(&file, &mut out);
    }
    out
}

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

/// Every true-positive example fires its rule; every false-positive example fires no
/// rule of the family.
pub fn check_examples(rules: &[&dyn Rule]) {
    for rule in rules {
        let meta = rule.meta();
        for (i, example) in meta.examples.iter().enumerate() {
            let findings = scan(rules, example.file, example.code);
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

/// The files of `tests/fixtures/<family>/<name>/`, as (path below that directory, text).
pub fn fixture_files(family: &str, name: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(family)
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

/// All findings of `rules` over one fixture directory, which must contain at least one
/// finding of `rule`.
pub fn fixture_findings(rules: &[&dyn Rule], family: &str, rule: &str) -> Vec<Finding> {
    let mut all = Vec::new();
    for (path, text) in fixture_files(family, rule) {
        all.extend(scan(rules, &path, &text));
    }
    assert!(
        all.iter().any(|f| f.rule_id == rule),
        "the {rule} fixture produces no {rule} finding"
    );
    all
}

/// Asserts that the family's benign corpus (`tests/fixtures/<family>/benign/`) produces
/// no finding at all.
pub fn check_benign(rules: &[&dyn Rule], family: &str) {
    let files = fixture_files(family, "benign");
    assert!(files.len() >= 6, "benign corpus too small");
    for (path, text) in files {
        let findings = scan(rules, &path, &text);
        assert!(findings.is_empty(), "benign {path}: {findings:#?}");
    }
}
