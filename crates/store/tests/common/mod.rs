//! Shared helpers: a real database (a SQLite file in a temporary directory, or a
//! database in a throwaway PostgreSQL cluster), and minimal reports.

#![allow(dead_code)]

pub mod postgres;

use std::path::PathBuf;

use assay_core::{
    DependencyCheck, FindingCounts, Grade, Inventory, Report, ReportTool, Resolution,
    SCHEMA_VERSION, ScanStats, ScoreSummary, TargetInfo,
};
use assay_store::{Mode, NewScan, Owner, SqlStore, Store, Visibility, sqlite_url};
use tempfile::TempDir;
use time::OffsetDateTime;
use time::macros::datetime;

/// A store on a fresh database; keep it alive as long as the store.
pub struct Db {
    /// Where it is.
    pub url: String,
    /// The SQLite file (`None` for PostgreSQL).
    pub path: Option<PathBuf>,
    /// The store.
    pub store: SqlStore,
    _dir: Option<TempDir>,
}

impl Db {
    /// A new SQLite database in a new directory (a nested path, to exercise directory
    /// creation).
    pub async fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("assay.db");
        let url = sqlite_url(&path);
        let store = SqlStore::open(&url).await.unwrap();
        Db {
            url,
            path: Some(path),
            store,
            _dir: Some(dir),
        }
    }

    /// A new PostgreSQL database, or `None` when PostgreSQL tests are skipped.
    pub async fn postgres() -> Option<Db> {
        let url = postgres::database().await?;
        let store = SqlStore::open(&url).await.unwrap();
        Some(Db {
            url,
            path: None,
            store,
            _dir: None,
        })
    }

    /// Another store on the same database (another process, as far as the database can
    /// tell).
    pub async fn reopen(&self) -> SqlStore {
        SqlStore::open(&self.url).await.unwrap()
    }
}

/// Runs a test body against SQLite and against PostgreSQL:
/// `backends! { async fn name(db) { … } }` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! backends {
    ($(async fn $name:ident($db:ident) $body:block)+) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: $crate::common::Db) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                run($crate::common::Db::sqlite().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(db) = $crate::common::Db::postgres().await {
                    run(db).await
                }
            }
        }
    )+};
}

/// The lease workers take in tests.
pub const LEASE: time::Duration = time::Duration::minutes(5);

/// A fixed clock origin.
pub const T0: OffsetDateTime = datetime!(2026-03-18 12:00 UTC);

/// `T0` plus `seconds`.
pub fn at(seconds: i64) -> OffsetDateTime {
    T0 + time::Duration::seconds(seconds)
}

/// A public fast submission of `target_key` (also the input), anonymous.
pub fn public(target_key: &str) -> NewScan {
    NewScan {
        owner: None,
        input: target_key.to_string(),
        base_path: None,
        git_ref: None,
        target_key: target_key.to_string(),
        mode: Mode::Fast,
        visibility: Visibility::Public,
        engine_version: "0.1.0".to_string(),
        max_attempts: 3,
        force: false,
    }
}

/// A private submission by `owner`.
pub fn private(target_key: &str, owner: &Owner) -> NewScan {
    NewScan {
        owner: Some(owner.clone()),
        visibility: Visibility::Private,
        ..public(target_key)
    }
}

/// A minimal complete report for `canonical_id` with `score`.
pub fn report(canonical_id: &str, score: u8, version: Option<&str>) -> Report {
    let grade = match score {
        90.. => Grade::A,
        75..=89 => Grade::B,
        60..=74 => Grade::C,
        40..=59 => Grade::D,
        _ => Grade::F,
    };
    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        tool: ReportTool {
            name: "assay".to_string(),
            version: "0.1.0".to_string(),
            rules_enabled: 10,
        },
        generated_at: "2026-03-18T12:00:00Z".to_string(),
        target: TargetInfo {
            input: canonical_id.to_string(),
            kind: canonical_id.split(':').next().unwrap().to_string(),
            canonical_id: canonical_id.to_string(),
            digest: format!("sha256:{}", "ab".repeat(32)),
            resolved: version.map(|v| Resolution {
                version: Some(v.to_string()),
                ..Resolution::default()
            }),
            base_path: None,
        },
        complete: true,
        limits_hit: Vec::new(),
        skipped: Vec::new(),
        errors: Vec::new(),
        stats: ScanStats::default(),
        packages: Vec::new(),
        dependencies: Vec::new(),
        dependency_check: DependencyCheck::default(),
        advisories: Vec::new(),
        inventory: Inventory::default(),
        score: ScoreSummary {
            score,
            grade,
            formula_version: 1,
            deductions: Vec::new(),
            families: Vec::new(),
        },
        counts: FindingCounts::default(),
        findings: Vec::new(),
        suppressed: Vec::new(),
        unused_suppressions: Vec::new(),
    }
}

/// An org with one account, as an owner.
pub async fn owner(store: &dyn Store, name: &str) -> Owner {
    let org = store.create_org(name, T0).await.unwrap();
    let account = store
        .create_account(&org.id, &format!("{name}@example.test"), "team", T0)
        .await
        .unwrap();
    Owner {
        org_id: org.id,
        account_id: account.id,
    }
}

/// Runs the oldest queued job to success with `report`; returns the scan's id.
pub async fn finish_with(store: &dyn Store, report: &Report, when: i64) -> String {
    let job = store
        .claim("worker", LEASE, at(when))
        .await
        .unwrap()
        .unwrap();
    store
        .complete(&job.id, "worker", report, at(when))
        .await
        .unwrap();
    job.id
}

/// Runs the oldest queued job to success with a report for `canonical_id`.
pub async fn finish(
    store: &dyn Store,
    canonical_id: &str,
    score: u8,
    version: Option<&str>,
    when: i64,
) {
    finish_with(store, &report(canonical_id, score, version), when).await;
}
