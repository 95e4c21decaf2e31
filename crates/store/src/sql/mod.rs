//! The SQL store, over sqlx's `Any` driver so that one set of queries (written with `$N`
//! placeholders, which both drivers accept) serves SQLite and PostgreSQL. What differs
//! between them lives in [`Dialect`]: how a write transaction begins, how a job is
//! claimed, and how concurrent writers of one logical row are serialised.
//!
//! **SQLite** (`sqlite://PATH?mode=rwc`): one file in WAL mode, a pool of readers and a
//! single writer connection (the "one writer" discipline: in-process writes queue for it
//! instead of failing with `SQLITE_BUSY`; `BEGIN IMMEDIATE` and the busy timeout cover
//! other processes sharing the file). `synchronous = NORMAL`: committed data survives a
//! process crash; a power loss may roll back the last transactions.
//!
//! **PostgreSQL** (`postgres://…`): one pool; claims use `FOR UPDATE SKIP LOCKED`, and
//! transaction-scoped advisory locks serialise idempotent submissions, key creation and
//! event numbering across processes. TLS follows the URL's `sslmode` (rustls, public CA
//! roots, or `sslrootcert=` for a private CA).

mod accounts;
mod counters;
mod migrate;
mod queue;
mod rows;
mod scans;
mod stats;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyConnection, AnyPool, Executor};
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;

use assay_core::Report;

use crate::error::{Result, StoreError};
use crate::model::{
    Account, ApiKey, CreatedKey, KeyCheck, NewKey, NewScan, Org, Page, RegistryQuery, Requeued,
    Scan, ScanEvent, ScanQuery, StatusCounts, SubmitOrigin, Submitted,
};
use crate::rate::{Bucket, RateDecision, Subject};
use crate::stats::PublicStats;
use crate::store::Store;

/// Connection settings every SQLite connection gets.
const SQLITE_PRAGMAS: &str =
    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
/// SQLite reader connections.
const SQLITE_READERS: u32 = 4;
/// PostgreSQL connections per process.
const POSTGRES_CONNECTIONS: u32 = 16;
/// How long to wait for a pooled connection.
const ACQUIRE_TIMEOUT: StdDuration = StdDuration::from_secs(30);
/// Largest page a listing returns.
const MAX_PAGE: u32 = 500;

/// Which database a store speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a URL names, if any.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The statements that differ between the two databases.
    fn dialect(self) -> &'static Dialect {
        match self {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }
}

/// What differs between the databases.
#[derive(Debug)]
struct Dialect {
    /// Starts a write transaction.
    begin: &'static str,
    /// Serialises writers on a logical key (`$1`) until the transaction ends; `None` when
    /// write transactions are already serial.
    lock: Option<&'static str>,
    /// Leases the oldest claimable job: `$1` worker, `$2` lease expiry, `$3` now.
    claim: &'static str,
    /// The schema steps.
    migrations: &'static [migrate::Migration],
    /// Tells other processes that work is waiting (on channel `$1`); `None` when they
    /// cannot listen.
    notify: Option<&'static str>,
}

const SQLITE: Dialect = Dialect {
    begin: "BEGIN IMMEDIATE",
    lock: None,
    claim: queue::SQLITE_CLAIM,
    migrations: migrate::SQLITE,
    notify: None,
};

const POSTGRES: Dialect = Dialect {
    begin: "BEGIN",
    lock: Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"),
    claim: queue::POSTGRES_CLAIM,
    migrations: migrate::POSTGRES,
    notify: Some("SELECT pg_notify($1, '')"),
};

/// The PostgreSQL channel idle workers listen on.
const WORK_CHANNEL: &str = "assay_work";

/// The pools and the dialect.
#[derive(Debug, Clone)]
struct Db {
    /// Writes (SQLite: exactly one connection).
    writer: AnyPool,
    /// Reads (SQLite: separate connections; otherwise the writer pool).
    reader: AnyPool,
    dialect: &'static Dialect,
    /// Bumped whenever a job may have become claimable; idle workers wait on it.
    work: Arc<watch::Sender<u64>>,
}

