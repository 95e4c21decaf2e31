//! What a generation holds (`meta.json`), as `assay db status` shows it.

use serde::{Deserialize, Serialize};

/// The on-disk format this version of Assay writes and reads.
pub const FORMAT: u32 = 1;

/// Most sources remembered (the most recent ones).
pub(crate) const MAX_SOURCES: usize = 50;

/// A generation of the database: when it was built, what it holds, where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The on-disk format ([`FORMAT`]).
    pub format: u32,
    /// The generation's directory name.
    pub generation: String,
    /// When the generation was built (RFC 3339, UTC).
    pub built_at: String,
    /// Advisory records.
    pub records: u64,
    /// Distinct packages with at least one record.
    pub packages: u64,
    /// Size of the records and index on disk.
    pub size_bytes: u64,
    /// Per ecosystem, in [`Ecosystem::ALL`](crate::version::Ecosystem::ALL) order; ecosystems without records are
    /// left out.
    pub ecosystems: Vec<EcosystemStatus>,
    /// The inputs imported so far, oldest first (a source imported again moves to the
    /// end), at most the 50 most recent.
    pub sources: Vec<SourceStatus>,
}

/// The records of one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemStatus {
    /// OSV ecosystem name.
    pub name: String,
    /// Records affecting a package of this ecosystem.
    pub records: u64,
    /// Distinct packages of this ecosystem with records.
    pub packages: u64,
    /// Of the records, the malicious-package ones (`MAL-`).
    pub malicious: u64,
}

/// One imported input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStatus {
    /// The path or URL.
    pub origin: String,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
    /// Usable records it held (withdrawn, malformed and unsupported ones not counted).
    pub records: u64,
}
