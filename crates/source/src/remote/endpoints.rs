//! Where registries and git hosts are. Nothing here names a package registry's host:
//! the npm registry and the PyPI index come from configuration (see
//! [`npm::registry`](super::npm) and [`pypi::index`](super::pypi)); git hosts and OCI
//! registries come from the target and can be overridden for self-hosted instances.

/// Endpoint overrides, read from the environment by [`Endpoints::from_env`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// The npm registry base URL (`ASSAY_NPM_REGISTRY`); else npm's own configuration.
    pub npm_registry: Option<String>,
    /// The PyPI index (`ASSAY_PYPI_INDEX`), a PEP 503/691 simple-API URL; else pip's
    /// configuration.
    pub pypi_index: Option<String>,
    /// Base URL for `github:` targets (`ASSAY_GITHUB_URL`, default `https://github.com`).
    pub github: Option<String>,
    /// Base URL for `gitlab:` targets (`ASSAY_GITLAB_URL`, default `https://gitlab.com`).
    pub gitlab: Option<String>,
    /// Registry for `docker:` targets (`ASSAY_DOCKER_REGISTRY`, default Docker Hub's
    /// `https://registry-1.docker.io`).
    pub docker: Option<String>,
    /// Registry for `ghcr:` targets (`ASSAY_GHCR_REGISTRY`, default `https://ghcr.io`).
    pub ghcr: Option<String>,
}

impl Endpoints {
    /// Overrides from `ASSAY_*` environment variables.
    pub fn from_env() -> Endpoints {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().trim_end_matches('/').to_string())
                .filter(|v| !v.is_empty())
        };
        Endpoints {
            npm_registry: var("ASSAY_NPM_REGISTRY"),
            pypi_index: var("ASSAY_PYPI_INDEX"),
            github: var("ASSAY_GITHUB_URL"),
            gitlab: var("ASSAY_GITLAB_URL"),
            docker: var("ASSAY_DOCKER_REGISTRY"),
            ghcr: var("ASSAY_GHCR_REGISTRY"),
        }
    }

    /// The base URL of `github:` targets.
    pub fn github_base(&self) -> &str {
        self.github.as_deref().unwrap_or("https://github.com")
    }

    /// The base URL of `gitlab:` targets.
    pub fn gitlab_base(&self) -> &str {
        self.gitlab.as_deref().unwrap_or("https://gitlab.com")
    }

    /// The registry base URL of `docker:` targets.
    pub fn docker_base(&self) -> &str {
        self.docker
            .as_deref()
            .unwrap_or("https://registry-1.docker.io")
    }

    /// The registry base URL of `ghcr:` targets.
    pub fn ghcr_base(&self) -> &str {
        self.ghcr.as_deref().unwrap_or("https://ghcr.io")
    }
}
