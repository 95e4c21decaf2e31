//! Shared helpers: a real SQLite file in a temporary directory, and minimal reports.

#![allow(dead_code)]

use std::path::PathBuf;

use assay_core::{
    DependencyCheck, FindingCounts, Grade, Inventory, Report, ReportTool, Resolution,
    SCHEMA_VERSION, ScanStats, ScoreSummary, TargetInfo,
};
use assay_store::{Mode, NewScan, Owner, SqlStore, Visibility, sqlite_url};
use tempfile::TempDir;
use time::OffsetDateTime;
use time::macros::datetime;

/// A store on a fresh file; keep the directory alive as long as the store.
pub struct Db {
    pub dir: TempDir,
    pub path: PathBuf,
    pub store: SqlStore,
}

impl Db {
    /// A new database in a new directory (a nested path, to exercise directory creation).
    pub async fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("assay.db");
        let store = SqlStore::open(&sqlite_url(&path)).await.unwrap();
        Db { dir, path, store }
    }

    /// Another store on the same file (another process, as far as SQLite can tell).
    pub async fn reopen(&self) -> SqlStore {
        SqlStore::open(&sqlite_url(&self.path)).await.unwrap()
    }
}

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
