//! Target strings as users type them, parsed into a [`Target`].
//!
//! The grammar is DESIGN.md's (MCPSafe's, plus URLs):
//!
//! | form | examples |
//! |---|---|
//! | local | `./dir`, `/abs/dir`, `pkg.tgz`, `pkg.zip`, `pkg.whl`, `path:./dir` |
//! | npm | `npm:name`, `npm:@scope/name@1.2.3`, `@scope/name@^1`, bare `name` (npm is the default), npm package URLs (`…/package/<name>[/v/<version>]`) |
//! | PyPI | `pypi:name`, `pypi:name==1.2`, `pypi:name>=1,<2`, PyPI project URLs (`…/project/<name>[/<version>]`) |
//! | git | `github:owner/repo[@ref]`, `gitlab:group/repo[@ref]`, `https://github.com/owner/repo[/tree/<ref>/<sub/dir>]`, GitLab's `/-/tree/<ref>/…`, `git+https://host/repo.git#ref`, `git://host/repo` |
//! | OCI | `docker:org/image:tag`, `docker:image@sha256:…`, `ghcr:org/image:tag`, `oci://registry/repo[:tag\|@digest]` |
//!
//! A bare string is a local path when it starts with `.`, `/` or `~`, has an archive
//! extension, or names something that exists; otherwise it must be a valid npm package
//! name. Package-site URLs are recognised by their path shape (`/package/…` for npm,
//! `/project/…` for PyPI), so mirrors' web pages work too. Credentials embedded in a URL
//! (`https://user:token@host/…`) are refused: they would end up in logs and reports; pass
//! them with `--token` instead.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::SourceError;

/// The accepted forms, for the one-line error on an unknown target.
pub const ACCEPTED_FORMS: &str = "a local path (./dir, pkg.tgz, path:./dir), npm (name, @scope/name@1.2.3, npm:name), \
pypi:name[==ver], github:owner/repo[@ref], gitlab:group/repo[@ref], https://github.com/owner/repo[/tree/ref/dir], \
git+https://host/repo.git#ref, docker:org/image:tag, ghcr:org/image:tag, oci://registry/repo:tag";

/// Which well-known git host a repository lives on (its base URL can be overridden).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GitHost {
    /// GitHub (`github:`, github.com URLs).
    GitHub,
    /// GitLab (`gitlab:`, gitlab.com URLs).
    GitLab,
}

impl GitHost {
    /// The prefix of the target form and canonical id: `github` or `gitlab`.
    pub fn as_str(self) -> &'static str {
        match self {
            GitHost::GitHub => "github",
            GitHost::GitLab => "gitlab",
        }
    }
}

/// Where a git repository is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitRepo {
    /// A repository on a well-known host, by path (`owner/repo`, `group/sub/repo`).
    Hosted {
        /// The host.
        host: GitHost,
        /// The repository path, without `.git`.
        path: String,
    },
    /// Any other repository, by URL (`https://…`, `http://…`, `git://…`), without
    /// credentials or fragment.
    Url(String),
}

/// Which OCI registry an image lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OciRegistry {
    /// Docker Hub (`docker:`).
    DockerHub,
    /// GitHub Container Registry (`ghcr:`).
    Ghcr,
    /// Any registry by host (and port): `oci://host[:port]/…`.
    Host(String),
}

/// A tag or a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OciReference {
    /// A tag (`latest` when none is given). Tags are mutable; the report records the
    /// digest it resolved to.
    Tag(String),
    /// A content digest, `sha256:<64 hex>`.
    Digest(String),
}

/// A parsed target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A local directory or archive.
    Local {
        /// The path.
        path: PathBuf,
    },
    /// An npm package.
    Npm {
        /// The package name, `name` or `@scope/name`.
        name: String,
        /// A version, a range or a dist-tag; `None` means the `latest` tag.
        spec: Option<String>,
    },
    /// A PyPI project.
    Pypi {
        /// The project name as typed (normalised when looked up).
        name: String,
        /// A version (`1.2`) or PEP 440 specifiers (`==1.2`, `>=1,<2`); `None` means
        /// the newest final release.
        spec: Option<String>,
    },
    /// A git repository.
    Git {
        /// Where it is.
        repo: GitRepo,
        /// A branch, tag or commit; `None` means the default branch.
        reference: Option<String>,
        /// A subdirectory given in the target itself (a `/tree/<ref>/<dir>` URL).
        subdir: Option<String>,
    },
    /// An OCI image.
    Oci {
        /// Which registry.
        registry: OciRegistry,
        /// The repository (`library/node`, `org/image`).
        repository: String,
        /// Tag or digest.
        reference: OciReference,
    },
}

