//! `pnpm-lock.yaml`, lockfile versions 5 (`/name/1.2.3` keys), 6 (`/name@1.2.3`) and
//! 9 (`name@1.2.3`, the graph moved to `snapshots`). Importers (the root project, or
//! each workspace under `importers`) declare the direct dependencies; `packages` lists
//! everything installed. v5/v6 flag development packages; for v9 (and unflagged
//! entries) scopes follow the dependency graph from the importers.

use std::collections::{HashMap, HashSet};

use assay_core::{DependencySource, ResolvedDependency};

use super::common::{DEV, NPM, OPTIONAL, RUNTIME, dependency, git_source, path_source};
use super::error::ParseError;
use super::graph;
use super::npm_spec;
use super::yaml::{self, Node};

/// The importer sections and their scopes.
const IMPORTER_SECTIONS: [(&str, &str); 3] = [
    ("dependencies", RUNTIME),
    ("devDependencies", DEV),
    ("optionalDependencies", OPTIONAL),
];

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let doc = yaml::parse(text)?;
    if !matches!(doc.value, yaml::Value::Map(_)) {
        return Err(ParseError::new("the lockfile is not a YAML mapping"));
    }
    let version = doc
        .str("lockfileVersion")
        .ok_or_else(|| ParseError::new("no `lockfileVersion`"))?;
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.trim_matches('\'').parse().ok())
        .ok_or_else(|| ParseError::new(format!("unreadable lockfileVersion `{version}`")))?;
    let keys = Keys { major };

    let importers: Vec<&Node> = match doc.get("importers") {
        Some(importers) => importers.entries().iter().map(|(_, node)| node).collect(),
        None => vec![&doc],
    };
    let mut roots: Vec<(String, &'static str)> = Vec::new();
    for importer in importers {
        for (section, scope) in IMPORTER_SECTIONS {
            for (name, entry) in importer.get(section).map_or(&[][..], Node::entries) {
                let reference = entry.as_str().or_else(|| entry.str("version"));
                if let Some(key) = reference.and_then(|r| keys.reference(name, r)) {
                    roots.push((key, scope));
                }
            }
        }
    }
    let direct: HashSet<&str> = roots.iter().map(|(key, _)| key.as_str()).collect();

    let packages = doc.get("packages").map_or(&[][..], Node::entries);
    let graph_entries = match doc.get("snapshots") {
        Some(snapshots) => snapshots.entries(),
        None => packages,
    };
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    for (key, entry) in graph_entries {
        let targets = edges.entry(keys.normalise(key)).or_default();
        for section in ["dependencies", "optionalDependencies"] {
            for (name, reference) in entry.get(section).map_or(&[][..], Node::entries) {
                if let Some(target) = reference.as_str().and_then(|r| keys.reference(name, r)) {
                    targets.push(target);
                }
            }
        }
    }
    let scopes = graph::scopes(roots.clone(), &edges);

    let mut out = Vec::new();
    for (key, entry) in packages {
        let normalised = keys.normalise(key);
        let (key_name, key_version) = keys.split(&normalised);
        let name = entry.str("name").unwrap_or(key_name);
        if name.is_empty() {
            return Err(ParseError::at(
                entry.line,
                format!("unreadable package key `{key}`"),
            ));
        }
        let mut dep = dependency(NPM, name, path);
        dep.line = Some(entry.line);
        dep.direct = direct.contains(normalised.as_str());
        dep.version = entry
            .str("version")
            .or(Some(key_version).filter(|v| v.starts_with(|c: char| c.is_ascii_digit())))
            .map(str::to_string);
        dep.source = resolution_source(entry.get("resolution"), name);
        dep.scope = flagged_scope(entry)
            .or_else(|| scopes.get(&normalised).copied())
            .unwrap_or(RUNTIME)
            .to_string();
        out.push(dep);
    }
    Ok(out)
}

/// The scope v5/v6 record in `dev`/`optional` flags, when they do.
fn flagged_scope(entry: &Node) -> Option<&'static str> {
    let optional = entry.str("optional") == Some("true");
    match entry.str("dev") {
        Some("true") => Some(DEV),
        Some("false") if optional => Some(OPTIONAL),
        Some("false") => Some(RUNTIME),
        _ => None,
    }
}

/// Where a package came from, by its `resolution`.
fn resolution_source(resolution: Option<&Node>, name: &str) -> DependencySource {
    let Some(resolution) = resolution else {
        return DependencySource::Registry;
    };
    match resolution.str("type") {
        Some("git") => match resolution.str("repo") {
            Some(repo) => match resolution.str("commit") {
                Some(commit) => git_source(&format!("{repo}#{commit}")),
                None => git_source(repo),
            },
            None => DependencySource::Registry,
        },
        Some("directory") => path_source(resolution.str("directory").unwrap_or_default()),
        _ => match resolution.str("tarball") {
            Some(tarball) if tarball.starts_with("file:") => {
                path_source(tarball.trim_start_matches("file:"))
            }
            Some(tarball) => npm_spec::resolved_source(Some(tarball), name),
            None => DependencySource::Registry,
        },
    }
}

/// How package keys are spelled in one lockfile version.
struct Keys {
    major: u32,
}

impl Keys {
    /// A package key without its leading `/` and peer suffix: the id shared by
    /// `packages`, `snapshots` and references.
    fn normalise(&self, key: &str) -> String {
        let key = key.strip_prefix('/').unwrap_or(key);
        let cut = if self.major < 6 {
            // v5 suffixes peers with `_`, after the version segment.
            let version_start = key.rfind('/').map_or(0, |at| at + 1);
            key[version_start..].find('_').map(|at| version_start + at)
        } else {
            key.find('(')
        };
        key[..cut.unwrap_or(key.len())].to_string()
    }

    /// Splits a normalised key into name and version (`@s/x/1.0.0` or `@s/x@1.0.0`).
    fn split<'a>(&self, key: &'a str) -> (&'a str, &'a str) {
        if self.major >= 6 {
            return npm_spec::split_name_version(key);
        }
        let segments = if key.starts_with('@') { 2 } else { 1 };
        match key.match_indices('/').nth(segments - 1) {
            Some((at, _)) => (&key[..at], &key[at + 1..]),
            None => (key, ""),
        }
    }

    /// The normalised key a dependency reference (`1.2.3(peer@1)`, an alias
    /// `real@1.2.3` or `/real/1.2.3`, a host path, `link:…`) points at; `None` for
    /// links to workspace directories.
    fn reference(&self, name: &str, reference: &str) -> Option<String> {
        if reference.starts_with("link:") {
            return None;
        }
        let head = reference.split('(').next().unwrap_or(reference);
        let is_key = reference.starts_with('/')
            || (self.major >= 9 && head.contains('@') && !head.contains(':'))
            || (self.major < 9
                && !reference.starts_with(|c: char| c.is_ascii_digit())
                && reference.contains('/'));
        if is_key {
            return Some(self.normalise(reference));
        }
        let separator = if self.major < 6 { '/' } else { '@' };
        Some(self.normalise(&format!("{name}{separator}{reference}")))
    }
}
