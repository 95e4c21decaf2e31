//! Where an image is: the registry's base URL, the repository, the reference, and the
//! names the image is reported under.

use std::net::IpAddr;

use crate::remote::FetchContext;
use crate::target::{OciReference, OciRegistry};
use crate::{SourceError, Target};

/// An image's registry, repository and reference.
pub(super) struct ImageLocation {
    /// The registry's base URL, without a trailing slash (`https://ghcr.io`).
    pub base_url: String,
    /// Which registry, as the target named it.
    pub registry: OciRegistry,
    /// The repository (`library/node`).
    pub repository: String,
    /// The tag or digest asked for.
    pub reference: OciReference,
    /// The target as typed, for error messages.
    pub display: String,
}

impl ImageLocation {
    /// The location of an OCI target.
    pub fn of(target: &Target, ctx: &FetchContext<'_>) -> Result<ImageLocation, SourceError> {
        let Target::Oci {
            registry,
            repository,
            reference,
        } = target
        else {
            return Err(SourceError::InvalidTarget {
                input: target.to_string(),
                reason: "not an OCI image".into(),
                forms: true,
            });
        };
        let base_url = match registry {
            OciRegistry::DockerHub => ctx.endpoints.docker_base().to_string(),
            OciRegistry::Ghcr => ctx.endpoints.ghcr_base().to_string(),
            OciRegistry::Host(host) if is_docker_hub(host) => {
                ctx.endpoints.docker_base().to_string()
            }
            OciRegistry::Host(host) => {
                let allow_private = ctx.http.policy().allow_private_network;
                let scheme = if plain_http_allowed(host, allow_private) {
                    "http"
                } else {
                    "https"
                };
                format!("{scheme}://{host}")
            }
        };
        let repository = match registry {
            OciRegistry::Host(host) if is_docker_hub(host) && !repository.contains('/') => {
                format!("library/{repository}")
            }
            _ => repository.clone(),
        };
        Ok(ImageLocation {
            base_url: base_url.trim_end_matches('/').to_string(),
            registry: registry.clone(),
            repository,
            reference: reference.clone(),
            display: target.to_string(),
        })
    }

    /// The canonical id, pinned to `digest`: `docker:<repo>@<digest>`,
    /// `ghcr:<repo>@<digest>` or `oci://<host>/<repo>@<digest>`.
    pub fn canonical_id(&self, digest: &str) -> String {
        let prefix = match &self.registry {
            OciRegistry::DockerHub => "docker:".to_string(),
            OciRegistry::Ghcr => "ghcr:".to_string(),
            OciRegistry::Host(host) => format!("oci://{host}/"),
        };
        format!("{prefix}{}@{digest}", self.repository)
    }

    /// The image as a pull reference pinned to `digest` (`docker.io/library/node@sha256:…`),
    /// as a Dockerfile's `FROM` names it.
    pub fn pinned_reference(&self, digest: &str) -> String {
        let host = match &self.registry {
            OciRegistry::DockerHub => "docker.io",
            OciRegistry::Ghcr => "ghcr.io",
            OciRegistry::Host(host) => host.as_str(),
        };
        format!("{host}/{}@{digest}", self.repository)
    }

    /// `<base>/v2/<repository>/<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/v2/{}/{path}", self.base_url, self.repository)
    }
}

/// Docker Hub's names for itself in `oci://` targets.
fn is_docker_hub(host: &str) -> bool {
    matches!(
        host,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

/// Whether `url`'s host is loopback (`localhost`, `127.0.0.0/8`, `::1`).
pub(super) fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    is_loopback_authority(authority)
}

/// Whether a `host[:port]` names the loopback interface.
fn is_loopback_authority(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Plain HTTP is used for an `oci://` registry only on loopback, and only when the
/// private network is allowed (a local registry, as in tests); any other registry is
/// reached over HTTPS unless an endpoint override says `http://` explicitly.
pub(super) fn plain_http_allowed(authority: &str, allow_private_network: bool) -> bool {
    allow_private_network && is_loopback_authority(authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_may_use_plain_http() {
        assert!(plain_http_allowed("127.0.0.1:5000", true));
        assert!(plain_http_allowed("localhost:5000", true));
        assert!(plain_http_allowed("[::1]:5000", true));
        assert!(!plain_http_allowed("127.0.0.1:5000", false));
        assert!(!plain_http_allowed("10.0.0.1:5000", true));
        assert!(!plain_http_allowed("registry.example:5000", true));
        assert!(is_loopback_url("http://127.0.0.1:9/token?x"));
        assert!(!is_loopback_url("http://example.org/token"));
    }
}