/// What kind of target, as reports and credentials name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// A local directory.
    Directory,
    /// A local archive.
    Archive,
    /// An npm package.
    Npm,
    /// A PyPI project.
    Pypi,
    /// A git repository.
    Git,
    /// An OCI image.
    Oci,
}

impl TargetKind {
    /// `directory`, `archive`, `npm`, `pypi`, `git` or `oci`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Directory => "directory",
            TargetKind::Archive => "archive",
            TargetKind::Npm => "npm",
            TargetKind::Pypi => "pypi",
            TargetKind::Git => "git",
            TargetKind::Oci => "oci",
        }
    }
}

impl fmt::Display for Target {
    /// The target in its prefixed form, without resolution (`npm:name@^1`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Local { path } => write!(f, "path:{}", path.display()),
            Target::Npm { name, spec } => match spec {
                Some(spec) => write!(f, "npm:{name}@{spec}"),
                None => write!(f, "npm:{name}"),
            },
            Target::Pypi { name, spec } => match spec {
                Some(spec) if spec.starts_with(|c: char| c.is_ascii_digit()) => {
                    write!(f, "pypi:{name}=={spec}")
                }
                Some(spec) => write!(f, "pypi:{name}{spec}"),
                None => write!(f, "pypi:{name}"),
            },
            Target::Git {
                repo, reference, ..
            } => {
                match repo {
                    GitRepo::Hosted { host, path } => write!(f, "{}:{path}", host.as_str())?,
                    GitRepo::Url(url) => write!(f, "git+{url}")?,
                }
                match (repo, reference) {
                    (GitRepo::Url(_), Some(r)) => write!(f, "#{r}"),
                    (_, Some(r)) => write!(f, "@{r}"),
                    _ => Ok(()),
                }
            }
            Target::Oci {
                registry,
                repository,
                reference,
            } => {
                match registry {
                    OciRegistry::DockerHub => write!(f, "docker:{repository}")?,
                    OciRegistry::Ghcr => write!(f, "ghcr:{repository}")?,
                    OciRegistry::Host(host) => write!(f, "oci://{host}/{repository}")?,
                }
                match reference {
                    OciReference::Tag(tag) => write!(f, ":{tag}"),
                    OciReference::Digest(digest) => write!(f, "@{digest}"),
                }
            }
        }
    }
}

