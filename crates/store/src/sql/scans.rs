//! Submissions, lookups and listings of scans.

use sqlx::Row;
use time::OffsetDateTime;

use super::rows::{self, scan_columns};
use super::{Db, missing_on_foreign_key, new_id, page_bounds};
use crate::clock::to_millis;
use crate::error::{Result, StoreError};
use crate::model::{
    NewScan, Page, RegistryQuery, RegistrySort, Scan, ScanQuery, StatusCounts, SubmitOrigin,
    Submitted, Visibility,
};

/// Queues a scan or returns the matching existing one, under the write lock.
pub(super) async fn submit(db: &Db, request: NewScan, now: OffsetDateTime) -> Result<Submitted> {
    validate(&request)?;
    let org_id = request.owner.as_ref().map(|o| o.org_id.as_str());
    let mut tx = db.begin().await?;
    db.lock(&mut tx, &format!("scans:{}", request.target_key))
        .await?;
    if !request.force {
        // A succeeded result first, then a job in flight; private ones only within the org.
        let existing = sqlx::query(concat!(
            "SELECT ",
            scan_columns!(),
            ", report FROM scans WHERE target_key = $1 AND mode = $2 AND engine_version = $3 \
             AND visibility = $4 AND status IN ('succeeded', 'queued', 'running') \
             AND (visibility = 'public' OR org_id = $5) \
             ORDER BY status = 'succeeded' DESC, finished_at DESC, seq DESC LIMIT 1"
        ))
        .bind(&request.target_key)
        .bind(request.mode.as_str())
        .bind(&request.engine_version)
        .bind(request.visibility.as_str())
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            let scan = rows::scan(&row)?;
            if !scan.status.is_terminal() {
                return Ok(Submitted {
                    scan,
                    origin: SubmitOrigin::Joined,
                });
            }
            let row = sqlx::query(concat!(
                "UPDATE scans SET cache_hits = cache_hits + 1 WHERE id = $1 RETURNING ",
                scan_columns!(),
                ", report"
            ))
            .bind(&scan.id)
            .fetch_one(&mut *tx)
            .await?;
            let scan = rows::scan(&row)?;
            tx.commit().await?;
            return Ok(Submitted {
                scan,
                origin: SubmitOrigin::Cached,
            });
        }
    }
    let source = request
        .target_key
        .split_once(':')
        .map(|(source, _)| source.to_string());
    let row = sqlx::query(concat!(
        "INSERT INTO scans (id, org_id, account_id, input, base_path, git_ref, target_key, mode, \
         visibility, engine_version, status, attempts, max_attempts, created_at, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', 0, $11, $12, $13) RETURNING ",
        scan_columns!(),
        ", report"
    ))
    .bind(new_id())
    .bind(org_id)
    .bind(request.owner.as_ref().map(|o| o.account_id.as_str()))
    .bind(&request.input)
    .bind(&request.base_path)
    .bind(&request.git_ref)
    .bind(&request.target_key)
    .bind(request.mode.as_str())
    .bind(request.visibility.as_str())
    .bind(&request.engine_version)
    .bind(i64::from(request.max_attempts))
    .bind(to_millis(now))
    .bind(source)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| missing_on_foreign_key(e, "org or account"))?;
    let scan = rows::scan(&row)?;
    tx.commit().await?;
    Ok(Submitted {
        scan,
        origin: SubmitOrigin::Created,
    })
}

/// Refuses submissions the schema would also refuse, with a clearer message.
fn validate(request: &NewScan) -> Result<()> {
    if request.input.trim().is_empty() {
        return Err(StoreError::invalid("input", "must not be empty"));
    }
    if request.target_key.trim().is_empty() {
        return Err(StoreError::invalid("target key", "must not be empty"));
    }
    if request.max_attempts == 0 {
        return Err(StoreError::invalid("max attempts", "must be at least 1"));
    }
    if request.visibility == Visibility::Private && request.owner.is_none() {
        return Err(StoreError::invalid(
            "visibility",
            "private scans need an account",
        ));
    }
    Ok(())
}

