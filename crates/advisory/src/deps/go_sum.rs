//! `go.sum`: `module version hash` lines. A line for `version/go.mod` only records
//! that the module's `go.mod` was read during version selection; a line for the
//! version itself means its code was downloaded, so only those are dependencies.

use assay_core::ResolvedDependency;

use super::common::{GO, dependency, line_number};
use super::error::ParseError;

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let no = line_number(index);
        let fields: Vec<&str> = raw.split_whitespace().collect();
        let (module, version) = match fields.as_slice() {
            [] => continue,
            [module, version, hash] if hash.contains(':') => (*module, *version),
            _ => return Err(ParseError::at(no, "expected `module version hash`")),
        };
        if version.ends_with("/go.mod") {
            continue;
        }
        let mut dep = dependency(GO, module, path);
        dep.version = Some(version.to_string());
        dep.line = Some(no);
        out.push(dep);
    }
    Ok(out)
}