impl Target {
    /// Parses a target string. Fails with a one-line error listing the accepted forms.
    pub fn parse(input: &str) -> Result<Target, SourceError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(invalid(input, "the target is empty"));
        }
        if let Some(rest) = input.strip_prefix("path:") {
            return Ok(Target::Local {
                path: PathBuf::from(rest),
            });
        }
        if let Some(rest) = input.strip_prefix("npm:") {
            return npm(input, rest);
        }
        if let Some(rest) = input.strip_prefix("pypi:") {
            return pypi(input, rest);
        }
        for (prefix, host) in [("github:", GitHost::GitHub), ("gitlab:", GitHost::GitLab)] {
            if let Some(rest) = input.strip_prefix(prefix) {
                return hosted_git(input, host, rest);
            }
        }
        if let Some(rest) = input.strip_prefix("docker:") {
            return oci(input, OciRegistry::DockerHub, rest);
        }
        if let Some(rest) = input.strip_prefix("ghcr:") {
            return oci(input, OciRegistry::Ghcr, rest);
        }
        if let Some(rest) = input.strip_prefix("oci://") {
            let (host, rest) = rest
                .split_once('/')
                .ok_or_else(|| invalid(input, "expected oci://registry/repository[:tag]"))?;
            if host.is_empty() || host.contains('@') {
                return Err(invalid(input, "expected oci://registry/repository[:tag]"));
            }
            return oci(input, OciRegistry::Host(host.to_ascii_lowercase()), rest);
        }
        if let Some(rest) = input.strip_prefix("git+") {
            return git_url(input, rest);
        }
        if input.starts_with("git://") {
            return git_url(input, input);
        }
        if input.starts_with("https://") || input.starts_with("http://") {
            return web_url(input);
        }
        if input.contains("://") {
            return Err(invalid(input, "unsupported URL scheme"));
        }
        if looks_local(input) {
            return Ok(Target::Local {
                path: expand_home(input),
            });
        }
        npm(input, input)
    }

    /// What kind of target this is. A local path is a directory unless it names a file.
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::Local { path } if path.is_dir() => TargetKind::Directory,
            Target::Local { .. } => TargetKind::Archive,
            Target::Npm { .. } => TargetKind::Npm,
            Target::Pypi { .. } => TargetKind::Pypi,
            Target::Git { .. } => TargetKind::Git,
            Target::Oci { .. } => TargetKind::Oci,
        }
    }

    /// Applies `--ref` (`version_or_commit`): the version of a package, the branch, tag
    /// or commit of a repository, the tag or digest of an image. It replaces a reference
    /// given in the target itself. Local targets take no reference.
    pub fn with_reference(self, reference: &str) -> Result<Target, SourceError> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Ok(self);
        }
        let bad = |what: &str| SourceError::InvalidTarget {
            input: reference.to_string(),
            reason: what.to_string(),
            forms: false,
        };
        if reference
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(bad(
                "a reference cannot contain spaces or control characters",
            ));
        }
        Ok(match self {
            Target::Local { .. } => return Err(bad("--ref does not apply to a local target")),
            Target::Npm { name, .. } => Target::Npm {
                name,
                spec: Some(reference.to_string()),
            },
            Target::Pypi { name, .. } => Target::Pypi {
                name,
                spec: Some(reference.to_string()),
            },
            Target::Git { repo, subdir, .. } => {
                if reference.starts_with('-') {
                    return Err(bad("a git reference cannot start with `-`"));
                }
                Target::Git {
                    repo,
                    reference: Some(reference.to_string()),
                    subdir,
                }
            }
            Target::Oci {
                registry,
                repository,
                ..
            } => Target::Oci {
                registry,
                repository,
                reference: oci_reference(reference).map_err(|e| bad(&e))?,
            },
        })
    }
}

/// Normalises `--base-path` (or a URL's subdirectory): relative, `/`-separated, no `.`
/// or `..` components. `None` for the root.
pub fn normalize_base_path(raw: &str) -> Result<Option<String>, SourceError> {
    let mut parts = Vec::new();
    for part in raw.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                return Err(SourceError::InvalidTarget {
                    input: raw.to_string(),
                    reason: "the base path cannot contain `..`".into(),
                    forms: false,
                });
            }
            p if p.chars().any(char::is_control) => {
                return Err(SourceError::InvalidTarget {
                    input: raw.escape_default().to_string(),
                    reason: "the base path contains control characters".into(),
                    forms: false,
                });
            }
            p => parts.push(p),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

fn invalid(input: &str, reason: &str) -> SourceError {
    SourceError::InvalidTarget {
        input: shown_input(input),
        reason: reason.to_string(),
        forms: true,
    }
}

/// The input as it may appear in an error: URL credentials are cut out, control
/// characters escaped.
fn shown_input(input: &str) -> String {
    let cleaned = match input.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
                None => input.to_string(),
            }
        }
        None => input.to_string(),
    };
    cleaned.escape_default().to_string()
}

fn looks_local(input: &str) -> bool {
    const ARCHIVES: [&str; 5] = [".tgz", ".tar.gz", ".tar", ".zip", ".whl"];
    input.starts_with(['.', '/', '~'])
        || input.contains('\\')
        || ARCHIVES
            .iter()
            .any(|ext| input.to_ascii_lowercase().ends_with(ext))
        || Path::new(input).exists()
        || (input.contains('/') && !input.starts_with('@'))
}

