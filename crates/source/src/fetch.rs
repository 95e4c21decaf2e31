//! From a target string to something readable: parse, check credentials, fetch (for
//! remote targets), then open under limits.

use std::path::PathBuf;
use std::sync::Arc;

use assay_core::{Cancel, ProgressEvent, Resolution};

use crate::credentials::Credentials;
use crate::net::{HttpClient, NetworkPolicy};
use crate::remote::{self, Endpoints, FetchContext, Fetched};
use crate::target::{Target, TargetKind, normalize_base_path};
use crate::{Cache, Limits, SnapshotReader, SourceError};

/// Where downloads are cached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CacheMode {
    /// The user's cache directory (`ASSAY_CACHE_DIR`, else the platform cache dir).
    #[default]
    User,
    /// This directory.
    Dir(PathBuf),
    /// No persistent cache (`--no-cache`): download into a temporary directory.
    Off,
}

/// How to fetch a target.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Network policy: private-network guard, timeouts, redirects, download caps.
    pub policy: NetworkPolicy,
    /// The download cache.
    pub cache: CacheMode,
    /// The scan's one-shot credential.
    pub credentials: Option<Credentials>,
    /// Registry and host endpoints.
    pub endpoints: Endpoints,
    /// `--ref` (`version_or_commit`): replaces a reference given in the target.
    pub reference: Option<String>,
    /// `--base-path`: the subdirectory to scan (replaces one given in a URL).
    pub base_path: Option<String>,
    /// Stops the fetch (requests, downloads, cache writes, git) with
    /// [`SourceError::Cancelled`] once set; the engine also stops reading and analysing.
    pub cancel: Cancel,
}

/// A target ready to read.
#[derive(Debug)]
pub struct Prepared {
    /// The parsed target (with `--ref` applied).
    pub target: Target,
    /// What kind of target it is.
    pub kind: TargetKind,
    /// The canonical id, pinned to what was resolved.
    pub canonical_id: String,
    /// What a remote target resolved to (`None` for local targets).
    pub resolution: Option<Resolution>,
    /// The subdirectory read, if any.
    pub base_path: Option<String>,
    /// Whether the artifact came from the cache.
    pub from_cache: bool,
    path: PathBuf,
    // Dropped last: the cache of a `--no-cache` scan and any work directory.
    _work: Option<tempfile::TempDir>,
    _cache: Option<Cache>,
}

impl Prepared {
    /// Opens the artifact for reading under `limits` (see [`crate::open`]).
    pub fn open(
        &self,
        limits: &Limits,
        exclude: Arc<dyn Fn(&str) -> bool + Send + Sync>,
    ) -> Result<SnapshotReader, SourceError> {
        crate::open_scoped(&self.path, limits, exclude, self.base_path.as_deref())
    }
}

/// Parses `input`, checks the credential against it and, for a remote target, resolves
/// and downloads it (or takes it from the cache). Every failure is one line that never
/// contains a credential.
pub fn prepare(
    input: &str,
    options: &FetchOptions,
    progress: &(dyn Fn(&ProgressEvent) + Sync),
) -> Result<Prepared, SourceError> {
    let mut target = Target::parse(input)?;
    if let Some(reference) = &options.reference {
        target = target.with_reference(reference)?;
    }
    let url_subdir = match &target {
        Target::Git { subdir, .. } => subdir.clone(),
        _ => None,
    };
    let base_path = match &options.base_path {
        Some(raw) => normalize_base_path(raw)?,
        None => url_subdir,
    };
    if let Some(credentials) = &options.credentials {
        credentials.check(&target)?;
    }
    if let Target::Local { path } = &target {
        return Ok(Prepared {
            kind: target.kind(),
            canonical_id: local_id(path),
            resolution: None,
            base_path,
            from_cache: false,
            path: path.clone(),
            target,
            _work: None,
            _cache: None,
        });
    }

    progress(&ProgressEvent::Phase {
        name: "fetching".into(),
    });
    let cache = match &options.cache {
        CacheMode::User => Cache::user()?,
        CacheMode::Dir(dir) => Cache::at(dir),
        CacheMode::Off => Cache::temporary()?,
    };
    options.cancel.check()?;
    let http = HttpClient::cancellable(options.policy.clone(), options.cancel.clone());
    let context = FetchContext {
        http: &http,
        cancel: &options.cancel,
        cache: &cache,
        credentials: options.credentials.as_ref(),
        endpoints: &options.endpoints,
        base_path: base_path.as_deref(),
        progress,
    };
    let fetched: Fetched = match &target {
        Target::Npm { .. } => remote::npm::fetch(&target, &context)?,
        Target::Pypi { .. } => remote::pypi::fetch(&target, &context)?,
        Target::Git { .. } => remote::git::fetch(&target, &context)?,
        Target::Oci { .. } => remote::oci::fetch(&target, &context)?,
        Target::Local { .. } => unreachable!("local targets returned above"),
    };
    progress(&ProgressEvent::Resolved {
        canonical_id: fetched.canonical_id.clone(),
        cached: fetched.from_cache,
    });
    Ok(Prepared {
        kind: target.kind(),
        canonical_id: fetched.canonical_id,
        resolution: Some(fetched.resolution),
        base_path,
        from_cache: fetched.from_cache,
        path: fetched.path,
        target,
        _work: fetched.work,
        _cache: Some(cache),
    })
}

fn local_id(path: &std::path::Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!("local:{name}")
}
