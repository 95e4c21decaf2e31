//! The ordering fixtures (`tests/fixtures/ordering/<ecosystem>.txt`): versions in
//! ascending order, equal spellings on one line, spellings that must not parse on
//! lines starting with `!`. Every pair of versions is compared both ways.

use std::cmp::Ordering;
use std::path::Path;

use assay_advisory::version::{Ecosystem, compare};

/// A fixture: groups of equal versions in ascending order, and refused spellings.
struct Fixture {
    groups: Vec<Vec<String>>,
    refused: Vec<String>,
}

fn fixture(name: &str) -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ordering")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut fixture = Fixture {
        groups: Vec::new(),
        refused: Vec::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        match line.strip_prefix('!') {
            Some(rest) => fixture.refused.extend(words(rest)),
            None => fixture.groups.push(words(line)),
        }
    }
    fixture
}

fn check(ecosystem: Ecosystem, name: &str) {
    let fixture = fixture(name);
    assert!(
        fixture.groups.len() >= 20,
        "{name}: too few versions to mean much"
    );
    let versions: Vec<(usize, &str)> = fixture
        .groups
        .iter()
        .enumerate()
        .flat_map(|(rank, group)| group.iter().map(move |v| (rank, v.as_str())))
        .collect();
    let mut failures = Vec::new();
    for &(rank_a, a) in &versions {
        for &(rank_b, b) in &versions {
            let expected = rank_a.cmp(&rank_b);
            let actual = compare(ecosystem, a, b);
            if actual != Some(expected) {
                failures.push(format!("{a} vs {b}: expected {expected:?}, got {actual:?}"));
            }
        }
        let canonical = ecosystem.parse(a).expect("parsed above").to_string();
        if compare(ecosystem, &canonical, a) != Some(Ordering::Equal) {
            failures.push(format!(
                "{a} displays as {canonical}, which is not equal to it"
            ));
        }
    }
    for bad in &fixture.refused {
        if let Some(parsed) = ecosystem.parse(bad) {
            failures.push(format!("{bad:?} should not parse, got {parsed}"));
        }
    }
    assert!(
        fixture.refused.len() >= 10,
        "{name}: too few refused spellings"
    );
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn npm_ordering() {
    check(Ecosystem::Npm, "npm.txt");
}

#[test]
fn pypi_ordering() {
    check(Ecosystem::PyPI, "pypi.txt");
}

#[test]
fn go_ordering() {
    check(Ecosystem::Go, "go.txt");
}

#[test]
fn crates_ordering() {
    check(Ecosystem::CratesIo, "crates.txt");
}
