//! Decoding rows into the model, and the column lists the queries select.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cidr;
use crate::clock::{from_millis, from_millis_opt};
use crate::error::{Result, StoreError};
use crate::model::{Account, ApiKey, Org, Owner, Scan, ScanError, ScanEvent};
use crate::scope::ScopeSet;
use crate::summary::ReportSummary;

/// The columns of a [`Scan`] other than the report, in [`scan`]'s order.
macro_rules! scan_columns {
    () => {
        "id, org_id, account_id, input, base_path, git_ref, target_key, mode, visibility, \
         engine_version, status, attempts, max_attempts, lease_owner, lease_expires_at, \
         heartbeat_at, created_at, started_at, finished_at, error_code, error_message, score, \
         grade, canonical_id, source, package, version, cache_hits"
    };
}
pub(crate) use scan_columns;

/// The columns of an [`ApiKey`], in [`api_key`]'s order.
macro_rules! key_columns {
    () => {
        "k.id, k.account_id, k.name, k.prefix, k.scopes, k.allowed_cidrs, k.created_at, \
         k.expires_at, k.revoked_at, k.last_used_at"
    };
}
pub(crate) use key_columns;

/// A column, with decoding errors named after it.
pub(super) fn get<'r, T>(row: &'r AnyRow, column: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column)
        .map_err(|e| StoreError::corrupt(column, e))
}

/// A text column parsed with `FromStr`.
fn parsed<T: std::str::FromStr>(row: &AnyRow, column: &'static str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = get(row, column)?;
    text.parse().map_err(|e| StoreError::corrupt(column, e))
}

/// A non-negative integer column.
fn count(row: &AnyRow, column: &'static str) -> Result<u32> {
    let value: i64 = get(row, column)?;
    u32::try_from(value).map_err(|e| StoreError::corrupt(column, e))
}

/// An org.
pub(crate) fn org(row: &AnyRow) -> Result<Org> {
    Ok(Org {
        id: get(row, "id")?,
        name: get(row, "name")?,
        created_at: from_millis(get(row, "created_at")?)?,
    })
}

/// An account.
pub(crate) fn account(row: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: get(row, "id")?,
        org_id: get(row, "org_id")?,
        name: get(row, "name")?,
        tier: get(row, "tier")?,
        created_at: from_millis(get(row, "created_at")?)?,
    })
}

/// An API key (selected with [`key_columns`]).
pub(crate) fn api_key(row: &AnyRow) -> Result<ApiKey> {
    let scopes: String = get(row, "scopes")?;
    let cidrs: String = get(row, "allowed_cidrs")?;
    let cidrs: Vec<&str> = cidrs.split_whitespace().collect();
    Ok(ApiKey {
        id: get(row, "id")?,
        account_id: get(row, "account_id")?,
        name: get(row, "name")?,
        prefix: get(row, "prefix")?,
        scopes: ScopeSet::parse(&scopes).map_err(|e| StoreError::corrupt("scopes", e))?,
        allowed_cidrs: cidr::parse_allowlist(&cidrs)
            .map_err(|e| StoreError::corrupt("allowed_cidrs", e))?,
        created_at: from_millis(get(row, "created_at")?)?,
        expires_at: from_millis(get(row, "expires_at")?)?,
        revoked_at: from_millis_opt(get(row, "revoked_at")?)?,
        last_used_at: from_millis_opt(get(row, "last_used_at")?)?,
    })
}

/// A scan (selected with [`scan_columns`] and `report`, or `NULL AS report`).
pub(crate) fn scan(row: &AnyRow) -> Result<Scan> {
    let org_id: Option<String> = get(row, "org_id")?;
    let account_id: Option<String> = get(row, "account_id")?;
    let owner = match (org_id, account_id) {
        (Some(org_id), Some(account_id)) => Some(Owner { org_id, account_id }),
        _ => None,
    };
    let error = match (
        get::<Option<String>>(row, "error_code")?,
        get::<Option<String>>(row, "error_message")?,
    ) {
        (Some(code), message) => Some(ScanError {
            code,
            message: message.unwrap_or_default(),
        }),
        _ => None,
    };
    let summary = match (
        get::<Option<i64>>(row, "score")?,
        get::<Option<String>>(row, "canonical_id")?,
    ) {
        (Some(score), Some(canonical_id)) => Some(ReportSummary {
            score: u8::try_from(score).map_err(|e| StoreError::corrupt("score", e))?,
            grade: get::<Option<String>>(row, "grade")?.unwrap_or_default(),
            canonical_id,
            source: get::<Option<String>>(row, "source")?.unwrap_or_default(),
            package: get::<Option<String>>(row, "package")?.unwrap_or_default(),
            version: get(row, "version")?,
        }),
        _ => None,
    };
    Ok(Scan {
        id: get(row, "id")?,
        owner,
        input: get(row, "input")?,
        base_path: get(row, "base_path")?,
        git_ref: get(row, "git_ref")?,
        target_key: get(row, "target_key")?,
        mode: parsed(row, "mode")?,
        visibility: parsed(row, "visibility")?,
        engine_version: get(row, "engine_version")?,
        status: parsed(row, "status")?,
        attempts: count(row, "attempts")?,
        max_attempts: count(row, "max_attempts")?,
        lease_owner: get(row, "lease_owner")?,
        lease_expires_at: from_millis_opt(get(row, "lease_expires_at")?)?,
        heartbeat_at: from_millis_opt(get(row, "heartbeat_at")?)?,
        created_at: from_millis(get(row, "created_at")?)?,
        started_at: from_millis_opt(get(row, "started_at")?)?,
        finished_at: from_millis_opt(get(row, "finished_at")?)?,
        error,
        summary,
        cache_hits: u64::try_from(get::<i64>(row, "cache_hits")?)
            .map_err(|e| StoreError::corrupt("cache_hits", e))?,
        report_json: get(row, "report")?,
    })
}

/// A progress event.
pub(crate) fn event(row: &AnyRow) -> Result<ScanEvent> {
    let payload: String = get(row, "payload")?;
    let seq: i64 = get(row, "seq")?;
    Ok(ScanEvent {
        scan_id: get(row, "scan_id")?,
        seq: u64::try_from(seq).map_err(|e| StoreError::corrupt("seq", e))?,
        kind: get(row, "kind")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::corrupt("payload", e))?,
        created_at: from_millis(get(row, "created_at")?)?,
    })
}
