//! Assay's snapshot readers: a local directory or archive read as a stream of files,
//! safely, under limits.
//!
//! [`open`] takes a directory, a tarball (`.tar`, `.tgz`, `.tar.gz`: npm packages, sdists)
//! or a zip archive (`.zip`, `.whl`: wheels, zip sdists) — recognised by extension, then by
//! magic bytes — and returns a [`SnapshotReader`]: an iterator of [`Entry`]s (relative
//! path, bytes) in a deterministic order, read lazily one file at a time so that memory
//! stays bounded by the files in flight. Archives are streamed and never written to disk.
//! Once the reader is exhausted, [`SnapshotReader::summary`] says what was read, what was
//! skipped and why, which limits were hit, and gives an order-independent content digest.
//!
//! Everything read is treated as hostile:
//!
//! - **Paths.** Absolute paths, drive letters, `..` escaping the root (zip-slip) and names
//!   with control characters are refused and recorded; `./` and repeated slashes are
//!   normalised; backslashes count as separators; invalid UTF-8 is escaped (`\xNN`) and
//!   the file still analysed. A tarball's single wrapping directory (npm's `package/`,
//!   an sdist's `name-1.2.3/`) is stripped.
//! - **Links and special files.** Symbolic links (in directories and archives) and
//!   archive hard links are recorded with their target and never followed; devices, FIFOs
//!   and sockets are recorded, never opened. In a directory, `.git` (version-control
//!   internals, at any depth) is skipped silently.
//! - **Duplicates.** Every entry of a repeated path is analysed (installers disagree on
//!   which copy wins) and the repeats are recorded.
//! - **Corruption.** A damaged tarball yields what was read before the damage and records
//!   the rest as unreadable; a damaged zip member is recorded as unreadable and the other
//!   members are still read (each has its own offset). Nothing panics or hangs.
//!
//! [`Limits`] bound the work, each hit reported as an [`assay_core::LimitHit`] and the
//! dropped entry as an [`assay_core::SkippedEntry`]:
//!
//! | limit | default | when hit |
//! |---|---|---|
//! | `max_files` | 50 000 entries (files read plus entries skipped) | reading stops |
//! | `max_total_bytes` | 1 GiB of decompressed content | reading stops |
//! | `max_file_bytes` | 32 MiB per file (at most one byte more is read to tell) | the file is skipped |
//! | `max_depth` | 40 path components | the deeper entries are skipped |
//! | `max_compression_ratio` | 200× (compressed side counted as at least 1 MiB), per zip member, per zip archive and per gzip stream | reading stops |
//!
//! Sizes declared in archive headers are never trusted for allocation: content is read
//! through bounded readers, and a decompression bomb is stopped after at most the allowed
//! ratio of real input.

mod archive;
pub mod cache;
pub mod credentials;
mod directory;
mod error;
mod fetch;
mod kind;
mod limits;
pub mod net;
pub mod osv;
mod path;
mod read_ahead;
mod reader;
mod recorder;
pub mod remote;
mod stream;
mod tarball;
pub mod target;
mod zipfile;

use std::path::Path;
use std::sync::Arc;

pub use cache::{Cache, Digest};
pub use credentials::{CredentialType, Credentials, Secret};
pub use error::SourceError;
pub use fetch::{CacheMode, FetchOptions, Prepared, prepare};
pub use kind::SourceKind;
pub use limits::{COMPRESSED_FLOOR, Limits};
pub use net::NetworkPolicy;
pub use reader::{Entry, SnapshotReader, SnapshotSummary};
pub use remote::Endpoints;
pub use target::{Target, TargetKind};

use kind::Format;
use reader::Backend;

/// Opens a directory or archive for reading under `limits`.
///
/// `exclude` returns true for relative, `/`-separated paths (files, or directories
/// without a trailing slash) that must not be read; each excluded directory or file is
/// recorded once as [`SkipReason::Excluded`](assay_core::SkipReason::Excluded), however
/// many files it holds. Fails, with a one-line message, when the target does not exist,
/// cannot be read, is not a directory or supported archive, or has a corrupt header.
pub fn open(
    path: &Path,
    limits: &Limits,
    exclude: Arc<dyn Fn(&str) -> bool + Send + Sync>,
) -> Result<SnapshotReader, SourceError> {
    open_scoped(path, limits, exclude, None)
}

/// Like [`open`], reading only the entries under `scope` (a normalised relative
/// directory, see [`target::normalize_base_path`]): entries outside it are outside the
/// target and neither read nor recorded. Paths stay relative to the artifact's root.
pub fn open_scoped(
    path: &Path,
    limits: &Limits,
    exclude: Arc<dyn Fn(&str) -> bool + Send + Sync>,
    scope: Option<&str>,
) -> Result<SnapshotReader, SourceError> {
    let format = kind::detect(path)?;
    let backend: Box<dyn Backend> = match format {
        Format::Directory => Box::new(directory::open(path)?),
        Format::Tar { gzip } => Box::new(tarball::open(path, gzip, limits)?),
        Format::Zip => Box::new(zipfile::open(path)?),
    };
    reader::spawn(
        path,
        format.kind(),
        limits,
        exclude,
        scope.map(str::to_string),
        backend,
    )
}
