//! `package.json` as a manifest: the declared ranges of the four dependency sections,
//! for projects without a lockfile (and to mark which locked packages are direct).

use assay_core::ResolvedDependency;
use serde_json::Value;

use super::common::{NPM, dependency};
use super::error::ParseError;
use super::json_lines::key_lines;
use super::npm_spec;
use super::package_lock::SECTIONS;

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let root = doc
        .as_object()
        .ok_or_else(|| ParseError::new("package.json is not a JSON object"))?;
    let lines = key_lines(text, |parents, _| {
        parents.len() == 1 && SECTIONS.iter().any(|(section, _)| parents[0] == *section)
    });
    let mut out = Vec::new();
    for (section, scope) in SECTIONS {
        let Some(deps) = root.get(section) else {
            continue;
        };
        let deps = deps
            .as_object()
            .ok_or_else(|| ParseError::new(format!("`{section}` is not an object")))?;
        for (name, spec) in deps {
            let Some(spec) = spec.as_str() else {
                return Err(ParseError::new(format!(
                    "`{section}.{name}` is not a string"
                )));
            };
            let mut dep = dependency(NPM, name, path);
            dep.direct = true;
            dep.scope = scope.to_string();
            dep.line = lines.get(&[section.to_string(), name.clone()][..]).copied();
            if npm_spec::apply(&mut dep, spec) {
                out.push(dep);
            }
        }
    }
    Ok(out)
}
