//! Joining the dependencies of many files into one list.
//!
//! Files are grouped by project directory and ecosystem. Within a group, what pins
//! installed versions outranks what declares ranges: lockfiles and installed packages
//! (and `go.mod`) first, then `go.sum`, then manifest pins (`==1.2.3`), then manifest
//! ranges. A package named at a stronger rank absorbs the weaker entries of the same
//! name: they mark it direct, lend their requirement, and, for lockfiles that do not
//! record scopes (`yarn.lock`, `Cargo.lock`, installed packages), their scope. Names
//! only a weaker file knows stay (a stale lockfile does not hide a declared
//! dependency).
//!
//! An npm manifest without a lockfile beside it belongs to the nearest ancestor
//! directory's lockfile (workspaces share the root's). Installed packages in
//! `dir/node_modules/…` belong to `dir`. Finally duplicates collapse across the
//! snapshot and the list is sorted.

use std::collections::{BTreeMap, HashMap, HashSet};

use assay_core::ResolvedDependency;

use super::Format;
use super::common::{NPM, absorb, dedupe, match_name, parent, scope_rank};

/// Joins the dependencies read from each file (`(path, dependencies)`): lockfile
/// versions win over manifest ranges in the same project, manifests mark which locked
/// packages are direct, duplicates collapse, and the order is deterministic (by
/// ecosystem, name, version, file).
pub fn merge(mut files: Vec<(String, Vec<ResolvedDependency>)>) -> Vec<ResolvedDependency> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let npm_lock_dirs: HashSet<String> = files
        .iter()
        .filter(|(path, deps)| format_of(path).is_lock() && deps.iter().any(|d| d.ecosystem == NPM))
        .map(|(path, _)| project_dir(path).to_string())
        .collect();

    let mut groups: BTreeMap<(String, String), Vec<Entry>> = BTreeMap::new();
    for (path, deps) in files {
        let format = format_of(&path);
        let mut dir = project_dir(&path).to_string();
        if !format.is_lock() && !npm_lock_dirs.contains(&dir) {
            dir = nearest_ancestor(&dir, &npm_lock_dirs).unwrap_or(dir);
        }
        for dep in deps {
            let dir = if dep.ecosystem == NPM {
                dir.clone()
            } else {
                project_dir(&path).to_string()
            };
            let rank = rank(format, &dep);
            groups
                .entry((dir, dep.ecosystem.clone()))
                .or_default()
                .push(Entry { dep, rank, format });
        }
    }

    let mut out = Vec::new();
    for (_, entries) in groups {
        out.extend(resolve_group(entries));
    }
    out.sort_by(|a, b| {
        (&a.ecosystem, match_name(&a.ecosystem, &a.name), &a.version)
            .cmp(&(&b.ecosystem, match_name(&b.ecosystem, &b.name), &b.version))
            .then(b.direct.cmp(&a.direct))
            .then(scope_rank(&a.scope).cmp(&scope_rank(&b.scope)))
            .then((&a.declared_in, a.line).cmp(&(&b.declared_in, b.line)))
    });
    dedupe(out)
}

/// A dependency with what its file says about it.
struct Entry {
    dep: ResolvedDependency,
    rank: u8,
    format: Format,
}

/// The format of a file given to `merge`; files not recognised by name are
/// requirements files reached through `-r` includes.
fn format_of(path: &str) -> Format {
    Format::of(path).unwrap_or(Format::Requirements)
}

/// How strongly a file pins the versions it names: lower is stronger.
fn rank(format: Format, dep: &ResolvedDependency) -> u8 {
    if format.is_lock() {
        0
    } else if format == Format::GoSum {
        1
    } else if dep.version.is_some() && !dep.version_from_range {
        2
    } else {
        3
    }
}

/// The directory a file describes: for installed npm packages, the directory holding
/// the outermost `node_modules`.
fn project_dir(path: &str) -> &str {
    match path.find("node_modules/") {
        Some(at) if at == 0 || path[..at].ends_with('/') => path[..at].trim_end_matches('/'),
        _ => parent(path),
    }
}

/// The nearest proper ancestor of `dir` in `dirs`.
fn nearest_ancestor(dir: &str, dirs: &HashSet<String>) -> Option<String> {
    let mut current = dir;
    while !current.is_empty() {
        current = parent(current);
        if dirs.contains(current) {
            return Some(current.to_string());
        }
    }
    None
}

/// One project's dependencies of one ecosystem, weaker entries folded into stronger.
fn resolve_group(mut entries: Vec<Entry>) -> Vec<ResolvedDependency> {
    entries.sort_by_key(|entry| entry.rank);
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    // For each name, the kept entries of the strongest rank seen, and that rank.
    let mut by_name: HashMap<String, (u8, Vec<usize>)> = HashMap::new();
    // Kept lockfile entries whose scope came from a manifest already.
    let mut scoped_by_manifest: HashSet<usize> = HashSet::new();
    for entry in entries {
        let name = match_name(&entry.dep.ecosystem, &entry.dep.name);
        match by_name.get_mut(&name) {
            Some((rank, targets)) if *rank < entry.rank => {
                for &target in targets.iter() {
                    let stronger = &mut kept[target];
                    let own_scope = stronger.dep.scope.clone();
                    absorb(&mut stronger.dep, &entry.dep);
                    if stronger.rank <= 1 {
                        if entry.rank >= 2 && !stronger.format.records_scope() {
                            // The first manifest sets the scope; later ones may raise it.
                            if scoped_by_manifest.insert(target) {
                                stronger.dep.scope.clone_from(&entry.dep.scope);
                            }
                        } else {
                            stronger.dep.scope = own_scope;
                        }
                    }
                }
            }
            Some((_, targets)) => {
                targets.push(kept.len());
                kept.push(entry);
            }
            None => {
                by_name.insert(name, (entry.rank, vec![kept.len()]));
                kept.push(entry);
            }
        }
    }
    kept.into_iter().map(|entry| entry.dep).collect()
}
