//! npm dependency specifiers (`^1.2.3`, `npm:real@^1`, `github:user/repo#v1`,
//! `file:../lib`, tarball URLs) and `resolved` URLs of lockfiles.

use assay_core::{DependencySource, ResolvedDependency};
use nodejs_semver::{Range, Version};

use super::common::{MAX_REQUIREMENT_LEN, git_source, path_source, url_source};

/// Fills `dep` (named by its manifest key) from the specifier it was declared with:
/// the alias target, the source, and the lowest version a range allows. Returns false
/// for `workspace:` specifiers, which name the project's own packages.
pub(super) fn apply(dep: &mut ResolvedDependency, spec: &str) -> bool {
    let spec = spec.trim();
    dep.requirement = Some(spec.to_string()).filter(|s| !s.is_empty());
    let mut range = spec;
    if let Some((name, target)) = alias(spec) {
        dep.name = name.to_string();
        range = target;
    }
    if range.starts_with("workspace:") {
        return false;
    }
    if let Some(source) = non_registry_source(range) {
        dep.source = source;
        return true;
    }
    match lowest(range) {
        Some((version, exact)) => {
            dep.version = Some(version);
            dep.version_from_range = !exact;
        }
        None => dep.version = None,
    }
    true
}

/// `npm:real@range` → (`real`, `range`); `npm:real` → (`real`, ``).
pub(super) fn alias(spec: &str) -> Option<(&str, &str)> {
    let target = spec.strip_prefix("npm:")?;
    Some(split_name_version(target))
}

/// `name@version` → (`name`, `version`); a leading `@` belongs to the scope.
pub(super) fn split_name_version(text: &str) -> (&str, &str) {
    let search_from = usize::from(text.starts_with('@'));
    match text[search_from..].find('@') {
        Some(at) => (&text[..search_from + at], &text[search_from + at + 1..]),
        None => (text, ""),
    }
}

/// The git, URL or path source a specifier names, or `None` for a registry range.
pub(super) fn non_registry_source(spec: &str) -> Option<DependencySource> {
    const GIT_PREFIXES: [&str; 6] = [
        "git+",
        "git://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    if GIT_PREFIXES.iter().any(|p| spec.starts_with(p)) {
        return Some(git_source(spec));
    }
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return Some(url_source(spec));
    }
    for prefix in ["file:", "link:", "portal:"] {
        if let Some(path) = spec.strip_prefix(prefix) {
            return Some(path_source(path));
        }
    }
    if ["./", "../", "/", "~/"].iter().any(|p| spec.starts_with(p)) {
        return Some(path_source(spec));
    }
    if is_github_shorthand(spec) {
        return Some(git_source(spec));
    }
    None
}

/// `user/repo` or `user/repo#ref`, npm's shorthand for a GitHub repository.
fn is_github_shorthand(spec: &str) -> bool {
    let repo = spec.split('#').next().unwrap_or(spec);
    let mut parts = repo.split('/');
    let (Some(user), Some(name), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    valid(user) && valid(name) && !user.starts_with('.')
}

/// The lowest version `range` allows, and whether the range is one exact version.
/// `None` for `*`, dist-tags (`latest`) and anything unparsable.
pub(super) fn lowest(range: &str) -> Option<(String, bool)> {
    let range = range.trim();
    if range.len() > MAX_REQUIREMENT_LEN
        || range.is_empty()
        || range
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | ' ' | '>' | '='))
    {
        return None;
    }
    let exact = range.trim_start_matches('=').trim_start_matches('v');
    if let Ok(version) = Version::parse(exact) {
        return Some((version.to_string(), true));
    }
    if !range.starts_with(|c: char| c.is_ascii_digit() || "^~<>=vxX*".contains(c)) {
        return None;
    }
    let version = Range::parse(range).ok()?.min_version()?;
    Some((version.to_string(), false))
}

/// The source of a lockfile entry from its `resolved` URL: registry tarballs
/// (`…/name/-/name-1.2.3.tgz`) are the registry, whatever its host; `resolved` values
/// are full URLs or paths, never shorthands.
pub(super) fn resolved_source(resolved: Option<&str>, name: &str) -> DependencySource {
    let Some(resolved) = resolved.map(str::trim).filter(|r| !r.is_empty()) else {
        return DependencySource::Registry;
    };
    if resolved.starts_with("http://") || resolved.starts_with("https://") {
        return if is_registry_tarball(resolved, name) {
            DependencySource::Registry
        } else {
            url_source(resolved)
        };
    }
    if resolved.contains("://") || resolved.starts_with("git+") || resolved.starts_with("github:") {
        return git_source(resolved);
    }
    path_source(resolved.strip_prefix("file:").unwrap_or(resolved))
}

