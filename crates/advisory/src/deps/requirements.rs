//! pip requirement files: `requirements*.txt`, and `*.txt` in a `requirements/`
//! directory. Pins (`==`, `===`), ranges (lowest allowed version, flagged), extras,
//! markers, `--hash` options, direct references (`name @ url`), bare archive URLs and
//! editable VCS checkouts with `#egg=`.
//!
//! Includes (`-r base.txt`, `-c constraints.txt`) are listed by [`includes`], resolved
//! against the including file's directory; [`parse`](super::parse) reads one file.

use assay_core::ResolvedDependency;

use super::common::{DEV, PYPI, RUNTIME, dependency, line_number, parent};
use super::error::ParseError;
use super::pep508;

/// How a requirements file pulls in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeKind {
    /// `-r`/`--requirement`: the other file's requirements are requirements too.
    Requirements,
    /// `-c`/`--constraint`: the other file only pins versions of what is required.
    Constraints,
}

/// A file included by a requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The included file's snapshot path, resolved against the including file's
    /// directory and normalised (`reqs/../base.txt` → `base.txt`).
    pub path: String,
    /// Requirements or constraints.
    pub kind: IncludeKind,
    /// The `-r`/`-c` line in the including file.
    pub line: u32,
}

/// True for `requirements*.txt`-like names (`requirements-dev.txt`,
/// `dev-requirements.txt`) and any `.txt` file in a `requirements/` directory.
pub(super) fn is_requirements_file(dir: &str, file: &str) -> bool {
    file.ends_with(".txt")
        && (file.contains("requirements") || dir.rsplit('/').next() == Some("requirements"))
}

/// The files `-r`/`-c` lines of the requirements file at `path` include. URLs and
/// paths that leave the snapshot are left out.
pub fn includes(path: &str, bytes: &[u8]) -> Vec<Include> {
    let text = String::from_utf8_lossy(bytes);
    logical_lines(&text)
        .filter_map(|(line, content)| {
            let (kind, target) = include_of(&content)?;
            let path = resolve(parent(path), target)?;
            Some(Include { path, kind, line })
        })
        .collect()
}

/// Reads `bytes` as a requirements file whatever its name (for included files).
pub fn parse_requirements(path: &str, bytes: &[u8]) -> Result<Vec<ResolvedDependency>, ParseError> {
    parse(path, &String::from_utf8_lossy(bytes))
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let scope = scope_of(path);
    let mut out = Vec::new();
    for (line, content) in logical_lines(text) {
        if include_of(&content).is_some() {
            continue;
        }
        let (editable, content) = match strip_option(&content, &["-e", "--editable"]) {
            Some(target) => (true, target),
            None => (false, content.as_str()),
        };
        if content.starts_with('-') {
            continue; // --index-url, --find-links, --pre and other global options
        }
        // Per-requirement options (`--hash=…`, `--config-settings …`) follow the requirement.
        let requirement = content.split(" -").next().unwrap_or(content).trim();
        let bare_location = is_url_or_path(requirement);
        let named = pep508::split(requirement).filter(|r| r.url.is_some() || !bare_location);
        let parsed = if let Some(named) = named {
            Some(pep508::dependency_of(&named, path, scope))
        } else if bare_location {
            url_requirement(requirement, path, scope)
        } else if editable {
            None
        } else {
            let shown: String = requirement.chars().take(60).collect();
            return Err(ParseError::at(
                line,
                format!("unreadable requirement `{shown}`"),
            ));
        };
        if let Some(mut dep) = parsed {
            dep.line = Some(line);
            out.push(dep);
        }
    }
    Ok(out)
}

/// `dev` for files named for development (`requirements-dev.txt`,
/// `requirements/test.txt`), otherwise `runtime`.
fn scope_of(path: &str) -> &'static str {
    const DEV_WORDS: [&str; 8] = [
        "dev", "develop", "test", "tests", "testing", "lint", "docs", "typing",
    ];
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.strip_suffix(".txt").unwrap_or(file);
    if stem
        .split(['-', '_', '.'])
        .any(|word| DEV_WORDS.contains(&word))
    {
        DEV
    } else {
        RUNTIME
    }
}

/// Whether a text file of another name could be a requirements file a `-r`/`-c` include
/// names: its first logical line is an option (`-r …`, `--hash …`) or starts like a
/// requirement — a project name followed by nothing, extras, a version operator, a
/// marker or a direct reference — rather than prose. Only the first 4 KiB are looked at.
pub fn looks_like_requirements(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let Some((_, first)) = logical_lines(&head).next() else {
        return false;
    };
    if first.starts_with('-') {
        return true;
    }
    let name_end = first
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(first.len());
    let rest = first[name_end..].trim_start();
    name_end > 0
        && first.starts_with(|c: char| c.is_ascii_alphanumeric())
        && (rest.is_empty() || rest.starts_with(['[', '<', '>', '=', '!', '~', ';', '@', ',']))
}