impl Db {
    /// Begins a write transaction.
    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.writer.begin_with(self.dialect.begin).await?)
    }

    /// Wakes idle workers: those of this process, and (PostgreSQL) of every process.
    async fn announce_work(&self) -> Result<()> {
        self.work.send_modify(|n| *n = n.wrapping_add(1));
        if let Some(sql) = self.dialect.notify {
            sqlx::query(sql)
                .bind(WORK_CHANNEL)
                .execute(&self.writer)
                .await?;
        }
        Ok(())
    }

    /// Serialises concurrent writers of `key` until `conn`'s transaction ends.
    async fn lock(&self, conn: &mut AnyConnection, key: &str) -> Result<()> {
        if let Some(sql) = self.dialect.lock {
            sqlx::query(sql).bind(key).execute(conn).await?;
        }
        Ok(())
    }
}

/// The SQL implementation of [`Store`], for SQLite and PostgreSQL.
#[derive(Debug, Clone)]
pub struct SqlStore {
    db: Db,
    backend: Backend,
}

impl SqlStore {
    /// Opens `sqlite://PATH[?mode=rwc]` (creating the file's directory when the mode
    /// allows creation), `sqlite::memory:`, or `postgres://…`, and migrates the schema.
    pub async fn open(url: &str) -> Result<SqlStore> {
        install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_string()))?;
        let work = Arc::new(watch::Sender::new(0));
        let (writer, reader) = match backend {
            Backend::Sqlite => open_sqlite(url).await?,
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(POSTGRES_CONNECTIONS)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect(url)
                    .await?;
                listen_for_work(url, &work).await?;
                (pool.clone(), pool)
            }
        };
        let db = Db {
            writer,
            reader,
            dialect: backend.dialect(),
            work,
        };
        migrate::run(&db).await?;
        Ok(SqlStore { db, backend })
    }

    /// The database this store speaks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The schema version this build migrates to.
    pub fn schema_version() -> i64 {
        migrate::LATEST
    }

    /// Closes every connection (for SQLite, checkpointing the WAL).
    pub async fn close(&self) {
        self.db.reader.close().await;
        self.db.writer.close().await;
    }
}

/// Forwards `NOTIFY`s on [`WORK_CHANNEL`] to `work` until the store is dropped.
async fn listen_for_work(url: &str, work: &Arc<watch::Sender<u64>>) -> Result<()> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(WORK_CHANNEL).await?;
    let work = Arc::downgrade(work);
    tokio::spawn(async move {
        // `recv` reconnects by itself; an error here is fatal, and waits fall back to
        // their timeouts.
        while listener.recv().await.is_ok() {
            let Some(work) = work.upgrade() else { break };
            work.send_modify(|n| *n = n.wrapping_add(1));
        }
    });
    Ok(())
}

