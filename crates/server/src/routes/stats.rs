//! `GET /api/v1/stats`: ecosystem statistics over public scans only (the store's SQL
//! aggregates, [`assay_store::PublicStats`]), with the size of the live rule catalog.

use std::collections::BTreeMap;

use assay_core::{Family, Grade, Severity};
use assay_store::Scope;
use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Envelope, ErrorEnvelope, ok};
use crate::state::AppState;

/// How many of the most widespread rules are listed.
const TOP_RULES: u32 = 10;

/// Public scan jobs by outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanTotals {
    /// Every public job.
    total: u64,
    /// Finished with a report.
    succeeded: u64,
    /// Finished without one.
    failed: u64,
    /// Cancelled.
    cancelled: u64,
    /// Waiting for a worker.
    queued: u64,
    /// Being scanned.
    running: u64,
}

/// Findings in the packages' latest public results.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingTotals {
    /// All of them.
    total: u64,
    /// Per severity (every severity listed, `0` included).
    by_severity: BTreeMap<String, u64>,
    /// Per rule family (every family listed).
    by_family: BTreeMap<String, u64>,
}

/// One of the most widespread rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopRule {
    /// Its id (`AS101`).
    rule_id: String,
    /// Its name, when the rule is still in the catalog.
    name: Option<String>,
    /// Its title, likewise.
    title: Option<String>,
    /// Its family.
    family: String,
    /// Packages whose latest public result has it.
    packages: u64,
    /// Its findings in those results.
    findings: u64,
}

/// `GET /api/v1/stats`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// Public jobs (rescans included) by outcome.
    scans: ScanTotals,
    /// Packages with a public result.
    packages_scanned: u64,
    /// The mean score of the packages' latest public results, one decimal (`null` without
    /// packages).
    average_score: Option<f64>,
    /// Packages per grade of their latest public result (`A`–`F`, `0` included).
    grades: BTreeMap<String, u64>,
    /// Findings in the packages' latest public results.
    findings: FindingTotals,
    /// The rules found in the most packages.
    top_rules: Vec<TopRule>,
    /// Rules in the catalog.
    rules_live: usize,
}

/// Every name in `names` with its count in `counts` (`0` when absent).
fn complete(
    names: impl IntoIterator<Item = String>,
    counts: &BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    names
        .into_iter()
        .map(|name| {
            let n = counts.get(&name).copied().unwrap_or(0);
            (name, n)
        })
        .collect()
}

/// `GET /api/v1/stats`.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    operation_id = "getStats",
    tag = "registry",
    summary = "Ecosystem statistics over public scans",
    description = "Job counts cover every public job; packages, scores, grades and findings \
        describe each package by its latest public result, as the registry does. Private \
        scans never count.",
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "The statistics.", body = Envelope<Stats>),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Envelope<Stats>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let stats = state.store.stats(TOP_RULES).await?;
    let catalog = assay_engine::rule_catalog();
    let jobs = stats.scans;
    let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::F].map(|g| g.to_string());
    let severities = Severity::ALL.iter().rev().map(|s| s.as_str().to_string());
    let families = Family::ALL.iter().map(|f| f.as_str().to_string());
    let top_rules = stats
        .top_rules
        .into_iter()
        .map(|tally| {
            let meta = catalog.iter().find(|m| m.id == tally.rule_id);
            TopRule {
                name: meta.map(|m| m.name.to_string()),
                title: meta.map(|m| m.title.to_string()),
                rule_id: tally.rule_id,
                family: tally.family,
                packages: tally.packages,
                findings: tally.findings,
            }
        })
        .collect();
    Ok(ok(Stats {
        scans: ScanTotals {
            total: jobs.succeeded + jobs.failed + jobs.cancelled + jobs.queued + jobs.running,
            succeeded: jobs.succeeded,
            failed: jobs.failed,
            cancelled: jobs.cancelled,
            queued: jobs.queued,
            running: jobs.running,
        },
        packages_scanned: stats.packages,
        average_score: stats.average_score.map(|a| (a * 10.0).round() / 10.0),
        grades: complete(grades, &stats.grades),
        findings: FindingTotals {
            total: stats.severities.values().sum(),
            by_severity: complete(severities, &stats.severities),
            by_family: complete(families, &stats.families),
        },
        top_rules,
        rules_live: catalog.len(),
    }))
}
