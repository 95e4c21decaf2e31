//! The SQLite store: one file in WAL mode, a pool of readers and a single writer
//! connection (the "one writer" discipline: in-process writes queue for it instead of
//! failing with `SQLITE_BUSY`; `BEGIN IMMEDIATE` and the busy timeout cover other
//! processes sharing the file). `synchronous = NORMAL`: committed data survives a process
//! crash; a power loss may roll back the last transactions.

mod accounts;
mod counters;
mod migrate;
mod queue;
mod rows;
mod scans;

use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use time::{Duration, OffsetDateTime};

use assay_core::Report;

use crate::error::{Result, StoreError};
use crate::model::{
    Account, ApiKey, CreatedKey, KeyCheck, NewKey, NewScan, Org, Page, RegistryQuery, Requeued,
    Scan, ScanEvent, ScanQuery, StatusCounts, Submitted,
};
use crate::rate::{Bucket, RateDecision, Subject};
use crate::store::Store;

/// How long a statement waits for another process's write lock.
const BUSY_TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// Reader connections.
const READERS: u32 = 4;
/// Largest page a listing returns.
const MAX_PAGE: u32 = 500;

/// The reader and writer pools.
#[derive(Debug, Clone)]
struct Pools {
    /// Exactly one connection: every write goes through it.
    writer: SqlitePool,
    /// Read-only work (the writer itself for an in-memory database).
    reader: SqlitePool,
}

/// The SQLite implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pools: Pools,
}

impl SqliteStore {
    /// Opens `sqlite://PATH[?mode=rwc]` (or `sqlite::memory:`), creating the file's
    /// directory when the mode allows creation, and migrates the schema.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|_| StoreError::UnsupportedUrl(url.to_string()))?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let path = options.get_filename().to_path_buf();
        let in_memory = path.as_os_str() == ":memory:" || url.contains("mode=memory");
        let creatable = !in_memory && url.contains("mode=rwc");
        if let Some(dir) = path
            .parent()
            .filter(|d| creatable && !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        migrate::run(&writer).await?;
        let reader = if in_memory {
            writer.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(READERS)
                .connect_with(options.create_if_missing(false))
                .await?
        };
        Ok(SqliteStore {
            pools: Pools { writer, reader },
        })
    }

    /// The schema version this build migrates to.
    pub fn schema_version() -> i64 {
        migrate::LATEST
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pools.reader.close().await;
        self.pools.writer.close().await;
    }
}

/// A fresh opaque id.
fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A page size clamped to 1..=[`MAX_PAGE`] and an offset, as SQL integers.
fn page_bounds(limit: u32, offset: u32) -> (i64, i64) {
    (i64::from(limit.clamp(1, MAX_PAGE)), i64::from(offset))
}

/// A unique-constraint violation as [`StoreError::Conflict`].
fn conflict_on_unique(error: sqlx::Error, what: &'static str, name: &str) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::Conflict {
            what,
            name: name.to_string(),
        },
        _ => error.into(),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_org(&self, name: &str, now: OffsetDateTime) -> Result<Org> {
        accounts::create_org(&self.pools, name, now).await
    }

    async fn org(&self, id: &str) -> Result<Option<Org>> {
        accounts::org(&self.pools, id).await
    }

    async fn create_account(
        &self,
        org_id: &str,
        name: &str,
        tier: &str,
        now: OffsetDateTime,
    ) -> Result<Account> {
        accounts::create_account(&self.pools, org_id, name, tier, now).await
    }

    async fn account(&self, id: &str) -> Result<Option<Account>> {
        accounts::account(&self.pools, id).await
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>> {
        accounts::account_by_name(&self.pools, name).await
    }

    async fn create_key(&self, request: NewKey, now: OffsetDateTime) -> Result<CreatedKey> {
        accounts::create_key(&self.pools, request, now).await
    }

    async fn keys(&self, account_id: &str) -> Result<Vec<ApiKey>> {
        accounts::keys(&self.pools, account_id).await
    }

    async fn revoke_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool> {
        accounts::revoke_key(&self.pools, key_id, now).await
    }

    async fn authenticate(&self, presented: &str, now: OffsetDateTime) -> Result<KeyCheck> {
        accounts::authenticate(&self.pools, presented, now).await
    }

    async fn touch_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool> {
        accounts::touch_key(&self.pools, key_id, now).await
    }

    async fn submit(&self, request: NewScan, now: OffsetDateTime) -> Result<Submitted> {
        scans::submit(&self.pools, request, now).await
    }

    async fn scan(&self, id: &str) -> Result<Option<Scan>> {
        scans::scan(&self.pools, id).await
    }

    async fn scans(&self, query: &ScanQuery) -> Result<Page<Scan>> {
        scans::scans(&self.pools, query).await
    }

    async fn recent_public(&self, limit: u32) -> Result<Vec<Scan>> {
        scans::recent_public(&self.pools, limit).await
    }

    async fn registry(&self, query: &RegistryQuery) -> Result<Page<Scan>> {
        scans::registry(&self.pools, query).await
    }

    async fn registry_package(&self, source: &str, package: &str) -> Result<Option<Scan>> {
        scans::registry_package(&self.pools, source, package).await
    }

    async fn versions(&self, source: &str, package: &str) -> Result<Vec<Scan>> {
        scans::versions(&self.pools, source, package).await
    }

    async fn status_counts(&self) -> Result<StatusCounts> {
        scans::status_counts(&self.pools).await
    }

    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<Scan>> {
        queue::claim(&self.pools, worker, lease, now).await
    }

    async fn heartbeat(
        &self,
        scan_id: &str,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<bool> {
        queue::heartbeat(&self.pools, scan_id, worker, lease, now).await
    }

    async fn complete(
        &self,
        scan_id: &str,
        worker: &str,
        report: &Report,
        now: OffsetDateTime,
    ) -> Result<Scan> {
        queue::complete(&self.pools, scan_id, worker, report, now).await
    }

    async fn fail(
        &self,
        scan_id: &str,
        worker: &str,
        code: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<Scan> {
        queue::fail(&self.pools, scan_id, worker, code, message, now).await
    }

    async fn release(&self, scan_id: &str, worker: &str) -> Result<bool> {
        queue::release(&self.pools, scan_id, worker).await
    }

    async fn requeue_expired(&self, now: OffsetDateTime) -> Result<Requeued> {
        queue::requeue_expired(&self.pools, now).await
    }

    async fn cancel(&self, scan_id: &str, now: OffsetDateTime) -> Result<bool> {
        queue::cancel(&self.pools, scan_id, now).await
    }

    async fn append_event(
        &self,
        scan_id: &str,
        kind: &str,
        payload: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Result<u64> {
        counters::append_event(&self.pools, scan_id, kind, payload, now).await
    }

    async fn events_after(&self, scan_id: &str, after: u64, limit: u32) -> Result<Vec<ScanEvent>> {
        counters::events_after(&self.pools, scan_id, after, limit).await
    }

    async fn increment_and_get(
        &self,
        subject: &Subject,
        bucket: Bucket,
        window_start: OffsetDateTime,
        limit: u64,
    ) -> Result<RateDecision> {
        counters::increment_and_get(&self.pools, subject, bucket, window_start, limit).await
    }

    async fn prune_rate_counters(&self, before: OffsetDateTime) -> Result<u64> {
        counters::prune_rate_counters(&self.pools, before).await
    }
}
