//! Where a dependency comes from, when not from its ecosystem's registry: the
//! classification `AS403` applies to npm specs, PEP 508 direct references, pip
//! requirement lines and Poetry tables alike, and how risky each kind of source is.

use assay_core::Severity;

/// A non-registry dependency source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A git repository, at an optional ref (branch, tag, commit).
    Git {
        /// The ref after `#` or `@`, if any.
        reference: Option<String>,
    },
    /// A tarball or wheel fetched from a URL.
    Url {
        /// Plain `http://`: fetched without TLS.
        plaintext: bool,
    },
    /// A directory or archive on the local disk (`file:`, `link:`, `../x`).
    Local,
}

/// npm hosted-git shorthands.
const NPM_GIT_PREFIXES: &[&str] = &[
    "git+",
    "git://",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
];

/// The source of an npm dependency spec, `None` for registry versions, ranges, tags,
/// `npm:` aliases and `workspace:` references.
pub fn npm(spec: &str) -> Option<Source> {
    let spec = spec.trim();
    if NPM_GIT_PREFIXES.iter().any(|p| spec.starts_with(p)) {
        return Some(Source::Git {
            reference: spec.split_once('#').map(|(_, r)| r.to_string()),
        });
    }
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return Some(Source::Url {
            plaintext: spec.starts_with("http://"),
        });
    }
    if ["file:", "link:", "./", "../", "/", "~/"]
        .iter()
        .any(|p| spec.starts_with(p))
    {
        return Some(Source::Local);
    }
    // `owner/repo` and `owner/repo#ref` mean a GitHub repository to npm.
    let (path, reference) = match spec.split_once('#') {
        Some((path, reference)) => (path, Some(reference.to_string())),
        None => (spec, None),
    };
    let shorthand = path.split_once('/').is_some_and(|(owner, repo)| {
        let part = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        part(owner) && part(repo) && !owner.starts_with('.') && !spec.starts_with('@')
    });
    shorthand.then_some(Source::Git { reference })
}

/// The source of a Python direct reference or requirement-file URL/path
/// (`git+https://host/repo@ref#egg=x`, `https://host/x.whl`, `file:///x`, `./x`).
pub fn python(location: &str) -> Option<Source> {
    let location = location.trim().trim_start_matches('@').trim();
    let lower = location.to_ascii_lowercase();
    if ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        let without_fragment = location.split('#').next().unwrap_or(location);
        // The ref follows the last `@` of the path (not the `user@host` of the URL).
        let after_scheme = without_fragment.find("://").map_or(0, |i| i + 3);
        let path_start = after_scheme + without_fragment[after_scheme..].find('/').unwrap_or(0);
        let reference = without_fragment[path_start..]
            .rsplit_once('@')
            .map(|(_, r)| r.to_string());
        return Some(Source::Git { reference });
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(Source::Url {
            plaintext: lower.starts_with("http://"),
        });
    }
    if lower.starts_with("file:") || location.starts_with(['.', '/', '~']) {
        return Some(Source::Local);
    }
    None
}

/// True for a full or abbreviated commit hash (7 to 64 hex digits).
pub fn is_commit(reference: &str) -> bool {
    (7..=64).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Source {
    /// How risky the source is, and why, in words.
    pub fn judge(&self) -> (Severity, String) {
        match self {
            Source::Git {
                reference: Some(r),
            } if is_commit(r) => (
                Severity::Low,
                format!("a git repository pinned to commit `{r}`: immutable, but outside the registry's audit and advisories"),
            ),
            Source::Git {
                reference: Some(r),
            } => (
                Severity::Medium,
                format!("a git repository at `{r}`, a branch or tag that can be moved to other code"),
            ),
            Source::Git { reference: None } => (
                Severity::Medium,
                "a git repository's default branch: whatever is pushed next gets installed".into(),
            ),
            Source::Url { plaintext: true } => (
                Severity::High,
                "a plain-http URL: anyone on the network path can substitute the code".into(),
            ),
            Source::Url { plaintext: false } => (
                Severity::Medium,
                "an archive URL: no version, no integrity record in the registry, content can change".into(),
            ),
            Source::Local => (
                Severity::Low,
                "a local path: the code is not what the registry serves and may be missing for other users".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_npm_specs() {
        assert_eq!(npm("^1.2.3"), None);
        assert_eq!(npm("npm:other@1"), None);
        assert_eq!(npm("workspace:*"), None);
        assert_eq!(npm("@scope/pkg"), None);
        assert_eq!(npm("latest"), None);
        assert_eq!(
            npm("github:o/r#main"),
            Some(Source::Git {
                reference: Some("main".into())
            })
        );
        assert_eq!(npm("o/r"), Some(Source::Git { reference: None }));
        assert_eq!(
            npm("git+ssh://git@host:o/r.git#3f2a9c1"),
            Some(Source::Git {
                reference: Some("3f2a9c1".into())
            })
        );
        assert_eq!(npm("http://h/x.tgz"), Some(Source::Url { plaintext: true }));
        assert_eq!(npm("file:../lib"), Some(Source::Local));
    }

    #[test]
    fn classifies_python_references() {
        assert_eq!(
            python("@ git+https://user@git.host/o/r.git@v1.2#egg=x"),
            Some(Source::Git {
                reference: Some("v1.2".into())
            })
        );
        assert_eq!(
            python("git+https://git.host/o/r.git"),
            Some(Source::Git { reference: None })
        );
        assert_eq!(
            python("https://files.host/x-1.0.whl"),
            Some(Source::Url { plaintext: false })
        );
        assert_eq!(python("./vendor/x"), Some(Source::Local));
        assert_eq!(python(">=1.0"), None);
        assert!(is_commit("3f2a9c1d") && !is_commit("main") && !is_commit("v1.2.3"));
    }
}
