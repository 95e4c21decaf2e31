//! One-shot credentials for private targets.
//!
//! A credential is given per scan (`--token`, `--username`, `ASSAY_TOKEN`,
//! `ASSAY_USERNAME`), held in memory for that scan only, and never stored, logged,
//! printed or put in an error message, a URL or a process argument. Its type (stated
//! with `--token-type`, else recognised from the token's prefix) must fit the target:
//! a GitHub token sent to PyPI is refused before anything is downloaded
//! (`CREDENTIAL_TYPE_MISMATCH`).

use std::fmt;

use crate::SourceError;
use crate::target::{GitHost, GitRepo, OciRegistry, Target};

/// A secret string. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What a credential is for (MCPSafe's `credentials.type`, plus generic `git` and `oci`
/// for self-hosted hosts and registries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialType {
    /// GitHub repositories.
    Github,
    /// GitLab repositories.
    Gitlab,
    /// Any other git host.
    Git,
    /// npm packages.
    Npm,
    /// PyPI projects.
    Pypi,
    /// Docker Hub images.
    Docker,
    /// GitHub Container Registry images.
    Ghcr,
    /// Any other OCI registry.
    Oci,
}

impl CredentialType {
    /// Every type, for help and error messages.
    pub const ALL: [CredentialType; 8] = [
        CredentialType::Github,
        CredentialType::Gitlab,
        CredentialType::Git,
        CredentialType::Npm,
        CredentialType::Pypi,
        CredentialType::Docker,
        CredentialType::Ghcr,
        CredentialType::Oci,
    ];

    /// The type's name.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialType::Github => "github",
            CredentialType::Gitlab => "gitlab",
            CredentialType::Git => "git",
            CredentialType::Npm => "npm",
            CredentialType::Pypi => "pypi",
            CredentialType::Docker => "docker",
            CredentialType::Ghcr => "ghcr",
            CredentialType::Oci => "oci",
        }
    }

    /// The type a token's well-known prefix identifies, if any. GitHub tokens serve
    /// both GitHub and GHCR, so they identify a family, checked in [`Credentials::check`].
    fn from_token(token: &str) -> Option<CredentialType> {
        const PREFIXES: [(&str, CredentialType); 7] = [
            ("ghp_", CredentialType::Github),
            ("github_pat_", CredentialType::Github),
            ("gho_", CredentialType::Github),
            ("glpat-", CredentialType::Gitlab),
            ("npm_", CredentialType::Npm),
            ("pypi-", CredentialType::Pypi),
            ("dckr_pat_", CredentialType::Docker),
        ];
        PREFIXES
            .iter()
            .find(|(prefix, _)| token.starts_with(prefix))
            .map(|(_, t)| *t)
    }
}

impl std::str::FromStr for CredentialType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        CredentialType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = CredentialType::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "unknown credential type `{}`; expected one of {}",
                    s.escape_default(),
                    names.join(", ")
                )
            })
    }
}

/// A credential for one scan.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The stated type; `None` means "whatever the target is", unless the token's prefix
    /// says otherwise.
    pub kind: Option<CredentialType>,
    /// A user name, for registries that want basic auth (Docker Hub, pypiserver).
    pub username: Option<String>,
    /// The token or password.
    pub token: Secret,
}