fn expand_home(input: &str) -> PathBuf {
    if let Some(rest) = input.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(input)
}

/// `name`, `@scope/name`, each optionally followed by `@spec`.
fn npm(input: &str, rest: &str) -> Result<Target, SourceError> {
    let (name, spec) = split_npm_spec(rest);
    validate_npm_name(name).map_err(|why| invalid(input, &why))?;
    Ok(Target::Npm {
        name: name.to_string(),
        spec: spec.filter(|s| !s.is_empty()).map(str::to_string),
    })
}

fn split_npm_spec(rest: &str) -> (&str, Option<&str>) {
    let search_from = usize::from(rest.starts_with('@'));
    match rest[search_from..].find('@') {
        Some(i) => (&rest[..search_from + i], Some(&rest[search_from + i + 1..])),
        None => (rest, None),
    }
}

/// npm's package-name rules (validate-npm-package-name, for new packages).
pub(crate) fn validate_npm_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 214 {
        return Err("an npm package name has 1 to 214 characters".into());
    }
    let bare = match name.strip_prefix('@') {
        Some(scoped) => {
            let (scope, bare) = scoped
                .split_once('/')
                .ok_or("a scoped npm name is @scope/name")?;
            check_npm_part(scope)?;
            bare
        }
        None => name,
    };
    check_npm_part(bare)
}

fn check_npm_part(part: &str) -> Result<(), String> {
    let ok = !part.is_empty()
        && !part.starts_with(['.', '_'])
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid npm package name (lowercase letters, digits, - . _ ~)",
            part.escape_default()
        ))
    }
}

/// `name`, `name==1.2`, `name>=1,<2`, `name@1.2`.
fn pypi(input: &str, rest: &str) -> Result<Target, SourceError> {
    let split = rest
        .find(['=', '<', '>', '!', '~', '@', ' '])
        .unwrap_or(rest.len());
    let (name, spec) = rest.split_at(split);
    let spec = spec.trim().trim_start_matches('@').trim();
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name.as_bytes()[name.len() - 1].is_ascii_alphanumeric();
    if !valid {
        return Err(invalid(input, "not a valid PyPI project name"));
    }
    let spec = match spec {
        "" => None,
        s if s.starts_with("==") && !s[2..].contains([',', '*', '=', '<', '>']) => {
            Some(s[2..].trim().to_string())
        }
        s => Some(s.to_string()),
    };
    Ok(Target::Pypi {
        name: name.to_string(),
        spec,
    })
}

/// `owner/repo[@ref]` after `github:` or `gitlab:`.
fn hosted_git(input: &str, host: GitHost, rest: &str) -> Result<Target, SourceError> {
    let (path, reference) = match rest.split_once('@') {
        Some((path, r)) => (path, Some(r.to_string())),
        None => (rest, None),
    };
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    check_repo_path(input, host, path)?;
    check_git_ref(input, reference.as_deref())?;
    Ok(Target::Git {
        repo: GitRepo::Hosted {
            host,
            path: path.to_string(),
        },
        reference,
        subdir: None,
    })
}

fn check_repo_path(input: &str, host: GitHost, path: &str) -> Result<(), SourceError> {
    let segments: Vec<&str> = path.split('/').collect();
    let shape_ok = match host {
        GitHost::GitHub => segments.len() == 2,
        GitHost::GitLab => segments.len() >= 2,
    };
    let chars_ok = segments.iter().all(|s| {
        !s.is_empty()
            && !s.starts_with(['.', '-'])
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
    });
    if shape_ok && chars_ok {
        Ok(())
    } else {
        Err(invalid(
            input,
            &format!("expected {}:owner/repo[@ref]", host.as_str()),
        ))
    }
}

fn check_git_ref(input: &str, reference: Option<&str>) -> Result<(), SourceError> {
    match reference {
        Some(r)
            if r.is_empty()
                || r.starts_with('-')
                || r.contains("..")
                || r.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            Err(invalid(input, "not a valid git reference"))
        }
        _ => Ok(()),
    }
}

