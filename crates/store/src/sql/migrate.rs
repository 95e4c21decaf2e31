//! The versioned schema runner: embedded SQL files applied in order, each in its own write
//! transaction (PostgreSQL DDL is transactional too), recorded with a checksum so that an
//! edited migration or a database from a newer Assay is refused instead of misread.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::Db;
use crate::clock::to_millis;
use crate::error::{Result, StoreError};

/// One schema step.
#[derive(Debug)]
pub(super) struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// SQLite's steps, oldest first. Append only: never edit a released one.
pub(super) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "rule_counts",
        sql: include_str!("../../migrations/sqlite/0002_rule_counts.sql"),
    },
    Migration {
        version: 3,
        name: "cache_hits",
        sql: include_str!("../../migrations/sqlite/0003_cache_hits.sql"),
    },
];

/// PostgreSQL's steps, in step with [`SQLITE`].
pub(super) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "rule_counts",
        sql: include_str!("../../migrations/postgres/0002_rule_counts.sql"),
    },
    Migration {
        version: 3,
        name: "cache_hits",
        sql: include_str!("../../migrations/postgres/0003_cache_hits.sql"),
    },
];

/// The advisory lock key migrations are applied under.
const LOCK: &str = "assay_migrations";

/// The newest schema version this build knows.
pub(crate) const LATEST: i64 = 3;

/// Brings the database up to [`LATEST`]; returns the versions applied.
pub(super) async fn run(db: &Db) -> Result<Vec<i64>> {
    // Under the lock, so that processes starting together do not race to create it.
    let mut tx = db.begin().await?;
    db.lock(&mut tx, LOCK).await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS assay_migrations (
             version     BIGINT PRIMARY KEY,
             name        TEXT NOT NULL,
             checksum    TEXT NOT NULL,
             applied_at  BIGINT NOT NULL
         )",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM assay_migrations")
        .fetch_one(&db.writer)
        .await?;
    if let Some(newest) = newest.filter(|v| *v > LATEST) {
        return Err(StoreError::Migration(format!(
            "the database has schema version {newest}, newer than this Assay knows ({LATEST}); \
             upgrade Assay"
        )));
    }
    let mut applied = Vec::new();
    for migration in db.dialect.migrations {
        let checksum = hex::encode(Sha256::digest(migration.sql.as_bytes()));
        let mut tx = db.begin().await?;
        db.lock(&mut tx, LOCK).await?;
        let recorded = sqlx::query("SELECT checksum FROM assay_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = recorded {
            let stored: String = row.try_get("checksum")?;
            if stored != checksum {
                return Err(StoreError::Migration(format!(
                    "migration {} ({}) differs from the one applied to this database",
                    migration.version, migration.name
                )));
            }
            continue;
        }
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                StoreError::Migration(format!(
                    "migration {} ({}) failed: {}",
                    migration.version,
                    migration.name,
                    crate::error::one_line(&e.to_string())
                ))
            })?;
        sqlx::query(
            "INSERT INTO assay_migrations (version, name, checksum, applied_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(&checksum)
        .bind(to_millis(time::OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        applied.push(migration.version);
    }
    Ok(applied)
}
