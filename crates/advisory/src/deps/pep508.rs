//! PEP 508 requirement strings (`name[extra] >=1.0 ; marker`, `name @ url`), turned
//! into dependencies: the lowest allowed version, or the source of a direct reference.

use assay_core::{DependencySource, ResolvedDependency};

use super::common::{PYPI, dependency, git_source, path_source, url_source};
use super::pep440_range;

/// One requirement, split.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Requirement<'a> {
    /// The project name as written.
    pub name: &'a str,
    /// The version specifier (`>=1,<2`), without parentheses; empty when none.
    pub specifier: &'a str,
    /// The URL of a direct reference (`name @ url`).
    pub url: Option<&'a str>,
}

/// Splits a requirement; `None` when it does not start with a project name.
/// Extras and environment markers are dropped: a marker only narrows where the
/// dependency is installed, and the scan does not know the target environment.
pub(super) fn split(text: &str) -> Option<Requirement<'_>> {
    let text = text.trim();
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = text[name_end..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after
            .split_once(']')
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    if let Some(reference) = rest.strip_prefix('@') {
        // The URL ends at whitespace; a marker must follow a space.
        let url = reference.split_whitespace().next().unwrap_or_default();
        return Some(Requirement {
            name,
            specifier: "",
            url: Some(url).filter(|u| !u.is_empty()),
        });
    }
    let specifier = rest.split(';').next().unwrap_or(rest).trim();
    let specifier = specifier
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(specifier)
        .trim();
    Some(Requirement {
        name,
        specifier,
        url: None,
    })
}

/// A direct dependency of `scope` from `requirement`, declared in `path`.
pub(super) fn dependency_of(
    requirement: &Requirement<'_>,
    path: &str,
    scope: &str,
) -> ResolvedDependency {
    let mut dep = dependency(PYPI, requirement.name, path);
    dep.direct = true;
    dep.scope = scope.to_string();
    if let Some(url) = requirement.url {
        dep.requirement = Some(format!("@ {url}"));
        dep.source = url_reference_source(url);
        return dep;
    }
    dep.requirement = Some(requirement.specifier.to_string()).filter(|s| !s.is_empty());
    set_lowest(&mut dep, requirement.specifier);
    dep
}

/// Sets the version to the lowest `specifier` allows (flagged unless exact).
pub(super) fn set_lowest(dep: &mut ResolvedDependency, specifier: &str) {
    if let Some((version, exact)) = pep440_range::lowest(specifier) {
        dep.version = Some(version);
        dep.version_from_range = !exact;
    }
}

/// The source a pip URL names: VCS URLs (`git+https://…@v1.0#egg=x`), local files
/// (`file://`, paths) or archives.
pub(super) fn url_reference_source(url: &str) -> DependencySource {
    let url = url.split("#egg=").next().unwrap_or(url);
    let url = url.split('#').next().unwrap_or(url);
    if let Some(vcs) = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .find(|p| url.starts_with(*p))
    {
        let after_scheme = url.find("://").map_or(vcs.len(), |at| at + 3);
        let path_start = url[after_scheme..]
            .find('/')
            .map_or(url.len(), |at| after_scheme + at);
        return match url[path_start..].rfind('@') {
            Some(at) => git_source(&format!(
                "{}#{}",
                &url[..path_start + at],
                &url[path_start + at + 1..]
            )),
            None => git_source(url),
        };
    }
    if let Some(path) = url.strip_prefix("file://") {
        return path_source(path);
    }
    if url.contains("://") {
        return url_source(url);
    }
    path_source(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_requirements() {
        let r = split("requests[socks, security] >=2.31,<3 ; python_version < '3.13'").unwrap();
        assert_eq!(
            (r.name, r.specifier, r.url),
            ("requests", ">=2.31,<3", None)
        );
        let r = split("foo (>=1.0)").unwrap();
        assert_eq!(r.specifier, ">=1.0");
        let r =
            split("pkg @ https://files.example/pkg-1.0.tar.gz ; sys_platform == 'linux'").unwrap();
        assert_eq!(r.url, Some("https://files.example/pkg-1.0.tar.gz"));
        assert_eq!(split("mcp").unwrap().specifier, "");
        assert_eq!(split(">=1.0"), None);
        assert_eq!(split(""), None);
    }

    #[test]
    fn vcs_references_keep_their_revision() {
        assert_eq!(
            url_reference_source("git+https://tok@github.com/acme/lib.git@v1.2#egg=lib"),
            DependencySource::Git {
                url: "git+https://github.com/acme/lib.git".into(),
                reference: Some("v1.2".into())
            }
        );
        assert_eq!(
            url_reference_source("git+ssh://git@github.com/acme/lib.git"),
            DependencySource::Git {
                url: "git+ssh://git@github.com/acme/lib.git".into(),
                reference: None
            }
        );
        assert_eq!(
            url_reference_source("file:///opt/wheels/x.whl"),
            DependencySource::Path {
                path: "/opt/wheels/x.whl".into()
            }
        );
        assert_eq!(
            url_reference_source("./vendor/x"),
            DependencySource::Path {
                path: "./vendor/x".into()
            }
        );
    }
}
