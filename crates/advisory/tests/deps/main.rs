//! Dependency extraction: every format against fixtures written as the tools write
//! them, malformed files, `merge`, `extract`, and parsers under arbitrary input.

mod formats;
mod malformed;
mod merging;
mod robustness;

use std::path::{Path, PathBuf};

use assay_advisory::deps;
use assay_core::{DependencySource, ResolvedDependency};

/// The fixture directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps")
}

/// The bytes of a fixture, by its path under the fixture directory.
pub fn bytes(relative: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Parses a fixture under its own relative path, which must be a dependency file that
/// parses.
pub fn parsed(relative: &str) -> Vec<ResolvedDependency> {
    assert!(deps::is_dependency_file(relative), "{relative}");
    deps::parse(relative, &bytes(relative))
        .unwrap_or_else(|| panic!("{relative} is not a dependency file"))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// A dependency reduced to what the tests compare.
pub type Row = (String, Option<String>, bool, String, String);

/// `(name, version, direct, scope, source)` of each dependency, sorted.
pub fn rows(deps: &[ResolvedDependency]) -> Vec<Row> {
    let mut rows: Vec<Row> = deps
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                d.version.clone(),
                d.direct,
                d.scope.clone(),
                source(&d.source),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// An expected row.
pub fn row(name: &str, version: Option<&str>, direct: bool, scope: &str, source: &str) -> Row {
    (
        name.to_string(),
        version.map(str::to_string),
        direct,
        scope.to_string(),
        source.to_string(),
    )
}

/// `registry`, `git:URL#REF`, `url:URL` or `path:PATH`.
pub fn source(source: &DependencySource) -> String {
    match source {
        DependencySource::Registry => "registry".to_string(),
        DependencySource::Git { url, reference } => {
            format!("git:{url}#{}", reference.as_deref().unwrap_or(""))
        }
        DependencySource::Url { url } => format!("url:{url}"),
        DependencySource::Path { path } => format!("path:{path}"),
    }
}

/// Asserts the rows of `deps` equal `expected` (in any order), showing both on failure.
pub fn assert_rows(deps: &[ResolvedDependency], mut expected: Vec<Row>) {
    expected.sort();
    let got = rows(deps);
    assert_eq!(got, expected, "\n got: {got:#?}\nwant: {expected:#?}");
}

/// The dependency named `name` (the first, when there are several).
pub fn find<'a>(deps: &'a [ResolvedDependency], name: &str) -> &'a ResolvedDependency {
    deps.iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no dependency {name}"))
}