/// `git+https://host/repo.git#ref` (after `git+`) and `git://host/repo#ref`.
fn git_url(input: &str, url: &str) -> Result<Target, SourceError> {
    let (url, reference) = match url.split_once('#') {
        Some((url, r)) if !r.is_empty() => (url, Some(r.to_string())),
        Some((url, _)) => (url, None),
        None => (url, None),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(invalid(input, "expected git+https://host/repo.git#ref"));
    };
    if !matches!(scheme, "https" | "http" | "git") {
        return Err(invalid(
            input,
            "only https, http and git:// repository URLs are fetched",
        ));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(
            input,
            "credentials in URLs are refused; pass them with --token",
        ));
    }
    let path = &rest[authority.len()..];
    if authority.is_empty() || path.trim_matches('/').is_empty() {
        return Err(invalid(input, "the URL names no repository"));
    }
    check_git_ref(input, reference.as_deref())?;
    if let Some(target) = hosted_from_url(authority, path, reference.clone())? {
        return Ok(target);
    }
    Ok(Target::Git {
        repo: GitRepo::Url(format!("{scheme}://{authority}{path}")),
        reference,
        subdir: None,
    })
}

/// A github.com / gitlab.com URL as a hosted repository (so host overrides and
/// host-specific credentials apply).
fn hosted_from_url(
    authority: &str,
    path: &str,
    reference: Option<String>,
) -> Result<Option<Target>, SourceError> {
    let host = match authority.to_ascii_lowercase().as_str() {
        "github.com" | "www.github.com" => GitHost::GitHub,
        "gitlab.com" | "www.gitlab.com" => GitHost::GitLab,
        _ => return Ok(None),
    };
    let segments: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (repo_segments, tree) = match host {
        GitHost::GitHub => {
            let tree = segments
                .iter()
                .position(|s| *s == "tree" || *s == "blob" || *s == "commit");
            match tree {
                Some(2) => (&segments[..2], Some(&segments[3..])),
                _ if segments.len() >= 2 => (&segments[..2], None),
                _ => return Ok(None),
            }
        }
        GitHost::GitLab => match segments.iter().position(|s| *s == "-") {
            Some(dash)
                if segments
                    .get(dash + 1)
                    .is_some_and(|s| *s == "tree" || *s == "blob" || *s == "commit") =>
            {
                (&segments[..dash], Some(&segments[dash + 2..]))
            }
            Some(dash) => (&segments[..dash], None),
            None => (&segments[..], None),
        },
    };
    let repo_path = repo_segments.join("/");
    let repo_path = repo_path.trim_end_matches(".git").to_string();
    check_repo_path(&format!("{authority}{path}"), host, &repo_path)?;
    let (reference, subdir) = match tree {
        Some([r, rest @ ..]) => (
            Some((*r).to_string()),
            normalize_base_path(&rest.join("/"))?,
        ),
        _ => (reference, None),
    };
    Ok(Some(Target::Git {
        repo: GitRepo::Hosted {
            host,
            path: repo_path,
        },
        reference,
        subdir,
    }))
}

/// An `https://` URL: a GitHub/GitLab page, a package-site page, or any git repository.
fn web_url(input: &str) -> Result<Target, SourceError> {
    let (scheme, rest) = input.split_once("://").unwrap_or(("https", input));
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(
            input,
            "credentials in URLs are refused; pass them with --token",
        ));
    }
    let path = &rest[authority.len()..];
    if let Some(target) = hosted_from_url(authority, path, None)? {
        return Ok(target);
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["package", scope, name, rest @ ..] if scope.starts_with('@') => {
            return npm_page(input, &format!("{scope}/{name}"), rest);
        }
        ["package", name, rest @ ..] => return npm_page(input, name, rest),
        ["project", name] => return pypi(input, name),
        ["project", name, version] => return pypi(input, &format!("{name}=={version}")),
        _ => {}
    }
    if segments.is_empty() {
        return Err(invalid(input, "the URL names no repository or package"));
    }
    Ok(Target::Git {
        repo: GitRepo::Url(format!("{scheme}://{authority}{path}")),
        reference: None,
        subdir: None,
    })
}

