//! Progress events and rate counters: the two append-and-count tables.

use time::OffsetDateTime;

use super::{Db, missing_on_foreign_key, rows};
use crate::clock::to_millis;
use crate::error::{Result, StoreError};
use crate::model::ScanEvent;
use crate::rate::{Bucket, RateDecision, Subject};

/// Appends an event with the next sequence number of its scan.
pub(super) async fn append_event(
    db: &Db,
    scan_id: &str,
    kind: &str,
    payload: &serde_json::Value,
    now: OffsetDateTime,
) -> Result<u64> {
    if kind.is_empty() || kind.contains(['\n', '\r']) {
        return Err(StoreError::invalid("event kind", format!("{kind:?}")));
    }
    let mut tx = db.begin().await?;
    db.lock(&mut tx, &format!("scan_events:{scan_id}")).await?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO scan_events (scan_id, seq, kind, payload, created_at) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM scan_events WHERE scan_id = $1 \
         RETURNING seq",
    )
    .bind(scan_id)
    .bind(kind)
    .bind(payload.to_string())
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| missing_on_foreign_key(e, "scan"))?;
    tx.commit().await?;
    Ok(seq.unsigned_abs())
}

/// Events after a sequence number.
pub(super) async fn events_after(
    db: &Db,
    scan_id: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<ScanEvent>> {
    let (limit, _) = super::page_bounds(limit, 0);
    sqlx::query(
        "SELECT scan_id, seq, kind, payload, created_at FROM scan_events \
         WHERE scan_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(scan_id)
    .bind(i64::try_from(after).unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::event)
    .collect()
}

/// Counts one request unless the window is full, in one statement.
pub(super) async fn increment_and_get(
    db: &Db,
    subject: &Subject,
    bucket: Bucket,
    window_start: OffsetDateTime,
    limit: u64,
) -> Result<RateDecision> {
    let subject = subject.to_string();
    let window = to_millis(window_start);
    let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
    let counted: Option<i64> = if limit == 0 {
        None
    } else {
        sqlx::query_scalar(
            "INSERT INTO rate_counters (subject, bucket, window_start, count) \
             VALUES ($1, $2, $3, 1) ON CONFLICT (subject, bucket, window_start) \
             DO UPDATE SET count = rate_counters.count + 1 WHERE rate_counters.count < $4 \
             RETURNING count",
        )
        .bind(&subject)
        .bind(bucket.as_str())
        .bind(window)
        .bind(limit_sql)
        .fetch_optional(&db.writer)
        .await?
    };
    let (allowed, count) = match counted {
        Some(count) => (true, count),
        None => {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT count FROM rate_counters \
                 WHERE subject = $1 AND bucket = $2 AND window_start = $3",
            )
            .bind(&subject)
            .bind(bucket.as_str())
            .bind(window)
            .fetch_optional(&db.writer)
            .await?;
            (false, current.unwrap_or(0))
        }
    };
    Ok(RateDecision {
        allowed,
        count: count.unsigned_abs(),
        limit,
    })
}

/// Deletes old windows.
pub(super) async fn prune_rate_counters(db: &Db, before: OffsetDateTime) -> Result<u64> {
    let done = sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
        .bind(to_millis(before))
        .execute(&db.writer)
        .await?;
    Ok(done.rows_affected())
}
