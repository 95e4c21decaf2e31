//! Pieces every format uses: the dependency constructor, scopes, line numbers, URL
//! hygiene and the per-file duplicate collapse.

use std::collections::HashMap;

use assay_core::{DependencySource, ResolvedDependency};

/// OSV ecosystem names.
pub(super) const NPM: &str = "npm";
pub(super) const PYPI: &str = "PyPI";
pub(super) const GO: &str = "Go";
pub(super) const CRATES: &str = "crates.io";

/// Dependency scopes.
pub(super) const RUNTIME: &str = "runtime";
pub(super) const DEV: &str = "dev";
pub(super) const OPTIONAL: &str = "optional";
pub(super) const PEER: &str = "peer";
pub(super) const BUILD: &str = "build";

/// Requirements longer than this are kept as text but not interpreted (no real range
/// is this long; range parsers need not see adversarial megabyte strings).
pub(super) const MAX_REQUIREMENT_LEN: usize = 512;

/// A registry dependency of `ecosystem` named `name`, read from `declared_in`: no
/// version, not direct, runtime scope.
pub(super) fn dependency(ecosystem: &str, name: &str, declared_in: &str) -> ResolvedDependency {
    ResolvedDependency {
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: None,
        requirement: None,
        version_from_range: false,
        direct: false,
        scope: RUNTIME.to_string(),
        source: DependencySource::Registry,
        declared_in: declared_in.to_string(),
        line: None,
    }
}

/// How much a scope matters when the same package appears under several: runtime
/// first, development last.
pub(super) fn scope_rank(scope: &str) -> u8 {
    match scope {
        RUNTIME => 0,
        PEER => 1,
        OPTIONAL => 2,
        BUILD => 3,
        _ => 4,
    }
}

/// The name `merge` compares: PyPI names normalised as PEP 503 says, others as written.
pub(super) fn match_name(ecosystem: &str, name: &str) -> String {
    if ecosystem != PYPI {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Collapses duplicates (same ecosystem, name, version and source): the copy kept is
/// the first in file order; it is direct if any copy is, and takes the most significant
/// scope. Order is otherwise preserved.
pub(super) fn dedupe(deps: Vec<ResolvedDependency>) -> Vec<ResolvedDependency> {
    let mut seen: HashMap<(String, String, Option<String>, DependencySource), usize> =
        HashMap::with_capacity(deps.len());
    let mut out: Vec<ResolvedDependency> = Vec::with_capacity(deps.len());
    for dep in deps {
        let key = (
            dep.ecosystem.clone(),
            match_name(&dep.ecosystem, &dep.name),
            dep.version.clone(),
            dep.source.clone(),
        );
        match seen.get(&key) {
            Some(&at) => absorb(&mut out[at], &dep),
            None => {
                seen.insert(key, out.len());
                out.push(dep);
            }
        }
    }
    out
}

/// Folds `other`, a copy of the same package, into `kept`.
pub(super) fn absorb(kept: &mut ResolvedDependency, other: &ResolvedDependency) {
    kept.direct |= other.direct;
    if scope_rank(&other.scope) < scope_rank(&kept.scope) {
        kept.scope.clone_from(&other.scope);
    }
    kept.version_from_range &= other.version_from_range;
    if kept.requirement.is_none() {
        kept.requirement.clone_from(&other.requirement);
    }
}

/// True when `/`-separated `path` has a segment equal to `segment`.
pub(super) fn has_segment(path: &str, segment: &str) -> bool {
    path.split('/').any(|part| part == segment)
}

/// The directory part of a `/`-separated path (`""` at the root).
pub(super) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The 1-based line of byte `offset` in `text` (for one-off lookups; see [`LineIndex`]).
pub(super) fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Line numbers for many byte offsets of one text, in logarithmic time each.
pub(super) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub(super) fn new(text: &str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(at, _)| at)
            .collect();
        Self { newlines }
    }

    /// The 1-based line of byte `offset`.
    pub(super) fn line(&self, offset: usize) -> u32 {
        let before = self.newlines.partition_point(|&at| at < offset);
        u32::try_from(before + 1).unwrap_or(u32::MAX)
    }
}

/// A 1-based line number from a 0-based line counter.
pub(super) fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// `url` without credentials: the user-info part is dropped, except the conventional
/// `git@` of SSH remotes.
pub(super) fn without_credentials(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if &rest[..at] != "git" => {
            format!("{}{}", &url[..authority_start], &rest[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// A git source from a URL that may end in `#reference`.
pub(super) fn git_source(url: &str) -> DependencySource {
    let (url, reference) = match url.split_once('#') {
        Some((url, reference)) => (url, Some(reference)),
        None => (url, None),
    };
    DependencySource::Git {
        url: without_credentials(url),
        reference: reference
            .map(|r| r.strip_prefix("commit=").unwrap_or(r))
            .filter(|r| !r.is_empty())
            .map(str::to_string),
    }
}

/// A git source written as `URL?branch=main#commit` (Cargo.lock, uv.lock): the query
/// names the requested ref, the fragment the locked commit.
pub(super) fn locked_git_source(text: &str) -> DependencySource {
    let (url, commit) = text.split_once('#').unwrap_or((text, ""));
    let url = url.split('?').next().unwrap_or(url);
    DependencySource::Git {
        url: without_credentials(url),
        reference: Some(commit.to_string()).filter(|c| !c.is_empty()),
    }
}

/// An archive-URL source.
pub(super) fn url_source(url: &str) -> DependencySource {
    DependencySource::Url {
        url: without_credentials(url),
    }
}

/// A local-path source.
pub(super) fn path_source(path: &str) -> DependencySource {
    DependencySource::Path {
        path: path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_removed_but_git_at_is_kept() {
        assert_eq!(
            without_credentials("https://user:s3cret@git.example/x.git"),
            "https://git.example/x.git"
        );
        assert_eq!(
            without_credentials("git+ssh://git@github.com/a/b.git"),
            "git+ssh://git@github.com/a/b.git"
        );
        assert_eq!(
            without_credentials("https://host.example/p?u=a@b"),
            "https://host.example/p?u=a@b"
        );
        assert_eq!(without_credentials("github:a/b"), "github:a/b");
    }

    #[test]
    fn pypi_names_normalise_for_matching_only() {
        assert_eq!(match_name(PYPI, "Foo_Bar.baz"), "foo-bar-baz");
        assert_eq!(match_name(PYPI, "a--b"), "a-b");
        assert_eq!(match_name(NPM, "Foo_Bar"), "Foo_Bar");
    }

    #[test]
    fn line_numbers_agree() {
        let text = "a\nbb\n\nccc";
        let index = LineIndex::new(text);
        for offset in 0..text.len() {
            assert_eq!(index.line(offset), line_of(text, offset), "{offset}");
        }
        assert_eq!(index.line(text.find("ccc").unwrap()), 4);
    }
}
