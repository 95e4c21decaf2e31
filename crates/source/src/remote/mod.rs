//! Fetchers for remote targets: each turns a [`Target`] into a verified artifact on disk
//! (an archive in the cache, or a tarball built from a git tree or an image's layers)
//! that the local readers then read under the usual limits.

mod artifact;
mod config_file;
pub mod endpoints;
pub mod git;
pub mod npm;
pub mod oci;
pub mod pypi;
mod tool;

use std::path::PathBuf;

use assay_core::{Cancel, ProgressEvent, Resolution};

use crate::Cache;
use crate::credentials::Credentials;
use crate::net::HttpClient;
pub use endpoints::Endpoints;

/// Everything a fetcher may use.
pub struct FetchContext<'a> {
    /// The HTTP client (network guard, timeouts, caps, cancellation).
    pub http: &'a HttpClient,
    /// Set when the scan is cancelled: long loops and child processes stop.
    pub cancel: &'a Cancel,
    /// Where artifacts are cached.
    pub cache: &'a Cache,
    /// The scan's credential, already checked against the target's type.
    pub credentials: Option<&'a Credentials>,
    /// Registry and host endpoints.
    pub endpoints: &'a Endpoints,
    /// The subdirectory to scan, if any (fetchers that can fetch less use it).
    pub base_path: Option<&'a str>,
    /// Receives `Download` events.
    pub progress: &'a (dyn Fn(&ProgressEvent) + Sync),
}

/// What a fetcher produced.
#[derive(Debug)]
pub struct Fetched {
    /// The canonical id, pinned to what was resolved.
    pub canonical_id: String,
    /// The version, commit or digest resolved to.
    pub resolution: Resolution,
    /// An archive (or directory) for [`crate::open_scoped`] to read.
    pub path: PathBuf,
    /// Whether the artifact came from the cache without downloading.
    pub from_cache: bool,
    /// A work directory holding `path`, removed when this value is dropped.
    pub work: Option<tempfile::TempDir>,
}
