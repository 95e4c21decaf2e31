//! Where a git target lives: its URL, transport and host, and the names reports give it.

use crate::SourceError;
use crate::remote::Endpoints;
use crate::target::{GitHost, GitRepo};

/// A repository to fetch from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repository {
    /// The URL git fetches from (no credentials).
    pub url: String,
    /// Its transport: `https`, `http` or `git`.
    pub scheme: &'static str,
    host: String,
    port: u16,
    /// How errors and canonical ids name it: `github:owner/repo`, `gitlab:group/repo`
    /// or `git:<url>`.
    pub name: String,
}

impl Repository {
    /// The repository of a target: a hosted one at its host's (overridable) base URL,
    /// any other at its URL.
    pub fn new(repo: &GitRepo, endpoints: &Endpoints) -> Result<Repository, SourceError> {
        let (url, name) = match repo {
            GitRepo::Hosted { host, path } => {
                let base = match host {
                    GitHost::GitHub => endpoints.github_base(),
                    GitHost::GitLab => endpoints.gitlab_base(),
                };
                (
                    format!("{}/{path}.git", base.trim_end_matches('/')),
                    format!("{}:{path}", host.as_str()),
                )
            }
            GitRepo::Url(url) => (url.clone(), format!("git:{url}")),
        };
        let refuse = |reason: &str| SourceError::InvalidTarget {
            input: name.escape_default().to_string(),
            reason: reason.to_string(),
            forms: false,
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| refuse("the repository URL has no scheme"))?;
        let (scheme, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "https" => ("https", 443),
            "http" => ("http", 80),
            "git" => ("git", 9418),
            _ => {
                return Err(refuse(
                    "git repositories are fetched over https, http or git:// only",
                ));
            }
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(refuse(
                "credentials in URLs are refused; pass them with --token",
            ));
        }
        let (host, port) = split_authority(authority, default_port)
            .ok_or_else(|| refuse("the repository URL has no valid host"))?;
        Ok(Repository {
            url,
            scheme,
            host,
            port,
            name,
        })
    }

    /// Refuses a host that resolves only to internal addresses, unless allowed. git
    /// resolves the name again when it connects, so a name that rebinds in between
    /// is not caught here: the guard is checked on the name as given.
    pub fn check_network(&self, allow_private: bool) -> Result<(), SourceError> {
        crate::net::guard::resolve_allowed(&self.host, self.port, allow_private).map(|_| ())
    }
}

/// `host[:port]` or `[v6][:port]`, lowercased, with the scheme's port when none is given.
fn split_authority(authority: &str, default_port: u16) -> Option<(String, u16)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (host, after) = rest.split_once(']')?;
            (format!("[{host}]"), after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        },
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => default_port,
    };
    (!host.is_empty() && host != "[]").then(|| (host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(target: GitRepo, endpoints: &Endpoints) -> Repository {
        Repository::new(&target, endpoints).unwrap()
    }

    #[test]
    fn hosted_repositories_use_their_host_base() {
        let hosted = GitRepo::Hosted {
            host: GitHost::GitHub,
            path: "owner/repo".into(),
        };
        let github = repo(hosted.clone(), &Endpoints::default());
        assert_eq!(github.url, "https://github.com/owner/repo.git");
        assert_eq!((github.host.as_str(), github.port), ("github.com", 443));
        assert_eq!(github.name, "github:owner/repo");

        let local = Endpoints {
            github: Some("git://127.0.0.1:9999/".into()),
            ..Endpoints::default()
        };
        let overridden = repo(hosted, &local);
        assert_eq!(overridden.url, "git://127.0.0.1:9999/owner/repo.git");
        assert_eq!(overridden.scheme, "git");
        assert_eq!(overridden.port, 9999);
        assert_eq!(overridden.name, "github:owner/repo");
    }

    #[test]
    fn urls_keep_their_transport_and_port() {
        let v6 = repo(
            GitRepo::Url("http://[::1]:8080/r.git".into()),
            &Endpoints::default(),
        );
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.scheme),
            ("[::1]", 8080, "http")
        );
        assert_eq!(v6.name, "git:http://[::1]:8080/r.git");
        let git = repo(
            GitRepo::Url("git://Example.org/r".into()),
            &Endpoints::default(),
        );
        assert_eq!((git.host.as_str(), git.port), ("example.org", 9418));
    }

    #[test]
    fn other_transports_and_credentials_are_refused() {
        let endpoints = |github: &str| Endpoints {
            github: Some(github.into()),
            ..Endpoints::default()
        };
        let hosted = GitRepo::Hosted {
            host: GitHost::GitHub,
            path: "o/r".into(),
        };
        for base in [
            "file:///srv",
            "ext::sh -c x",
            "ssh://host",
            "https://u:secret@host",
        ] {
            let error = Repository::new(&hosted, &endpoints(base)).unwrap_err();
            assert_eq!(error.code(), "INVALID_TARGET", "{base}");
            assert!(!error.to_string().contains("secret"));
        }
    }
}