/// Logical lines (backslash continuations joined) without comments, with their
/// first line's number.
fn logical_lines(text: &str) -> impl Iterator<Item = (u32, String)> + '_ {
    let mut physical = text.split('\n').enumerate();
    std::iter::from_fn(move || {
        loop {
            let (index, first) = physical.next()?;
            let mut joined = String::new();
            let mut current = first;
            loop {
                let line = current.strip_suffix('\r').unwrap_or(current);
                match line.strip_suffix('\\') {
                    Some(continued) => {
                        joined.push_str(continued);
                        joined.push(' ');
                        match physical.next() {
                            Some((_, next)) => current = next,
                            None => break,
                        }
                    }
                    None => {
                        joined.push_str(line);
                        break;
                    }
                }
            }
            let content = strip_comment(&joined).trim();
            if !content.is_empty() {
                return Some((line_number(index), content.to_string()));
            }
        }
    })
}

/// pip's comment rule: `#` at the start or after whitespace.
fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => &line[..at],
        None => line,
    }
}

/// The argument of an option spelled `-x arg`, `-xarg`, `--long arg` or `--long=arg`.
fn strip_option<'a>(content: &'a str, names: &[&str]) -> Option<&'a str> {
    for name in names {
        if let Some(rest) = content.strip_prefix(name) {
            let long = name.starts_with("--");
            let argument = if let Some(value) = rest.strip_prefix('=') {
                value
            } else if rest.starts_with([' ', '\t']) || !long {
                rest
            } else {
                continue;
            };
            let argument = argument.trim();
            if !argument.is_empty() {
                return Some(argument);
            }
        }
    }
    None
}

fn include_of(content: &str) -> Option<(IncludeKind, &str)> {
    if let Some(target) = strip_option(content, &["--requirement", "-r"]) {
        return Some((IncludeKind::Requirements, target));
    }
    strip_option(content, &["--constraint", "-c"]).map(|target| (IncludeKind::Constraints, target))
}

/// `target` resolved against `dir`, or `None` when it is a URL, absolute, or leaves
/// the snapshot.
fn resolve(dir: &str, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn is_url_or_path(requirement: &str) -> bool {
    requirement.contains("://")
        || requirement.starts_with(['.', '/', '~'])
        || requirement.ends_with(".whl")
        || requirement.ends_with(".tar.gz")
        || requirement.ends_with(".zip")
}

/// A requirement given as a URL or path: named by `#egg=` or by its archive file name
/// (`name-1.0-py3-none-any.whl`, `name-1.0.tar.gz`); unnamed local projects are skipped.
fn url_requirement(url: &str, path: &str, scope: &str) -> Option<ResolvedDependency> {
    let url = url.split_whitespace().next().unwrap_or(url);
    let source = pep508::url_reference_source(url);
    let egg = url
        .split_once("#egg=")
        .map(|(_, egg)| egg.split('&').next().unwrap_or(egg));
    let (name, version) = match egg {
        Some(name) => (name, None),
        None => archive_name(url)?,
    };
    if name.is_empty() {
        return None;
    }
    let mut dep = dependency(PYPI, name, path);
    dep.direct = true;
    dep.scope = scope.to_string();
    dep.version = version.map(str::to_string);
    dep.source = source;
    Some(dep)
}

/// Name and version from a wheel or sdist file name at the end of `url`.
fn archive_name(url: &str) -> Option<(&str, Option<&str>)> {
    let file = url.split(['#', '?']).next()?.rsplit('/').next()?;
    if let Some(stem) = file.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        return Some((parts.next()?, parts.next()));
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))?;
    let (name, version) = stem.rsplit_once('-')?;
    Some((name, Some(version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_are_told_from_prose() {
        for text in [
            "requests==2.32.3\n",
            "# pinned\n\nmcp >= 1.9 ; python_version >= '3.10'\n",
            "-r base.txt\nhttpx\n",
            "fastmcp[cli]\n",
        ] {
            assert!(looks_like_requirements(text.as_bytes()), "{text}");
        }
        for text in [
            "This server lists notes.\n",
            "",
            "# only a comment\n",
            "{\"a\": 1}",
        ] {
            assert!(!looks_like_requirements(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn includes_resolve_inside_the_snapshot_only() {
        let text = b"-r base.txt\n--requirement=../shared/common.txt\n-c constraints.txt\n-r ../../../outside.txt\n-r https://example.invalid/r.txt\nrequests\n";
        let found = includes("svc/requirements/dev.txt", text);
        let paths: Vec<(&str, IncludeKind, u32)> = found
            .iter()
            .map(|i| (i.path.as_str(), i.kind, i.line))
            .collect();
        assert_eq!(
            paths,
            [
                ("svc/requirements/base.txt", IncludeKind::Requirements, 1),
                ("svc/shared/common.txt", IncludeKind::Requirements, 2),
                (
                    "svc/requirements/constraints.txt",
                    IncludeKind::Constraints,
                    3
                ),
            ]
        );
        assert_eq!(resolve("a", "../../x"), None);
    }

    #[test]
    fn file_names_decide_scope_and_detection() {
        assert_eq!(scope_of("requirements-dev.txt"), DEV);
        assert_eq!(scope_of("requirements/test.txt"), DEV);
        assert_eq!(scope_of("dev-requirements.txt"), DEV);
        assert_eq!(scope_of("requirements.txt"), RUNTIME);
        assert_eq!(scope_of("requirements-device.txt"), RUNTIME);
        assert!(is_requirements_file("requirements", "base.txt"));
        assert!(is_requirements_file("", "requirements.txt"));
        assert!(!is_requirements_file("docs", "notes.txt"));
        assert!(!is_requirements_file("", "requirements.in"));
    }
}
