//! Assay's scan pipeline: target → snapshot → analysis → suppressions → scoring → report.
//!
//! [`scan`] runs one scan end to end. Files are analysed in parallel as they stream out
//! of the snapshot reader (rayon), so memory stays bounded by the files in flight rather
//! than the size of the target.

pub mod baseline;
pub mod config;
pub mod scoring;
pub mod suppress;

mod dependencies;
mod error;
mod scan;

pub use assay_source::{
    CacheMode, CredentialType, Credentials, Endpoints, FetchOptions, NetworkPolicy,
};
pub use baseline::Baseline;
pub use config::Config;
pub use dependencies::AdvisoryDatabase;
pub use error::EngineError;
pub use scan::{ScanRequest, scan};

/// The engine's version, reported in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The metadata of every rule the engine runs, sorted by id: the catalog behind
/// `assay rules`, `docs/rules.md` and the service's `GET /api/v1/rules/catalog`.
pub fn rule_catalog() -> Vec<&'static assay_core::RuleMeta> {
    let mut rules: Vec<_> = assay_rules::all_rules().iter().map(|r| r.meta()).collect();
    rules.sort_by_key(|r| r.id);
    rules
}
