//! `poetry.lock` (lock-version 1.x and 2.x): every package with its version; the old
//! `category` and the newer `groups` tell development packages apart, `optional` marks
//! packages only extras pull in; `[package.source]` says where non-registry ones are from.

use assay_core::{DependencySource, ResolvedDependency};
use serde::Deserialize;
use toml::Spanned;

use super::common::{
    DEV, LineIndex, OPTIONAL, PYPI, RUNTIME, dependency, git_source, path_source, url_source,
};
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
    category: Option<String>,
    #[serde(default)]
    groups: Option<Vec<String>>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    resolved_reference: Option<String>,
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let lock: Lock = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let lines = LineIndex::new(text);
    Ok(lock
        .package
        .iter()
        .map(|spanned| {
            let package = spanned.get_ref();
            let mut dep = dependency(PYPI, &package.name, path);
            dep.version = Some(package.version.clone());
            dep.line = Some(lines.line(spanned.span().start));
            dep.scope = scope(package).to_string();
            dep.source = package
                .source
                .as_ref()
                .map_or(DependencySource::Registry, source);
            dep
        })
        .collect())
}

fn scope(package: &Package) -> &'static str {
    let dev = package.category.as_deref() == Some("dev")
        || package
            .groups
            .as_ref()
            .is_some_and(|groups| !groups.iter().any(|g| g == "main"));
    if package.optional {
        OPTIONAL
    } else if dev {
        DEV
    } else {
        RUNTIME
    }
}

fn source(source: &Source) -> DependencySource {
    match source.kind.as_str() {
        "git" => {
            let reference = source
                .resolved_reference
                .as_ref()
                .or(source.reference.as_ref());
            match reference {
                Some(reference) => git_source(&format!("{}#{reference}", source.url)),
                None => git_source(&source.url),
            }
        }
        "url" => url_source(&source.url),
        "directory" | "file" => path_source(&source.url),
        _ => DependencySource::Registry,
    }
}
