//! Persistence for the Assay service, behind the [`Store`] trait: orgs, accounts and API
//! keys, scan jobs (a leased queue) and their reports, progress events for SSE, and
//! fixed-window rate counters.
//!
//! [`open`] takes a database URL: `sqlite://PATH?mode=rwc` is the embedded default
//! ([`default_url`] puts the file at `ASSAY_DATA_DIR/assay.db`), `postgres://…` serves
//! several API and worker processes. Both are [`SqlStore`], one set of queries over the
//! two databases: SQLite runs in WAL mode with a busy timeout and foreign keys on, funnels
//! every write through one connection and takes claims under `BEGIN IMMEDIATE`;
//! PostgreSQL claims with `FOR UPDATE SKIP LOCKED`. Both migrate themselves on open.
//!
//! The pure pieces — key material ([`keys`]), scopes ([`scope`]), CIDR allowlists
//! ([`cidr`]), rate windows ([`rate`]) — are usable without a database.

pub mod cidr;
mod clock;
mod error;
pub mod keys;
mod model;
pub mod rate;
pub mod scope;
mod sql;
mod stats;
mod store;
mod summary;

use std::path::Path;
use std::sync::Arc;

pub use error::{Result, StoreError};
pub use model::{
    ATTEMPTS_EXHAUSTED, Account, ApiKey, CANCELLED, CreatedKey, KeyCheck, KeyRejection, Mode,
    NewKey, NewScan, Org, Owner, Page, Principal, RegistryQuery, RegistrySort, Requeued, Scan,
    ScanError, ScanEvent, ScanQuery, ScanStatus, StatusCounts, SubmitOrigin, Submitted, Visibility,
};
pub use rate::{Bucket, RateDecision, Subject};
pub use scope::{Scope, ScopeSet};
pub use sql::{Backend, SqlStore};
pub use stats::{PublicStats, RuleTally};
pub use store::Store;
pub use summary::ReportSummary;

/// The database file's name in the data directory.
pub const DATABASE_FILE: &str = "assay.db";

/// Opens (creating and migrating as needed) the database at `url`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(SqlStore::open(url).await?))
}

/// `sqlite://<data dir>/assay.db?mode=rwc`, the data directory being `ASSAY_DATA_DIR`,
/// else `$XDG_DATA_HOME/assay`, else `~/.local/share/assay`.
pub fn default_url() -> Result<String> {
    let dir = assay_core::data_dir().ok_or(StoreError::NoDataDir)?;
    Ok(sqlite_url(&dir.join(DATABASE_FILE)))
}

/// The `sqlite://` URL of a database file (created when missing).
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_the_file() {
        assert_eq!(
            sqlite_url(Path::new("/data/assay.db")),
            "sqlite:///data/assay.db?mode=rwc"
        );
    }
}
