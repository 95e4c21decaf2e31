//! Orgs, accounts and API keys.

use sqlx::{AnyPool, Row};
use time::OffsetDateTime;

use super::rows::{self, key_columns};
use super::{Db, conflict_on_unique, new_id};
use crate::clock::{duration_millis, to_millis};
use crate::error::{Result, StoreError};
use crate::keys::{self, MAX_ACTIVE_KEYS};
use crate::model::{Account, ApiKey, CreatedKey, KeyCheck, KeyRejection, NewKey, Org, Principal};
use crate::{cidr, clock};

/// `last_used_at` is written at most this often per key.
const TOUCH_INTERVAL: time::Duration = time::Duration::MINUTE;

/// Creates an org.
pub(super) async fn create_org(db: &Db, name: &str, now: OffsetDateTime) -> Result<Org> {
    let name = required("org name", name)?;
    let row = sqlx::query(
        "INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3) RETURNING id, name, created_at",
    )
    .bind(new_id())
    .bind(name)
    .bind(to_millis(now))
    .fetch_one(&db.writer)
    .await
    .map_err(|e| conflict_on_unique(e, "org", name))?;
    rows::org(&row)
}

/// The org with this id.
pub(super) async fn org(db: &Db, id: &str) -> Result<Option<Org>> {
    sqlx::query("SELECT id, name, created_at FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.reader)
        .await?
        .as_ref()
        .map(rows::org)
        .transpose()
}

/// Creates an account.
pub(super) async fn create_account(
    db: &Db,
    org_id: &str,
    name: &str,
    tier: &str,
    now: OffsetDateTime,
) -> Result<Account> {
    let name = required("account name", name)?;
    let tier = required("tier", tier)?;
    let mut tx = db.begin().await?;
    let org_exists = sqlx::query("SELECT 1 FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if !org_exists {
        return Err(StoreError::NotFound("org"));
    }
    let row = sqlx::query(
        "INSERT INTO accounts (id, org_id, name, tier, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, org_id, name, tier, created_at",
    )
    .bind(new_id())
    .bind(org_id)
    .bind(name)
    .bind(tier)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| conflict_on_unique(e, "account", name))?;
    let account = rows::account(&row)?;
    tx.commit().await?;
    Ok(account)
}

/// The account matching `column = value`.
async fn account_where(pool: &AnyPool, by_name: bool, value: &str) -> Result<Option<Account>> {
    let sql = if by_name {
        "SELECT id, org_id, name, tier, created_at FROM accounts WHERE name = $1"
    } else {
        "SELECT id, org_id, name, tier, created_at FROM accounts WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(value)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(rows::account)
        .transpose()
}

/// The account with this id.
pub(super) async fn account(db: &Db, id: &str) -> Result<Option<Account>> {
    account_where(&db.reader, false, id).await
}

/// The account with this name.
pub(super) async fn account_by_name(db: &Db, name: &str) -> Result<Option<Account>> {
    account_where(&db.reader, true, name).await
}

/// Creates a key, enforcing the per-account limit under the write lock.
pub(super) async fn create_key(
    db: &Db,
    request: NewKey,
    now: OffsetDateTime,
) -> Result<CreatedKey> {
    let name = required("key name", &request.name)?;
    if request.scopes.is_empty() {
        return Err(StoreError::invalid(
            "scopes",
            "a key needs at least one scope",
        ));
    }
    let cidrs = cidr::parse_allowlist(&request.allowed_cidrs)?;
    let expires_at = keys::expiry(now, request.lifetime)?;
    let generated = keys::generate()?;
    let stored_cidrs = cidrs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ");

    let mut tx = db.begin().await?;
    db.lock(&mut tx, &format!("api_keys:{}", request.account_id))
        .await?;
    let account_exists = sqlx::query("SELECT 1 FROM accounts WHERE id = $1")
        .bind(&request.account_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if !account_exists {
        return Err(StoreError::NotFound("account"));
    }
    let active: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(&request.account_id)
    .bind(to_millis(now))
    .fetch_one(&mut *tx)
    .await?;
    if usize::try_from(active).unwrap_or(usize::MAX) >= MAX_ACTIVE_KEYS {
        return Err(StoreError::KeyLimit(MAX_ACTIVE_KEYS));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO api_keys (id, account_id, name, prefix, secret_sha256, scopes, allowed_cidrs, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&request.account_id)
    .bind(name)
    .bind(&generated.prefix)
    .bind(generated.hash.as_slice())
    .bind(request.scopes.to_stored())
    .bind(&stored_cidrs)
    .bind(to_millis(now))
    .bind(to_millis(expires_at))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let key = ApiKey {
        id,
        account_id: request.account_id,
        name: name.to_string(),
        prefix: generated.prefix,
        scopes: request.scopes,
        allowed_cidrs: cidrs,
        created_at: clock::from_millis(to_millis(now))?,
        expires_at: clock::from_millis(to_millis(expires_at))?,
        revoked_at: None,
        last_used_at: None,
    };
    Ok(CreatedKey {
        key,
        plaintext: generated.plaintext,
    })
}

/// An account's keys, newest first.
pub(super) async fn keys(db: &Db, account_id: &str) -> Result<Vec<ApiKey>> {
    sqlx::query(concat!(
        "SELECT ",
        key_columns!(),
        " FROM api_keys k WHERE k.account_id = $1 ORDER BY k.created_at DESC, k.id"
    ))
    .bind(account_id)
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(rows::api_key)
    .collect()
}

/// Revokes a key.
pub(super) async fn revoke_key(db: &Db, key_id: &str, now: OffsetDateTime) -> Result<bool> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(to_millis(now))
            .bind(key_id)
            .execute(&db.writer)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Checks a presented key.
pub(super) async fn authenticate(
    db: &Db,
    presented: &str,
    now: OffsetDateTime,
) -> Result<KeyCheck> {
    let Some(prefix) = keys::prefix_of(presented) else {
        return Ok(KeyCheck::Rejected(KeyRejection::Malformed));
    };
    let row = sqlx::query(concat!(
        "SELECT ",
        key_columns!(),
        ", k.secret_sha256 FROM api_keys k WHERE k.prefix = $1"
    ))
    .bind(prefix)
    .fetch_optional(&db.reader)
    .await?;
    let Some(row) = row else {
        return Ok(KeyCheck::Rejected(KeyRejection::Unknown));
    };
    let stored: Vec<u8> = row.try_get("secret_sha256")?;
    if !keys::verify(presented, &stored) {
        return Ok(KeyCheck::Rejected(KeyRejection::WrongSecret));
    }
    let key = rows::api_key(&row)?;
    if key.revoked_at.is_some() {
        return Ok(KeyCheck::Rejected(KeyRejection::Revoked));
    }
    if now >= key.expires_at {
        return Ok(KeyCheck::Rejected(KeyRejection::Expired));
    }
    let account = account_where(&db.reader, false, &key.account_id)
        .await?
        .ok_or(StoreError::NotFound("account"))?;
    Ok(KeyCheck::Valid(Box::new(Principal { key, account })))
}

/// Records use of a key, at most once per [`TOUCH_INTERVAL`].
pub(super) async fn touch_key(db: &Db, key_id: &str, now: OffsetDateTime) -> Result<bool> {
    let now = to_millis(now);
    let done = sqlx::query(
        "UPDATE api_keys SET last_used_at = $1 \
         WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $1 - $3)",
    )
    .bind(now)
    .bind(key_id)
    .bind(duration_millis(TOUCH_INTERVAL))
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `value` trimmed, refused when empty.
fn required<'a>(field: &'static str, value: &'a str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    Ok(value)
}
