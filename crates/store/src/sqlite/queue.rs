//! The job queue: claims under `BEGIN IMMEDIATE`, leases, heartbeats, completion, failure,
//! requeueing of expired leases, cancellation.

use assay_core::Report;
use sqlx::SqliteConnection;
use time::{Duration, OffsetDateTime};

use super::Pools;
use super::rows::{self, scan_columns};
use crate::clock::{duration_millis, to_millis};
use crate::error::{Result, StoreError, one_line};
use crate::model::{ATTEMPTS_EXHAUSTED, CANCELLED, Requeued, Scan};
use crate::summary::ReportSummary;

/// Longest error message kept.
const MAX_MESSAGE: usize = 2000;

/// Fails running jobs whose lease expired on their last attempt; returns how many.
async fn abandon_exhausted(conn: &mut SqliteConnection, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'failed', finished_at = ?1, error_code = ?2, \
         error_message = 'abandoned after ' || attempts || ' attempts: the worker stopped \
         renewing its lease each time', lease_owner = NULL, lease_expires_at = NULL \
         WHERE status = 'running' AND lease_expires_at <= ?1 AND attempts >= max_attempts",
    )
    .bind(now)
    .bind(ATTEMPTS_EXHAUSTED)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Leases the oldest claimable job.
pub(super) async fn claim(
    pools: &Pools,
    worker: &str,
    lease: Duration,
    now: OffsetDateTime,
) -> Result<Option<Scan>> {
    let now = to_millis(now);
    let mut tx = pools.writer.begin_with("BEGIN IMMEDIATE").await?;
    abandon_exhausted(&mut tx, now).await?;
    let row = sqlx::query(concat!(
        "UPDATE scans SET status = 'running', attempts = attempts + 1, lease_owner = ?1, \
         lease_expires_at = ?2, heartbeat_at = ?3, started_at = COALESCE(started_at, ?3) \
         WHERE seq = (SELECT MIN(s) FROM ( \
             SELECT MIN(seq) AS s FROM scans WHERE status = 'queued' \
             UNION ALL \
             SELECT MIN(seq) FROM scans WHERE status = 'running' AND lease_expires_at <= ?3)) \
         RETURNING ",
        scan_columns!(),
        ", report"
    ))
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
    pools: &Pools,
    scan_id: &str,
    worker: &str,
    lease: Duration,
    now: OffsetDateTime,
) -> Result<bool> {
    let now = to_millis(now);
    let done = sqlx::query(
        "UPDATE scans SET lease_expires_at = ?, heartbeat_at = ? \
         WHERE id = ? AND status = 'running' AND lease_owner = ?",
    )
    .bind(now.saturating_add(duration_millis(lease)))
    .bind(now)
    .bind(scan_id)
    .bind(worker)
    .execute(&pools.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a report.
pub(super) async fn complete(
    pools: &Pools,
    scan_id: &str,
    worker: &str,
    report: &Report,
    now: OffsetDateTime,
) -> Result<Scan> {
    let json = serde_json::to_string(report).map_err(|e| StoreError::invalid("report", e))?;
    let summary = ReportSummary::of(report);
    let row = sqlx::query(concat!(
        "UPDATE scans SET status = 'succeeded', finished_at = ?, report = ?, score = ?, \
         grade = ?, canonical_id = ?, source = ?, package = ?, version = ?, \
         lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = ? AND status = 'running' AND lease_owner = ? RETURNING ",
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
    .fetch_optional(&pools.writer)
    .await?;
    finished(row, scan_id, worker)
}

/// Records a failure.
pub(super) async fn fail(
    pools: &Pools,
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
        "UPDATE scans SET status = 'failed', finished_at = ?, error_code = ?, error_message = ?, \
         lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = ? AND status = 'running' AND lease_owner = ? RETURNING ",
        scan_columns!(),
        ", report"
    ))
    .bind(to_millis(now))
    .bind(code)
    .bind(message)
    .bind(scan_id)
    .bind(worker)
    .fetch_optional(&pools.writer)
    .await?;
    finished(row, scan_id, worker)
}

/// The updated row of a lease holder's final write, or [`StoreError::LeaseLost`].
fn finished(row: Option<sqlx::sqlite::SqliteRow>, scan_id: &str, worker: &str) -> Result<Scan> {
    match row {
        Some(row) => rows::scan(&row),
        None => Err(StoreError::LeaseLost {
            scan: scan_id.to_string(),
            worker: worker.to_string(),
        }),
    }
}

/// Hands a job back without counting the attempt.
pub(super) async fn release(pools: &Pools, scan_id: &str, worker: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'queued', attempts = MAX(attempts - 1, 0), lease_owner = NULL, \
         lease_expires_at = NULL WHERE id = ? AND status = 'running' AND lease_owner = ?",
    )
    .bind(scan_id)
    .bind(worker)
    .execute(&pools.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Requeues or abandons jobs whose lease expired.
pub(super) async fn requeue_expired(pools: &Pools, now: OffsetDateTime) -> Result<Requeued> {
    let now = to_millis(now);
    let mut tx = pools.writer.begin_with("BEGIN IMMEDIATE").await?;
    let abandoned = abandon_exhausted(&mut tx, now).await?;
    let requeued = sqlx::query(
        "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL \
         WHERE status = 'running' AND lease_expires_at <= ?",
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
pub(super) async fn cancel(pools: &Pools, scan_id: &str, now: OffsetDateTime) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scans SET status = 'cancelled', finished_at = ?, error_code = ?, \
         error_message = 'the scan was cancelled', lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = ? AND status IN ('queued', 'running')",
    )
    .bind(to_millis(now))
    .bind(CANCELLED)
    .bind(scan_id)
    .execute(&pools.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}