impl Credentials {
    /// A credential, rejecting empty or multi-line tokens (the error never quotes them).
    pub fn new(
        kind: Option<CredentialType>,
        username: Option<String>,
        token: &str,
    ) -> Result<Credentials, SourceError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(SourceError::InvalidCredentials {
                reason: "the token is empty".into(),
            });
        }
        if token.chars().any(char::is_control) {
            return Err(SourceError::InvalidCredentials {
                reason: "the token contains control characters or line breaks".into(),
            });
        }
        let username = username
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        if username
            .as_deref()
            .is_some_and(|u| u.contains([':', '\n', '\r']))
        {
            return Err(SourceError::InvalidCredentials {
                reason: "the user name contains `:` or a line break".into(),
            });
        }
        Ok(Credentials {
            kind,
            username,
            token: Secret::new(token),
        })
    }

    /// Checks that this credential fits `target`, before any download.
    pub fn check(&self, target: &Target) -> Result<(), SourceError> {
        let expected =
            expected_type(target).ok_or_else(|| SourceError::CredentialTypeMismatch {
                credential: self.effective_type_name(),
                target: "a local path, which takes no credentials".into(),
            })?;
        let fits = |kind: CredentialType| {
            kind == expected
                || (kind == CredentialType::Git && matches!(target, Target::Git { .. }))
                || (kind == CredentialType::Oci && matches!(target, Target::Oci { .. }))
                // A GitHub token is also what GHCR takes.
                || (kind == CredentialType::Github && expected == CredentialType::Ghcr)
        };
        if let Some(kind) = self.kind
            && !fits(kind)
        {
            return Err(self.mismatch(kind, target));
        }
        if let Some(recognised) = CredentialType::from_token(self.token.expose())
            && !fits(recognised)
        {
            return Err(self.mismatch(recognised, target));
        }
        Ok(())
    }

    fn mismatch(&self, kind: CredentialType, target: &Target) -> SourceError {
        SourceError::CredentialTypeMismatch {
            credential: kind.as_str().to_string(),
            target: target_description(target),
        }
    }

    fn effective_type_name(&self) -> String {
        self.kind
            .or_else(|| CredentialType::from_token(self.token.expose()))
            .map_or("token", CredentialType::as_str)
            .to_string()
    }
}

/// The credential type a target takes.
fn expected_type(target: &Target) -> Option<CredentialType> {
    Some(match target {
        Target::Local { .. } => return None,
        Target::Npm { .. } => CredentialType::Npm,
        Target::Pypi { .. } => CredentialType::Pypi,
        Target::Git { repo, .. } => match repo {
            GitRepo::Hosted {
                host: GitHost::GitHub,
                ..
            } => CredentialType::Github,
            GitRepo::Hosted {
                host: GitHost::GitLab,
                ..
            } => CredentialType::Gitlab,
            GitRepo::Url(_) => CredentialType::Git,
        },
        Target::Oci { registry, .. } => match registry {
            OciRegistry::DockerHub => CredentialType::Docker,
            OciRegistry::Ghcr => CredentialType::Ghcr,
            OciRegistry::Host(_) => CredentialType::Oci,
        },
    })
}

fn target_description(target: &Target) -> String {
    match expected_type(target) {
        Some(kind) => format!(
            "a {} target, which takes `{}` credentials",
            target.kind().as_str(),
            kind.as_str()
        ),
        None => "a local path".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(kind: Option<CredentialType>, token: &str) -> Credentials {
        Credentials::new(kind, None, token).unwrap()
    }

    #[test]
    fn a_token_for_another_target_type_is_refused() {
        let pypi = Target::parse("pypi:requests").unwrap();
        let error = creds(Some(CredentialType::Github), "abc")
            .check(&pypi)
            .unwrap_err();
        assert_eq!(error.code(), "CREDENTIAL_TYPE_MISMATCH");
        // Recognised by prefix even when no type is stated, and never echoed.
        let token = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
        let error = creds(None, token).check(&pypi).unwrap_err();
        assert_eq!(error.code(), "CREDENTIAL_TYPE_MISMATCH");
        assert!(!error.to_string().contains(token));
    }

    #[test]
    fn fitting_tokens_pass() {
        let ghcr = Target::parse("ghcr:org/image:1").unwrap();
        creds(Some(CredentialType::Github), "ghp_x")
            .check(&ghcr)
            .unwrap();
        let git = Target::parse("git+https://git.example.org/r.git").unwrap();
        creds(Some(CredentialType::Git), "t").check(&git).unwrap();
        let npm = Target::parse("@scope/private").unwrap();
        creds(None, "npm_abc").check(&npm).unwrap();
        creds(None, "opaque").check(&npm).unwrap();
        assert!(
            creds(None, "npm_abc")
                .check(&Target::parse("./x").unwrap())
                .is_err()
        );
    }

    #[test]
    fn secrets_never_print() {
        let c = creds(None, "hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(Credentials::new(None, None, "  ").is_err());
        assert!(Credentials::new(None, None, "a\nb").is_err());
        assert!("GitHub".parse::<CredentialType>().is_ok());
        assert!("svn".parse::<CredentialType>().is_err());
    }
}