/// The SQLite writer (one connection, WAL) and reader pools.
async fn open_sqlite(url: &str) -> Result<(AnyPool, AnyPool)> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(|_| StoreError::UnsupportedUrl(url.to_string()))?;
    let path = options.get_filename();
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let creatable = !in_memory && url.contains("mode=rwc");
    if let Some(dir) = path
        .parent()
        .filter(|d| creatable && !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Database(format!("cannot create {}: {e}", dir.display())))?;
    }
    let writer = AnyPoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
                conn.execute(sqlx::raw_sql("PRAGMA journal_mode = WAL;"))
                    .await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    if in_memory {
        return Ok((writer.clone(), writer));
    }
    let reader = AnyPoolOptions::new()
        .max_connections(SQLITE_READERS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok((writer, reader))
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

/// A foreign-key violation as [`StoreError::NotFound`].
fn missing_on_foreign_key(error: sqlx::Error, what: &'static str) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_foreign_key_violation() => StoreError::NotFound(what),
        _ => error.into(),
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn create_org(&self, name: &str, now: OffsetDateTime) -> Result<Org> {
        accounts::create_org(&self.db, name, now).await
    }

    async fn org(&self, id: &str) -> Result<Option<Org>> {
        accounts::org(&self.db, id).await
    }

    async fn create_account(
        &self,
        org_id: &str,
        name: &str,
        tier: &str,
        now: OffsetDateTime,
    ) -> Result<Account> {
        accounts::create_account(&self.db, org_id, name, tier, now).await
    }

    async fn account(&self, id: &str) -> Result<Option<Account>> {
        accounts::account(&self.db, id).await
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>> {
        accounts::account_by_name(&self.db, name).await
    }

    async fn create_key(&self, request: NewKey, now: OffsetDateTime) -> Result<CreatedKey> {
        accounts::create_key(&self.db, request, now).await
    }

    async fn keys(&self, account_id: &str) -> Result<Vec<ApiKey>> {
        accounts::keys(&self.db, account_id).await
    }

    async fn revoke_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool> {
        accounts::revoke_key(&self.db, key_id, now).await
    }

    async fn authenticate(&self, presented: &str, now: OffsetDateTime) -> Result<KeyCheck> {
        accounts::authenticate(&self.db, presented, now).await
    }

    async fn touch_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool> {
        accounts::touch_key(&self.db, key_id, now).await
    }

    async fn submit(&self, request: NewScan, now: OffsetDateTime) -> Result<Submitted> {
        let submitted = scans::submit(&self.db, request, now).await?;
        if submitted.origin == SubmitOrigin::Created {
            self.db.announce_work().await?;
        }
        Ok(submitted)
    }

    async fn scan(&self, id: &str) -> Result<Option<Scan>> {
        scans::scan(&self.db, id).await
    }

    async fn scans(&self, query: &ScanQuery) -> Result<Page<Scan>> {
        scans::scans(&self.db, query).await
    }

    async fn recent_public(&self, limit: u32) -> Result<Vec<Scan>> {
        scans::recent_public(&self.db, limit).await
    }

    async fn registry(&self, query: &RegistryQuery) -> Result<Page<Scan>> {
        scans::registry(&self.db, query).await
    }

    async fn registry_package(&self, source: &str, package: &str) -> Result<Option<Scan>> {
        scans::registry_package(&self.db, source, package).await
    }

    async fn versions(&self, source: &str, package: &str) -> Result<Vec<Scan>> {
        scans::versions(&self.db, source, package).await
    }

    async fn status_counts(&self) -> Result<StatusCounts> {
        scans::status_counts(&self.db, None).await
    }

    async fn stats(&self, top_rules: u32) -> Result<PublicStats> {
        stats::stats(&self.db, top_rules).await
    }

    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<Scan>> {
        queue::claim(&self.db, worker, lease, now).await
    }

    async fn heartbeat(
        &self,
        scan_id: &str,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<bool> {
        queue::heartbeat(&self.db, scan_id, worker, lease, now).await
    }

    async fn complete(
        &self,
        scan_id: &str,
        worker: &str,
        report: &Report,
        now: OffsetDateTime,
    ) -> Result<Scan> {
        queue::complete(&self.db, scan_id, worker, report, now).await
    }

    async fn fail(
        &self,
        scan_id: &str,
        worker: &str,
        code: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<Scan> {
        queue::fail(&self.db, scan_id, worker, code, message, now).await
    }

    async fn release(&self, scan_id: &str, worker: &str) -> Result<bool> {
        let released = queue::release(&self.db, scan_id, worker).await?;
        if released {
            self.db.announce_work().await?;
        }
        Ok(released)
    }

    async fn requeue_expired(&self, now: OffsetDateTime) -> Result<Requeued> {
        let requeued = queue::requeue_expired(&self.db, now).await?;
        if requeued.requeued > 0 {
            self.db.announce_work().await?;
        }
        Ok(requeued)
    }

    async fn cancel(&self, scan_id: &str, now: OffsetDateTime) -> Result<bool> {
        queue::cancel(&self.db, scan_id, now).await
    }

    async fn wait_for_work(&self, timeout: Duration) {
        let mut work = self.db.work.subscribe();
        let timeout = StdDuration::try_from(timeout).unwrap_or_default();
        // Both outcomes mean "try to claim again".
        let _ = tokio::time::timeout(timeout, work.changed()).await;
    }

    async fn append_event(
        &self,
        scan_id: &str,
        kind: &str,
        payload: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Result<u64> {
        counters::append_event(&self.db, scan_id, kind, payload, now).await
    }

    async fn events_after(&self, scan_id: &str, after: u64, limit: u32) -> Result<Vec<ScanEvent>> {
        counters::events_after(&self.db, scan_id, after, limit).await
    }

    async fn increment_and_get(
        &self,
        subject: &Subject,
        bucket: Bucket,
        window_start: OffsetDateTime,
        limit: u64,
    ) -> Result<RateDecision> {
        counters::increment_and_get(&self.db, subject, bucket, window_start, limit).await
    }

    async fn prune_rate_counters(&self, before: OffsetDateTime) -> Result<u64> {
        counters::prune_rate_counters(&self.db, before).await
    }
}
