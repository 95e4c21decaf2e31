//! `package-lock.json` and `npm-shrinkwrap.json`: v1 (the nested `dependencies` tree)
//! and v2/v3 (the flat `packages` map keyed by install path).

use std::collections::{HashMap, HashSet};

use assay_core::ResolvedDependency;
use serde_json::{Map, Value};

use super::common::{DEV, NPM, OPTIONAL, PEER, RUNTIME, dependency, path_source};
use super::error::ParseError;
use super::json_lines::{KeyLines, key_lines};
use super::npm_spec;

/// The `package.json` sections that declare dependencies, and their scopes.
pub(super) const SECTIONS: [(&str, &str); 4] = [
    ("dependencies", RUNTIME),
    ("devDependencies", DEV),
    ("optionalDependencies", OPTIONAL),
    ("peerDependencies", PEER),
];

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let root = doc
        .as_object()
        .ok_or_else(|| ParseError::new("the lockfile is not a JSON object"))?;
    if let Some(packages) = root.get("packages") {
        let packages = packages
            .as_object()
            .ok_or_else(|| ParseError::new("`packages` is not an object"))?;
        let lines = key_lines(text, |parents, _| {
            parents.len() == 1 && parents[0] == "packages"
        });
        return packages_v2(path, packages, &lines);
    }
    match root.get("dependencies") {
        Some(tree) => {
            let lines = key_lines(text, |parents, _| {
                parents.len() % 2 == 1 && parents.iter().step_by(2).all(|p| p == "dependencies")
            });
            tree_v1(path, tree, &lines)
        }
        None => Ok(Vec::new()),
    }
}

/// The scope npm's flags give a lockfile entry.
fn flags_scope(entry: &Map<String, Value>) -> &'static str {
    let flag = |name: &str| entry.get(name).and_then(Value::as_bool).unwrap_or(false);
    if flag("dev") {
        DEV
    } else if flag("optional") || flag("devOptional") {
        OPTIONAL
    } else if flag("peer") {
        PEER
    } else {
        RUNTIME
    }
}

fn str_field<'a>(entry: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    entry.get(field).and_then(Value::as_str)
}

/// Splits a v2 key into the directory that owns the `node_modules` and the name
/// installed there: `packages/a/node_modules/@s/x` → (`packages/a`, `@s/x`).
fn split_install_path(key: &str) -> Option<(&str, &str)> {
    let at = key.rfind("node_modules/")?;
    if at > 0 && !key[..at].ends_with('/') {
        return None;
    }
    Some((
        key[..at].trim_end_matches('/'),
        &key[at + "node_modules/".len()..],
    ))
}

/// v2/v3: the project's own entries (`""` and workspace directories) declare the
/// direct dependencies; `node_modules/…` entries are installed packages.
fn packages_v2(
    path: &str,
    packages: &Map<String, Value>,
    lines: &KeyLines,
) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut declared: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (key, entry) in packages {
        if key.is_empty() || split_install_path(key).is_none() {
            let entry = entry_object(key, entry)?;
            let names = declared.entry(key.as_str()).or_default();
            for (section, _) in SECTIONS {
                if let Some(deps) = entry.get(section).and_then(Value::as_object) {
                    names.extend(deps.keys().map(String::as_str));
                }
            }
        }
    }
    // Workspaces' dependencies are hoisted to the root `node_modules`.
    let declared_anywhere: HashSet<&str> = declared.values().flatten().copied().collect();
    let mut out = Vec::new();
    for (key, entry) in packages {
        let Some((owner, installed_as)) = split_install_path(key) else {
            continue;
        };
        let entry = entry_object(key, entry)?;
        let name = str_field(entry, "name").unwrap_or(installed_as);
        let mut dep = dependency(NPM, name, path);
        dep.line = lines
            .get(&["packages".to_string(), key.clone()][..])
            .copied();
        dep.scope = flags_scope(entry).to_string();
        dep.direct = match declared.get(owner) {
            Some(names) => {
                names.contains(installed_as)
                    || (owner.is_empty() && declared_anywhere.contains(installed_as))
            }
            None => false,
        };
        let resolved = str_field(entry, "resolved");
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            // A symlink: into the project it is a workspace, outside it a local package.
            let Some(target) = resolved.filter(|t| t.starts_with("../") || t.starts_with('/'))
            else {
                continue;
            };
            dep.source = path_source(target);
            dep.version = packages
                .get(target)
                .and_then(Value::as_object)
                .and_then(|t| str_field(t, "version"))
                .map(str::to_string);
        } else {
            dep.version = str_field(entry, "version").map(str::to_string);
            dep.source = npm_spec::resolved_source(resolved, name);
        }
        out.push(dep);
    }
    Ok(out)
}

fn entry_object<'a>(key: &str, entry: &'a Value) -> Result<&'a Map<String, Value>, ParseError> {
    entry
        .as_object()
        .ok_or_else(|| ParseError::new(format!("package entry `{key}` is not an object")))
}

/// v1: a tree of `dependencies`, nested where versions conflict. The lockfile does not
/// say which are the project's own dependencies (the manifest does, in `merge`).
fn tree_v1(
    path: &str,
    tree: &Value,
    lines: &KeyLines,
) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<String>, &Value)> = vec![(vec!["dependencies".to_string()], tree)];
    while let Some((parents, node)) = stack.pop() {
        let entries = node
            .as_object()
            .ok_or_else(|| ParseError::new("`dependencies` is not an object"))?;
        for (key, entry) in entries {
            let entry = entry_object(key, entry)?;
            let mut dep = dependency(NPM, key, path);
            let mut key_path = parents.clone();
            key_path.push(key.clone());
            dep.line = lines.get(&key_path).copied();
            dep.scope = flags_scope(entry).to_string();
            let version = str_field(entry, "version").unwrap_or_default();
            let (name, version) = npm_spec::alias(version).unwrap_or((key, version));
            dep.name = name.to_string();
            match npm_spec::non_registry_source(version) {
                Some(source) => dep.source = source,
                None => {
                    dep.version = Some(version.to_string()).filter(|v| !v.is_empty());
                    dep.source = npm_spec::resolved_source(str_field(entry, "resolved"), name);
                }
            }
            out.push(dep);
            if let Some(nested) = entry.get("dependencies") {
                key_path.push("dependencies".to_string());
                stack.push((key_path, nested));
            }
        }
    }
    out.sort_by_key(|dep| dep.line);
    Ok(out)
}