fn npm_page(input: &str, name: &str, rest: &[&str]) -> Result<Target, SourceError> {
    validate_npm_name(name).map_err(|why| invalid(input, &why))?;
    let spec = match rest {
        ["v", version] => Some((*version).to_string()),
        [] => None,
        _ => return Err(invalid(input, "expected …/package/<name>[/v/<version>]")),
    };
    Ok(Target::Npm {
        name: name.to_string(),
        spec,
    })
}

/// `repo[:tag]`, `repo@sha256:…` after `docker:`, `ghcr:` or `oci://host/`.
fn oci(input: &str, registry: OciRegistry, rest: &str) -> Result<Target, SourceError> {
    let (repository, reference) = match rest.split_once('@') {
        Some((repo, digest)) => (repo, oci_reference(digest).map_err(|e| invalid(input, &e))?),
        None => {
            let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
            match rest[last_slash..].rfind(':') {
                Some(colon) => (
                    &rest[..last_slash + colon],
                    oci_reference(&rest[last_slash + colon + 1..])
                        .map_err(|e| invalid(input, &e))?,
                ),
                None => (rest, OciReference::Tag("latest".into())),
            }
        }
    };
    let repository = repository.to_ascii_lowercase();
    let valid = !repository.is_empty()
        && repository.split('/').all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.as_bytes()[0].is_ascii_alphanumeric()
        });
    if !valid {
        return Err(invalid(input, "not a valid image repository name"));
    }
    let repository = match registry {
        OciRegistry::DockerHub if !repository.contains('/') => format!("library/{repository}"),
        _ => repository,
    };
    Ok(Target::Oci {
        registry,
        repository,
        reference,
    })
}