/// True for `…/<name>/-/<basename>-<version>.tgz`, the registry tarball layout.
fn is_registry_tarball(url: &str, name: &str) -> bool {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return false;
    }
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let basename = name.rsplit('/').next().unwrap_or(name);
    let Some((before, file)) = path.rsplit_once("/-/") else {
        return false;
    };
    let named = before.ends_with(&format!("/{basename}"))
        || before.ends_with(&format!("/{}", name.replace('/', "%2f")))
        || before.ends_with(&format!("/{}", name.replace('/', "%2F")));
    named && file.starts_with(&format!("{basename}-")) && file.ends_with(".tgz")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::common::{NPM, dependency};

    fn applied(spec: &str) -> ResolvedDependency {
        let mut dep = dependency(NPM, "declared", "package.json");
        assert!(apply(&mut dep, spec), "{spec}");
        dep
    }

    #[test]
    fn ranges_become_their_lowest_version() {
        for (range, lowest, from_range) in [
            ("^1.2.3", "1.2.3", true),
            ("~2.0", "2.0.0", true),
            (">=1 <2", "1.0.0", true),
            ("1.x || >=2.5.0", "1.0.0", true),
            (">1.2.3", "1.2.4", true),
            ("1.2.3", "1.2.3", false),
            ("=v1.2.3", "1.2.3", false),
            ("^0.6.0-beta.1", "0.6.0-beta.1", true),
        ] {
            let dep = applied(range);
            assert_eq!(dep.version.as_deref(), Some(lowest), "{range}");
            assert_eq!(dep.version_from_range, from_range, "{range}");
            assert_eq!(dep.source, DependencySource::Registry);
            assert_eq!(dep.requirement.as_deref(), Some(range));
        }
        for open in ["*", "", "latest", "next", "x", "not a range"] {
            assert_eq!(applied(open).version, None, "{open}");
        }
    }

    #[test]
    fn sources_and_aliases() {
        let dep = applied("npm:string-width@^4.2.0");
        assert_eq!(
            (dep.name.as_str(), dep.version.as_deref()),
            ("string-width", Some("4.2.0"))
        );
        let dep = applied("npm:@scope/real@1.0.1");
        assert_eq!(
            (dep.name.as_str(), dep.version.as_deref()),
            ("@scope/real", Some("1.0.1"))
        );
        assert_eq!(
            applied("github:acme/tool#v2").source,
            DependencySource::Git {
                url: "github:acme/tool".into(),
                reference: Some("v2".into())
            }
        );
        assert_eq!(
            applied("acme/tool").source,
            DependencySource::Git {
                url: "acme/tool".into(),
                reference: None
            }
        );
        assert_eq!(
            applied("https://files.example/t.tgz").source,
            DependencySource::Url {
                url: "https://files.example/t.tgz".into()
            }
        );
        assert_eq!(
            applied("file:../lib").source,
            DependencySource::Path {
                path: "../lib".into()
            }
        );
        let mut dep = dependency(NPM, "pkg", "package.json");
        assert!(!apply(&mut dep, "workspace:^1.0.0"));
    }

    #[test]
    fn registry_tarballs_are_recognised_on_any_host() {
        let registry = DependencySource::Registry;
        assert_eq!(
            resolved_source(Some("https://mirror.example/zod/-/zod-3.23.8.tgz"), "zod"),
            registry
        );
        assert_eq!(
            resolved_source(
                Some("https://mirror.example/@types/node/-/node-20.1.0.tgz#abc"),
                "@types/node"
            ),
            registry
        );
        assert_eq!(
            resolved_source(Some("https://codeload.example/acme/x/tar.gz/abc"), "x"),
            DependencySource::Url {
                url: "https://codeload.example/acme/x/tar.gz/abc".into()
            }
        );
        assert_eq!(
            resolved_source(Some("git+ssh://git@github.com/acme/x.git#0123abc"), "x"),
            DependencySource::Git {
                url: "git+ssh://git@github.com/acme/x.git".into(),
                reference: Some("0123abc".into())
            }
        );
        assert_eq!(
            resolved_source(Some("packages/a"), "a"),
            DependencySource::Path {
                path: "packages/a".into()
            }
        );
        assert_eq!(resolved_source(None, "a"), registry);
    }
}
