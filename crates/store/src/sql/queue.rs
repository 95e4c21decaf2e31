//! The job queue: claims under `BEGIN IMMEDIATE`, leases, heartbeats, completion, failure,
//! requeueing of expired leases, cancellation.

use assay_core::Report;
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};

use super::rows::{self, scan_columns};
use super::{Db, stats};
use crate::clock::{duration_millis, to_millis};
use crate::error::{Result, StoreError, one_line};
use crate::model::{ATTEMPTS_EXHAUSTED, CANCELLED, Requeued, Scan};
use crate::summary::ReportSummary;

/// Longest error message kept.
const MAX_MESSAGE: usize = 2000;

/// The claim statement's assignments and result (`$1` worker, `$2` lease expiry, `$3` now).
macro_rules! claim_set {
    () => {
        "UPDATE scans SET status = 'running', attempts = attempts + 1, lease_owner = $1, \
         lease_expires_at = $2, heartbeat_at = $3, started_at = COALESCE(started_at, $3) \
         WHERE seq = "
    };
}

/// SQLite's claim: the writer lock (`BEGIN IMMEDIATE`) makes it exclusive; the oldest
/// queued job and the oldest expired lease are each found through an index.
pub(super) const SQLITE_CLAIM: &str = concat!(
    claim_set!(),
    "(SELECT MIN(s) FROM ( \
         SELECT MIN(seq) AS s FROM scans WHERE status = 'queued' \
         UNION ALL \
         SELECT MIN(seq) FROM scans WHERE status = 'running' AND lease_expires_at <= $3) AS c) \
     RETURNING ",
    scan_columns!(),
    ", report"
);

/// PostgreSQL's claim: concurrent claimers skip rows another transaction has locked.
pub(super) const POSTGRES_CLAIM: &str = concat!(
    claim_set!(),
    "(SELECT seq FROM scans WHERE status = 'queued' \
         OR (status = 'running' AND lease_expires_at <= $3) \
         ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING ",
    scan_columns!(),
    ", report"
);

/// Fails running jobs whose lease expired on their last attempt; returns how many.
async fn abandon_exhausted(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'failed', finished_at = $1, error_code = $2, \
         error_message = 'abandoned after ' || attempts || ' attempts: the worker stopped \
         renewing its lease each time', lease_owner = NULL, lease_expires_at = NULL \
         WHERE status = 'running' AND lease_expires_at <= $1 AND attempts >= max_attempts",
    )
    .bind(now)
    .bind(ATTEMPTS_EXHAUSTED)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Leases the oldest claimable job.
pub(super) async fn claim(
    db: &Db,
    worker: &str,
    lease: Duration,
    now: OffsetDateTime,
) -> Result<Option<Scan>> {
    let now = to_millis(now);
    let mut tx = db.begin().await?;
    abandon_exhausted(&mut tx, now).await?;
    let row = sqlx::query(db.dialect.claim)
        .bind(worker)
        .bind(now.saturating_add(duration_millis(lease)))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
    let scan = row.as_ref().map(rows::scan).transpose()?;
    tx.commit().await?;
    Ok(scan)
}

/// Extends a lease.
pub(super) async fn heartbeat(
    db: &Db,
    scan_id: &str,
    worker: &str,
    lease: Duration,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = to_millis(now);
    let done = sqlx::query(
        "UPDATE scans SET lease_expires_at = $1, heartbeat_at = $2 \
         WHERE id = $3 AND status = 'running' AND lease_owner = $4",
    )
    .bind(now.saturating_add(duration_millis(lease)))
    .bind(now)
    .bind(scan_id)
    .bind(worker)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a report, and its findings counted per rule ([`stats::record_rule_counts`]),
/// in one transaction.
pub(super) async fn complete(
    db: &Db,
    scan_id: &str,
    worker: &str,
    report: &Report,
    now: OffsetDateTime,
) -> Result<Scan> {
    let json = serde_json::to_string(report).map_err(|e| StoreError::invalid("report", e))?;
    let summary = ReportSummary::of(report);
    let mut tx = db.begin().await?;
    let row = sqlx::query(concat!(
        "UPDATE scans SET status = 'succeeded', finished_at = $1, report = $2, score = $3, \
         grade = $4, canonical_id = $5, source = $6, package = $7, version = $8, \
         lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $9 AND status = 'running' AND lease_owner = $10 RETURNING ",
        scan_columns!(),
        ", report"
    ))
    .bind(to_millis(now))
    .bind(json)
    .bind(i64::from(summary.score))
    .bind(&summary.grade)
    .bind(&summary.canonical_id)
    .bind(&summary.source)
    .bind(&summary.package)
    .bind(&summary.version)
    .bind(scan_id)
    .bind(worker)
    .fetch_optional(&mut *tx)
    .await?;
    let scan = finished(row, scan_id, worker)?;
    stats::record_rule_counts(&mut tx, scan_id, report).await?;
    tx.commit().await?;
    Ok(scan)
}

/// Records a failure.
pub(super) async fn fail(
    db: &Db,
    scan_id: &str,
    worker: &str,
    code: &str,
    message: &str,
    now: OffsetDateTime,
) -> Result<Scan> {
    let code = code.trim();
    if code.is_empty() {
        return Err(StoreError::invalid("error code", "must not be empty"));
    }
    let message: String = one_line(message).chars().take(MAX_MESSAGE).collect();
    let row = sqlx::query(concat!(
        "UPDATE scans SET status = 'failed', finished_at = $1, error_code = $2, \
         error_message = $3, lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $4 AND status = 'running' AND lease_owner = $5 RETURNING ",
        scan_columns!(),
        ", report"
    ))
    .bind(to_millis(now))
    .bind(code)
    .bind(message)
    .bind(scan_id)
    .bind(worker)
    .fetch_optional(&db.writer)
    .await?;
    finished(row, scan_id, worker)
}

/// The updated row of a lease holder's final write, or [`StoreError::LeaseLost`].
fn finished(row: Option<sqlx::any::AnyRow>, scan_id: &str, worker: &str) -> Result<Scan> {
    match row {
        Some(row) => rows::scan(&row),
        None => Err(StoreError::LeaseLost {
            scan: scan_id.to_string(),
            worker: worker.to_string(),
        }),
    }
}

/// Hands a job back without counting the attempt.
pub(super) async fn release(db: &Db, scan_id: &str, worker: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'queued', \
         attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
         lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $1 AND status = 'running' AND lease_owner = $2",
    )
    .bind(scan_id)
    .bind(worker)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Requeues or abandons jobs whose lease expired.
pub(super) async fn requeue_expired(db: &Db, now: OffsetDateTime) -> Result<Requeued> {
    let now = to_millis(now);
    let mut tx = db.begin().await?;
    let abandoned = abandon_exhausted(&mut tx, now).await?;
    let requeued = sqlx::query(
        "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL \
         WHERE status = 'running' AND lease_expires_at <= $1",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(Requeued {
        requeued,
        abandoned,
    })
}

/// Cancels an unfinished job.
pub(super) async fn cancel(db: &Db, scan_id: &str, now: OffsetDateTime) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'cancelled', finished_at = $1, error_code = $2, \
         error_message = 'the scan was cancelled', lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $3 AND status IN ('queued', 'running')",
    )
    .bind(to_millis(now))
    .bind(CANCELLED)
    .bind(scan_id)
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}