fn oci_reference(reference: &str) -> Result<OciReference, String> {
    if let Some(hex) = reference.strip_prefix("sha256:") {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(OciReference::Digest(format!(
                "sha256:{}",
                hex.to_ascii_lowercase()
            )));
        }
        return Err("a digest is sha256: followed by 64 hex digits".into());
    }
    let valid = !reference.is_empty()
        && reference.len() <= 128
        && reference.as_bytes()[0] != b'.'
        && reference.as_bytes()[0] != b'-'
        && reference
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if valid {
        Ok(OciReference::Tag(reference.to_string()))
    } else {
        Err("not a valid image tag".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Target {
        Target::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn npm_forms() {
        assert_eq!(
            parse("@scope/name@1.2.3"),
            Target::Npm {
                name: "@scope/name".into(),
                spec: Some("1.2.3".into())
            }
        );
        assert_eq!(
            parse("npm:left-pad"),
            Target::Npm {
                name: "left-pad".into(),
                spec: None
            }
        );
        assert_eq!(
            parse("mcp-server@^1.2"),
            Target::Npm {
                name: "mcp-server".into(),
                spec: Some("^1.2".into())
            }
        );
        assert_eq!(
            parse("https://www.example.org/package/@modelcontextprotocol/server-git/v/1.0.0"),
            Target::Npm {
                name: "@modelcontextprotocol/server-git".into(),
                spec: Some("1.0.0".into())
            }
        );
        assert!(Target::parse("npm:Bad Name").is_err());
        assert!(Target::parse("npm:@scope").is_err());
    }

    #[test]
    fn pypi_forms() {
        assert_eq!(
            parse("pypi:mcp-server-git==2025.1.14"),
            Target::Pypi {
                name: "mcp-server-git".into(),
                spec: Some("2025.1.14".into())
            }
        );
        assert_eq!(
            parse("pypi:requests>=2,<3"),
            Target::Pypi {
                name: "requests".into(),
                spec: Some(">=2,<3".into())
            }
        );
        assert_eq!(
            parse("https://mirror.example/project/fastmcp/2.3.0/"),
            Target::Pypi {
                name: "fastmcp".into(),
                spec: Some("2.3.0".into())
            }
        );
        assert!(Target::parse("pypi:-bad").is_err());
    }

    #[test]
    fn git_forms() {
        assert_eq!(
            parse("github:owner/repo@v1.2"),
            Target::Git {
                repo: GitRepo::Hosted {
                    host: GitHost::GitHub,
                    path: "owner/repo".into()
                },
                reference: Some("v1.2".into()),
                subdir: None
            }
        );
        assert_eq!(
            parse("https://github.com/owner/repo/tree/main/packages/server"),
            Target::Git {
                repo: GitRepo::Hosted {
                    host: GitHost::GitHub,
                    path: "owner/repo".into()
                },
                reference: Some("main".into()),
                subdir: Some("packages/server".into())
            }
        );
        assert_eq!(
            parse("https://gitlab.com/group/sub/repo/-/tree/dev/src"),
            Target::Git {
                repo: GitRepo::Hosted {
                    host: GitHost::GitLab,
                    path: "group/sub/repo".into()
                },
                reference: Some("dev".into()),
                subdir: Some("src".into())
            }
        );
        assert_eq!(
            parse("git+https://git.example.org/team/server.git#v2"),
            Target::Git {
                repo: GitRepo::Url("https://git.example.org/team/server.git".into()),
                reference: Some("v2".into()),
                subdir: None
            }
        );
        assert_eq!(
            parse("git://127.0.0.1:9418/repo.git"),
            Target::Git {
                repo: GitRepo::Url("git://127.0.0.1:9418/repo.git".into()),
                reference: None,
                subdir: None
            }
        );
        assert!(Target::parse("github:owner/repo@--upload-pack=x").is_err());
        assert!(Target::parse("github:owner").is_err());
    }

    #[test]
    fn url_credentials_are_refused_and_never_echoed() {
        for input in [
            "git+https://user:s3cret@git.example.org/r.git",
            "https://s3cret@git.example.org/r.git",
        ] {
            let error = Target::parse(input).unwrap_err().to_string();
            assert!(!error.contains("s3cret"), "{error}");
            assert!(error.contains("--token"), "{error}");
        }
    }

    #[test]
    fn oci_forms() {
        assert_eq!(
            parse("docker:node"),
            Target::Oci {
                registry: OciRegistry::DockerHub,
                repository: "library/node".into(),
                reference: OciReference::Tag("latest".into())
            }
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            parse(&format!("ghcr:org/image@{digest}")),
            Target::Oci {
                registry: OciRegistry::Ghcr,
                repository: "org/image".into(),
                reference: OciReference::Digest(digest)
            }
        );
        assert_eq!(
            parse("oci://127.0.0.1:5000/team/server:1.0"),
            Target::Oci {
                registry: OciRegistry::Host("127.0.0.1:5000".into()),
                repository: "team/server".into(),
                reference: OciReference::Tag("1.0".into())
            }
        );
        assert!(Target::parse("docker:org/image@sha256:abc").is_err());
    }

    #[test]
    fn local_forms() {
        assert_eq!(
            parse("./server"),
            Target::Local {
                path: "./server".into()
            }
        );
        assert_eq!(
            parse("pkg.tgz"),
            Target::Local {
                path: "pkg.tgz".into()
            }
        );
        assert_eq!(
            parse("path:server"),
            Target::Local {
                path: "server".into()
            }
        );
        assert_eq!(
            parse("some/dir"),
            Target::Local {
                path: "some/dir".into()
            }
        );
    }

    #[test]
    fn unknown_forms_list_the_accepted_ones() {
        let error = Target::parse("ftp://host/x").unwrap_err().to_string();
        assert!(error.contains("github:owner/repo"), "{error}");
        assert_eq!(error.lines().count(), 1);
    }

    #[test]
    fn reference_and_base_path() {
        let target = parse("github:o/r").with_reference("abc123").unwrap();
        assert!(matches!(target, Target::Git { reference: Some(r), .. } if r == "abc123"));
        assert!(parse("./x").with_reference("1").is_err());
        assert!(parse("github:o/r").with_reference("-x").is_err());
        assert_eq!(
            normalize_base_path("/packages//server/").unwrap(),
            Some("packages/server".into())
        );
        assert_eq!(normalize_base_path("./").unwrap(), None);
        assert!(normalize_base_path("a/../../etc").is_err());
    }
}
