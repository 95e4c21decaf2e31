//! One call for a whole snapshot: read every dependency file, follow requirements
//! includes that are in the snapshot, and merge.

use std::collections::{HashMap, HashSet, VecDeque};

use assay_core::ResolvedDependency;

use super::common::match_name;
use super::error::ParseError;
use super::requirements::{IncludeKind, includes, parse_requirements};
use super::{Format, merge, parse};

/// What [`extract`] found.
#[derive(Debug, Default)]
pub struct Extracted {
    /// The merged dependencies.
    pub dependencies: Vec<ResolvedDependency>,
    /// The dependency files read (snapshot paths, in reading order).
    pub files: Vec<String>,
    /// Dependency files that could not be parsed, and why.
    pub errors: Vec<(String, ParseError)>,
}

/// Reads the dependency files among `paths` with `read` (a file's bytes, `None` when it
/// is not in the snapshot), parses them and [`merge`]s the result.
///
/// A requirements file's `-r other.txt` is read as a requirements file whatever its
/// name; `-c constraints.txt` pins the versions of the including file's requirements
/// that only had a range. Includes missing from the snapshot are skipped; each file is
/// read once, so include cycles end.
pub fn extract<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    mut read: impl FnMut(&str) -> Option<Vec<u8>>,
) -> Extracted {
    let mut queue: VecDeque<String> = paths
        .into_iter()
        .filter(|path| super::is_dependency_file(path))
        .map(str::to_string)
        .collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut found = Extracted::default();
    let mut parsed = Vec::new();
    while let Some(path) = queue.pop_front() {
        let Some(bytes) = read(&path) else {
            continue;
        };
        let is_requirements = matches!(Format::of(&path), None | Some(Format::Requirements));
        let result = if is_requirements {
            parse_requirements(&path, &bytes)
        } else {
            match parse(&path, &bytes) {
                Some(result) => result,
                None => continue,
            }
        };
        found.files.push(path.clone());
        let mut deps = match result {
            Ok(deps) => deps,
            Err(error) => {
                found.errors.push((path, error));
                continue;
            }
        };
        if is_requirements {
            for include in includes(&path, &bytes) {
                match include.kind {
                    IncludeKind::Requirements => {
                        if seen.insert(include.path.clone()) {
                            queue.push_back(include.path);
                        }
                    }
                    IncludeKind::Constraints => {
                        if let Some(constraints) = read(&include.path)
                            .and_then(|bytes| parse_requirements(&include.path, &bytes).ok())
                        {
                            apply_constraints(&mut deps, &constraints);
                        }
                    }
                }
            }
        }
        parsed.push((path, deps));
    }
    found.dependencies = merge(parsed);
    found
}

/// Pins requirements that only had a range (or none) to the exact versions of a
/// constraints file.
fn apply_constraints(deps: &mut [ResolvedDependency], constraints: &[ResolvedDependency]) {
    let pins: HashMap<String, &str> = constraints
        .iter()
        .filter(|c| !c.version_from_range)
        .filter_map(|c| Some((match_name(&c.ecosystem, &c.name), c.version.as_deref()?)))
        .collect();
    for dep in deps
        .iter_mut()
        .filter(|d| d.version.is_none() || d.version_from_range)
    {
        if let Some(pin) = pins.get(&match_name(&dep.ecosystem, &dep.name)) {
            dep.version = Some((*pin).to_string());
            dep.version_from_range = false;
        }
    }
}
