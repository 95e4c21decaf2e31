//! Installed Python distributions: `*.dist-info/METADATA`, whose header block (core
//! metadata, RFC 822 style) names the project and its version.

use assay_core::ResolvedDependency;

use super::common::{PYPI, dependency};
use super::error::ParseError;

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut name = None;
    let mut version = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            break; // the headers end at the first blank line; the description follows
        }
        if let Some((field, value)) = line.split_once(':') {
            match field.trim().to_ascii_lowercase().as_str() {
                "name" => name = name.or(Some(value.trim())),
                "version" => version = version.or(Some(value.trim())),
                _ => {}
            }
        }
    }
    let (Some(name), Some(version)) = (name, version) else {
        return Err(ParseError::new("METADATA has no Name and Version headers"));
    };
    if name.is_empty() || version.is_empty() {
        return Err(ParseError::new("METADATA has an empty Name or Version"));
    }
    let mut dep = dependency(PYPI, name, path);
    dep.version = Some(version.to_string());
    Ok(vec![dep])
}
