//! `uv.lock`: every package with its version and `source`; the project's own packages
//! (`source = { editable = "." }` or `{ virtual = "." }`) list the direct dependencies,
//! optional ones and development groups, from which scopes follow the graph.

use std::collections::{BTreeMap, HashMap, HashSet};

use assay_core::{DependencySource, ResolvedDependency};
use serde::Deserialize;
use toml::Spanned;

use super::common::{
    DEV, LineIndex, OPTIONAL, PYPI, RUNTIME, dependency, locked_git_source, match_name,
    path_source, url_source,
};
use super::error::ParseError;
use super::graph;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Spanned<Package>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, String>,
    #[serde(default)]
    dependencies: Vec<Reference>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Reference>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Reference>>,
}

#[derive(Deserialize)]
struct Reference {
    name: String,
}

impl Package {
    /// The project's own packages (workspace members), not dependencies.
    fn is_project(&self) -> bool {
        self.source.contains_key("editable") || self.source.contains_key("virtual")
    }

    fn references(&self) -> impl Iterator<Item = (&Reference, &'static str)> {
        let runtime = self.dependencies.iter().map(|r| (r, RUNTIME));
        let optional = self
            .optional_dependencies
            .values()
            .flatten()
            .map(|r| (r, OPTIONAL));
        let dev = self.dev_dependencies.values().flatten().map(|r| (r, DEV));
        runtime.chain(optional).chain(dev)
    }
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let mut roots = Vec::new();
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    for package in lock.package.iter().map(Spanned::get_ref) {
        if package.is_project() {
            roots.extend(
                package
                    .references()
                    .map(|(r, scope)| (match_name(PYPI, &r.name), scope)),
            );
        } else {
            edges
                .entry(match_name(PYPI, &package.name))
                .or_default()
                .extend(package.references().map(|(r, _)| match_name(PYPI, &r.name)));
        }
    }
    let direct: HashSet<&str> = roots.iter().map(|(name, _)| name.as_str()).collect();
    let scopes = graph::scopes(roots.clone(), &edges);
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    for spanned in &lock.package {
        let package = spanned.get_ref();
        if package.is_project() {
            continue;
        }
        let key = match_name(PYPI, &package.name);
        let mut dep = dependency(PYPI, &package.name, path);
        dep.version.clone_from(&package.version);
        dep.line = Some(lines.line(spanned.span().start));
        dep.direct = direct.contains(key.as_str());
        dep.scope = scopes.get(&key).copied().unwrap_or(RUNTIME).to_string();
        dep.source = source(&package.source);
        out.push(dep);
    }
    Ok(out)
}

/// `{ registry = … }`, `{ git = "https://…?rev=v1#sha" }`, `{ url = … }`,
/// `{ path = … }`, `{ directory = … }`.
fn source(source: &BTreeMap<String, String>) -> DependencySource {
    if let Some(git) = source.get("git") {
        return locked_git_source(git);
    }
    if let Some(url) = source.get("url") {
        return url_source(url);
    }
    if let Some(local) = source.get("path").or_else(|| source.get("directory")) {
        return path_source(local);
    }
    DependencySource::Registry
}
