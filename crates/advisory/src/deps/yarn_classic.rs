//! Yarn v1 `yarn.lock`: its own format of unindented entry headers (`name@range,
//! "name@range2":`) followed by indented `field value` lines.

use assay_core::{DependencySource, ResolvedDependency};

use super::common::{NPM, dependency, line_number};
use super::error::ParseError;
use super::npm_spec;

/// An entry being read: its header and the fields seen so far.
struct Entry {
    line: u32,
    specifiers: Vec<String>,
    version: Option<String>,
    resolved: Option<String>,
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut out = Vec::new();
    let mut current: Option<Entry> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let no = line_number(index);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let content = line.trim_start_matches(' ');
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            if let Some(entry) = current.take() {
                out.push(finish(path, entry)?);
            }
            let header = content
                .trim_end()
                .strip_suffix(':')
                .ok_or_else(|| ParseError::at(no, "expected an entry header ending in `:`"))?;
            let specifiers = split_specifiers(header).map_err(|m| ParseError::at(no, m))?;
            current = Some(Entry {
                line: no,
                specifiers,
                version: None,
                resolved: None,
            });
            continue;
        }
        let Some(entry) = current.as_mut() else {
            return Err(ParseError::at(no, "an indented line before any entry"));
        };
        if indent != 2 {
            continue;
        }
        let content = content.trim_end();
        if content.ends_with(':') {
            continue;
        }
        let (field, value) = content
            .split_once(' ')
            .ok_or_else(|| ParseError::at(no, "expected `field value`"))?;
        let value = unquote(value.trim()).map_err(|m| ParseError::at(no, m))?;
        match unquote(field).map_err(|m| ParseError::at(no, m))?.as_str() {
            "version" => entry.version = Some(value),
            "resolved" => entry.resolved = Some(value),
            _ => {}
        }
    }
    if let Some(entry) = current.take() {
        out.push(finish(path, entry)?);
    }
    Ok(out)
}

/// The dependency an entry describes.
fn finish(path: &str, entry: Entry) -> Result<ResolvedDependency, ParseError> {
    let first = entry.specifiers.first().map_or("", String::as_str);
    let (name, range) = npm_spec::split_name_version(first);
    let (name, range) = npm_spec::alias(range).unwrap_or((name, range));
    if name.is_empty() {
        return Err(ParseError::at(
            entry.line,
            "an entry without a package name",
        ));
    }
    let version = entry
        .version
        .ok_or_else(|| ParseError::at(entry.line, format!("entry `{first}` has no version")))?;
    let mut dep = dependency(NPM, name, path);
    dep.line = Some(entry.line);
    dep.version = Some(version);
    let declared = npm_spec::non_registry_source(range);
    let resolved = entry
        .resolved
        .as_deref()
        .map(|r| npm_spec::resolved_source(Some(r), name));
    dep.source = match (declared, resolved) {
        (Some(git @ DependencySource::Git { .. }), Some(DependencySource::Url { .. })) => git,
        (_, Some(resolved)) => resolved,
        (Some(declared), None) => declared,
        (None, None) => DependencySource::Registry,
    };
    Ok(dep)
}

/// `a@^1, "b@^2"` → [`a@^1`, `b@^2`].
fn split_specifiers(header: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        let (item, after) = if rest.starts_with('"') {
            let end = quoted_end(rest).ok_or("unterminated quoted specifier")?;
            (&rest[..end], &rest[end..])
        } else {
            match rest.find(',') {
                Some(at) => (&rest[..at], &rest[at..]),
                None => (rest, ""),
            }
        };
        out.push(unquote(item.trim())?);
        rest = after.trim_start();
        if let Some(after_comma) = rest.strip_prefix(',') {
            rest = after_comma.trim_start();
        } else if !rest.is_empty() {
            return Err(format!(
                "unexpected `{}` in an entry header",
                rest.chars().take(40).collect::<String>()
            ));
        }
    }
    Ok(out)
}

/// The offset just past the quoted string at the start of `text`.
fn quoted_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The value of a possibly double-quoted string.
fn unquote(text: &str) -> Result<String, String> {
    if !text.starts_with('"') {
        return Ok(text.to_string());
    }
    match quoted_end(text) {
        Some(end) if end == text.len() => serde_json::from_str::<String>(text)
            .map_err(|_| "invalid escape in a quoted string".to_string()),
        _ => Err("unterminated quoted string".to_string()),
    }
}
