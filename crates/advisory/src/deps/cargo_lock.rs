//! `Cargo.lock` (v1–v4): `[[package]]` entries. Packages without a `source` are the
//! workspace's own crates (or path dependencies) and are not reported; the crates they
//! list under `dependencies` are the direct ones. Cargo.lock does not say which
//! crates are only dev-dependencies, so all are runtime.

use std::collections::HashSet;

use assay_core::{DependencySource, ResolvedDependency};
use serde::Deserialize;
use toml::Spanned;

use super::common::{CRATES, LineIndex, dependency, locked_git_source};
use super::error::ParseError;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Spanned<Package>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    // `name`, `name version` or (v1/v2) `name version (source)`.
    let mut direct_names: HashSet<&str> = HashSet::new();
    let mut direct_versions: HashSet<(&str, &str)> = HashSet::new();
    for package in lock
        .package
        .iter()
        .map(Spanned::get_ref)
        .filter(|p| p.source.is_none())
    {
        for reference in &package.dependencies {
            let mut parts = reference.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some(name), Some(version)) => {
                    direct_versions.insert((name, version));
                }
                (Some(name), None) => {
                    direct_names.insert(name);
                }
                _ => {}
            }
        }
    }
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    for spanned in &lock.package {
        let package = spanned.get_ref();
        let Some(source) = &package.source else {
            continue;
        };
        let mut dep = dependency(CRATES, &package.name, path);
        dep.version = Some(package.version.clone());
        dep.line = Some(lines.line(spanned.span().start));
        dep.direct = direct_names.contains(package.name.as_str())
            || direct_versions.contains(&(package.name.as_str(), package.version.as_str()));
        dep.source = match source.strip_prefix("git+") {
            Some(git) => locked_git_source(git),
            None => DependencySource::Registry,
        };
        out.push(dep);
    }
    Ok(out)
}
