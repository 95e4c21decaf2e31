//! `Pipfile.lock`: the `default` (runtime) and `develop` (dev) sections, each package
//! pinned with `"version": "==x.y"` or installed from `git`, `path` or `file`.

use assay_core::ResolvedDependency;
use serde_json::Value;

use super::common::{DEV, PYPI, RUNTIME, dependency, git_source, path_source, url_source};
use super::error::ParseError;
use super::json_lines::key_lines;

const SECTIONS: [(&str, &str); 2] = [("default", RUNTIME), ("develop", DEV)];

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let root = doc
        .as_object()
        .ok_or_else(|| ParseError::new("Pipfile.lock is not a JSON object"))?;
    let lines = key_lines(text, |parents, _| {
        parents.len() == 1 && SECTIONS.iter().any(|(section, _)| parents[0] == *section)
    });
    let mut out = Vec::new();
    for (section, scope) in SECTIONS {
        let Some(packages) = root.get(section) else {
            continue;
        };
        let packages = packages
            .as_object()
            .ok_or_else(|| ParseError::new(format!("`{section}` is not an object")))?;
        for (name, entry) in packages {
            let entry = entry
                .as_object()
                .ok_or_else(|| ParseError::new(format!("`{section}.{name}` is not an object")))?;
            let field = |key: &str| entry.get(key).and_then(Value::as_str);
            let mut dep = dependency(PYPI, name, path);
            dep.scope = scope.to_string();
            dep.line = lines.get(&[section.to_string(), name.clone()][..]).copied();
            if let Some(git) = field("git") {
                dep.source = match field("ref") {
                    Some(reference) => git_source(&format!("{git}#{reference}")),
                    None => git_source(git),
                };
            } else if let Some(local) = field("path") {
                dep.source = path_source(local);
            } else if let Some(file) = field("file") {
                dep.source = url_source(file);
            }
            dep.version = field("version")
                .map(|v| {
                    v.trim_start_matches("===")
                        .trim_start_matches("==")
                        .to_string()
                })
                .filter(|v| !v.is_empty() && v != "*");
            out.push(dep);
        }
    }
    Ok(out)
}