/// One scan with its report.
pub(super) async fn scan(db: &Db, id: &str) -> Result<Option<Scan>> {
    sqlx::query(concat!(
        "SELECT ",
        scan_columns!(),
        ", report FROM scans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.reader)
    .await?
    .as_ref()
    .map(rows::scan)
    .transpose()
}

/// The filter shared by [`scans`]'s page and count queries.
macro_rules! history_filter {
    () => {
        " FROM scans WHERE org_id = $1 AND ($2 IS NULL OR account_id = $2) \
          AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR visibility = $4) \
          AND ($5 IS NULL OR source = $5)"
    };
}

/// An org's history.
pub(super) async fn scans(db: &Db, query: &ScanQuery) -> Result<Page<Scan>> {
    let (limit, offset) = page_bounds(query.limit, query.offset);
    let status = query.status.map(|s| s.as_str());
    let visibility = query.visibility.map(|v| v.as_str());
    let items = sqlx::query(concat!(
        "SELECT ",
        scan_columns!(),
        ", CAST(NULL AS TEXT) AS report",
        history_filter!(),
        " ORDER BY seq DESC LIMIT $6 OFFSET $7"
    ))
    .bind(&query.org_id)
    .bind(&query.account_id)
    .bind(status)
    .bind(visibility)
    .bind(&query.source)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::scan)
    .collect::<Result<_>>()?;
    let total: i64 = sqlx::query_scalar(concat!("SELECT COUNT(*)", history_filter!()))
        .bind(&query.org_id)
        .bind(&query.account_id)
        .bind(status)
        .bind(visibility)
        .bind(&query.source)
        .fetch_one(&db.reader)
        .await?;
    Ok(Page {
        items,
        total: total.unsigned_abs(),
    })
}

/// Recently finished public results.
pub(super) async fn recent_public(db: &Db, limit: u32) -> Result<Vec<Scan>> {
    let (limit, _) = page_bounds(limit, 0);
    sqlx::query(concat!(
        "SELECT ",
        scan_columns!(),
        ", CAST(NULL AS TEXT) AS report FROM scans WHERE visibility = 'public' \
         AND status = 'succeeded' ORDER BY finished_at DESC, seq DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::scan)
    .collect()
}

/// Numbers each package's results newest first (`rank` 1 is the one the registry shows).
macro_rules! package_rank {
    () => {
        "ROW_NUMBER() OVER (PARTITION BY source, package ORDER BY finished_at DESC, seq DESC) \
         AS rank"
    };
}
pub(super) use package_rank;

/// Public succeeded results of packages matching the registry filters (`$1` source, `$2` a
/// `LIKE` pattern).
macro_rules! registry_filter {
    () => {
        " FROM scans WHERE visibility = 'public' AND status = 'succeeded' \
          AND package IS NOT NULL AND ($1 IS NULL OR source = $1) \
          AND ($2 IS NULL OR lower(package) LIKE $2 ESCAPE '\\')"
    };
}

/// A case-insensitive substring `LIKE` pattern (with `\` escaping `%`, `_` and itself).
fn like_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The latest public result per package.
pub(super) async fn registry(db: &Db, query: &RegistryQuery) -> Result<Page<Scan>> {
    let (limit, offset) = page_bounds(query.limit, query.offset);
    let sort = match query.sort {
        RegistrySort::ScoreDesc => "score_desc",
        RegistrySort::ScoreAsc => "score_asc",
        RegistrySort::Recent => "recent",
        RegistrySort::Oldest => "oldest",
        RegistrySort::Name => "name",
        RegistrySort::NameDesc => "name_desc",
    };
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(like_pattern);
    let items = sqlx::query(concat!(
        "WITH latest AS (SELECT *, ",
        package_rank!(),
        registry_filter!(),
        ") SELECT ",
        scan_columns!(),
        ", CAST(NULL AS TEXT) AS report FROM latest WHERE rank = 1 ORDER BY \
         CASE WHEN $3 = 'score_desc' THEN score END DESC, \
         CASE WHEN $3 = 'score_asc' THEN score END ASC, \
         CASE WHEN $3 = 'recent' THEN finished_at END DESC, \
         CASE WHEN $3 = 'oldest' THEN finished_at END ASC, \
         CASE WHEN $3 = 'name_desc' THEN package END DESC, \
         package ASC, source ASC LIMIT $4 OFFSET $5"
    ))
    .bind(&query.source)
    .bind(&search)
    .bind(sort)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::scan)
    .collect::<Result<_>>()?;
    let total: i64 = sqlx::query_scalar(concat!(
        "SELECT COUNT(*) FROM (SELECT DISTINCT source, package",
        registry_filter!(),
        ") AS packages"
    ))
    .bind(&query.source)
    .bind(&search)
    .fetch_one(&db.reader)
    .await?;
    Ok(Page {
        items,
        total: total.unsigned_abs(),
    })
}

/// The latest public result of one package, with its report.
pub(super) async fn registry_package(db: &Db, source: &str, package: &str) -> Result<Option<Scan>> {
    sqlx::query(concat!(
        "SELECT ",
        scan_columns!(),
        ", report FROM scans WHERE visibility = 'public' AND status = 'succeeded' \
         AND source = $1 AND package = $2 ORDER BY finished_at DESC, seq DESC LIMIT 1"
    ))
    .bind(source)
    .bind(package)
    .fetch_optional(&db.reader)
    .await?
    .as_ref()
    .map(rows::scan)
    .transpose()
}

/// The latest public result per version of one package.
pub(super) async fn versions(db: &Db, source: &str, package: &str) -> Result<Vec<Scan>> {
    sqlx::query(concat!(
        "WITH latest AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY version \
         ORDER BY finished_at DESC, seq DESC) AS rank FROM scans \
         WHERE visibility = 'public' AND status = 'succeeded' AND source = $1 AND package = $2) \
         SELECT ",
        scan_columns!(),
        ", CAST(NULL AS TEXT) AS report FROM latest WHERE rank = 1 \
         ORDER BY finished_at DESC, seq DESC"
    ))
    .bind(source)
    .bind(package)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::scan)
    .collect()
}

/// Jobs by status, of every visibility or (`Some`) of one.
pub(super) async fn status_counts(db: &Db, visibility: Option<Visibility>) -> Result<StatusCounts> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM scans WHERE ($1 IS NULL OR visibility = $1) \
         GROUP BY status",
    )
    .bind(visibility.map(Visibility::as_str))
    .fetch_all(&db.reader)
    .await?;
    let mut counts = StatusCounts::default();
    for row in rows {
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        let slot = match status.as_str() {
            "queued" => &mut counts.queued,
            "running" => &mut counts.running,
            "succeeded" => &mut counts.succeeded,
            "failed" => &mut counts.failed,
            "cancelled" => &mut counts.cancelled,
            other => return Err(StoreError::corrupt("status", format!("{other:?}"))),
        };
        *slot = n.unsigned_abs();
    }
    Ok(counts)
}
