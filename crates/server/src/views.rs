//! The JSON shapes of scans: the status while a job runs, the report when it is done.

use assay_core::{Finding, FindingCounts, Inventory, Report, ScoreSummary, TargetInfo};
use assay_store::{Mode, Scan, ScanStatus, Visibility};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::error::ApiError;

/// `t` in RFC 3339.
pub fn timestamp(t: OffsetDateTime) -> Option<String> {
    t.format(&Rfc3339).ok()
}

fn millis(from: OffsetDateTime, to: Option<OffsetDateTime>) -> Option<i128> {
    to.map(|to| (to - from).whole_milliseconds())
}

/// The fields every view of a scan has: id, target, status, mode, times, error, and the
/// score once known.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanSummary {
    /// The scan's id.
    pub scan_id: String,
    /// The resolved target (`npm:name@1.2.3`) once known, the parsed target before.
    pub canonical_id: String,
    /// The `input` as submitted.
    pub input: String,
    /// Where the job is.
    #[schema(schema_with = crate::openapi::scan_status)]
    pub status: ScanStatus,
    /// `fast` or `deep`.
    #[schema(schema_with = crate::openapi::mode)]
    pub scan_mode_used: Mode,
    /// `private` on private scans; absent on public ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::openapi::private_only)]
    pub scan_visibility: Option<Visibility>,
    /// When it was submitted (RFC 3339).
    #[schema(format = DateTime)]
    pub created_at: Option<String>,
    /// When a worker first took it.
    #[schema(format = DateTime)]
    pub started_at: Option<String>,
    /// When it ended.
    #[schema(format = DateTime)]
    pub finished_at: Option<String>,
    /// 0–100, once the scan succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 100)]
    pub safety_score: Option<u8>,
    /// `A`–`F`, once the scan succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_grade: Option<String>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ScanFailure>,
}

/// Why a scan failed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanFailure {
    /// Machine-readable (`TARGET_NOT_FOUND`, `SCAN_TIMEOUT`, `ATTEMPTS_EXHAUSTED`, …).
    pub code: String,
    /// One line, never a credential.
    pub message: String,
}

/// A scan with its timings and, once it succeeded, its results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanView {
    /// What every view has.
    #[serde(flatten)]
    pub summary: ScanSummary,
    /// How long it waited and ran.
    pub timings: Timings,
    /// Whether the result was reused: returned (`cached: true`) to a later identical
    /// submission.
    pub cached: bool,
    /// The report's results, once the scan succeeded.
    #[serde(flatten)]
    #[schema(schema_with = crate::openapi::results_once_succeeded)]
    pub results: Option<ScanResults>,
}

/// How long a scan waited and ran, in milliseconds (`null` until known).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timings {
    /// From submission to the first claim (or the end, if it never ran).
    #[schema(value_type = Option<i64>)]
    pub queued_ms: Option<i128>,
    /// From submission to the end.
    #[schema(value_type = Option<i64>)]
    pub total_ms: Option<i128>,
    /// The engine's own run time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_ms: Option<u64>,
}

/// The results of a succeeded scan, from its report (`Report` in the components).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanResults {
    /// The highest AIVSS score of any finding (0 if none has one).
    pub aivss_score: f64,
    /// The report's schema version.
    pub schema_version: String,
    /// False when a limit was hit or an analyser failed.
    pub complete: bool,
    /// Findings per severity.
    pub severity_distribution: SeverityDistribution,
    /// The findings.
    #[schema(schema_with = crate::openapi::report_findings)]
    pub findings: Vec<Finding>,
    /// The server's tools, prompts, resources and instructions.
    #[schema(schema_with = crate::openapi::report_inventory)]
    pub inventory: Inventory,
    /// The score with its deductions and per-family scores.
    #[schema(schema_with = crate::openapi::report_score)]
    pub score: ScoreSummary,
    /// A score per tool of the inventory, from the findings about that tool.
    pub tool_scores: Vec<ToolScore>,
    /// What was scanned.
    #[schema(schema_with = crate::openapi::report_target)]
    pub target: TargetInfo,
    /// When the report was produced (RFC 3339, UTC).
    pub generated_at: String,
}

/// The score of one MCP tool: the package formula applied to the findings about it alone
/// (like a family's sub-score, without the incomplete cap).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ToolScore {
    /// The tool's name.
    pub name: String,
    /// 0–100.
    #[schema(maximum = 100)]
    pub score: u8,
    /// `A`–`F`.
    pub grade: String,
    /// Findings about the tool.
    pub findings: u32,
}

/// A [`ToolScore`] per tool of the report's inventory (a name declared twice counts
/// once), in inventory order.
pub fn tool_scores(report: &Report) -> Vec<ToolScore> {
    let mut scores: Vec<ToolScore> = Vec::new();
    for tool in &report.inventory.tools {
        if scores.iter().any(|s| s.name == tool.name) {
            continue;
        }
        let about: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.tool.as_deref() == Some(tool.name.as_str()))
            .collect();
        let (score, grade) = assay_engine::scoring::sub_score(&about);
        scores.push(ToolScore {
            name: tool.name.clone(),
            score,
            grade: grade.to_string(),
            findings: u32::try_from(about.len()).unwrap_or(u32::MAX),
        });
    }
    scores
}

/// Findings per severity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeverityDistribution {
    /// Critical findings.
    pub critical: u32,
    /// High findings.
    pub high: u32,
    /// Medium findings.
    pub medium: u32,
    /// Low findings.
    pub low: u32,
    /// Informational findings.
    pub info: u32,
}

impl From<&FindingCounts> for SeverityDistribution {
    fn from(counts: &FindingCounts) -> SeverityDistribution {
        SeverityDistribution {
            critical: counts.critical,
            high: counts.high,
            medium: counts.medium,
            low: counts.low,
            info: counts.info,
        }
    }
}

/// The summary view of `scan`.
pub fn summary(scan: &Scan) -> ScanSummary {
    ScanSummary {
        scan_id: scan.id.clone(),
        canonical_id: scan
            .summary
            .as_ref()
            .map(|s| s.canonical_id.clone())
            .unwrap_or_else(|| scan.target_key.clone()),
        input: scan.input.clone(),
        status: scan.status,
        scan_mode_used: scan.mode,
        scan_visibility: (scan.visibility == Visibility::Private).then_some(Visibility::Private),
        created_at: timestamp(scan.created_at),
        started_at: scan.started_at.and_then(timestamp),
        finished_at: scan.finished_at.and_then(timestamp),
        safety_score: scan.summary.as_ref().map(|s| s.score),
        safety_grade: scan.summary.as_ref().map(|s| s.grade.clone()),
        error: scan.error.as_ref().map(|e| ScanFailure {
            code: e.code.clone(),
            message: e.message.clone(),
        }),
    }
}

/// Whether `scan`'s result was reused: returned, `cached: true`, to at least one later
/// identical submission.
pub fn reused(scan: &Scan) -> bool {
    scan.cache_hits > 0
}

/// The full view: [`summary`] plus timings and, when the scan succeeded, the report's
/// results.
pub fn full(scan: &Scan) -> Result<ScanView, ApiError> {
    let mut view = ScanView {
        summary: summary(scan),
        timings: Timings {
            queued_ms: millis(scan.created_at, scan.started_at.or(scan.finished_at)),
            total_ms: millis(scan.created_at, scan.finished_at),
            scan_ms: None,
        },
        cached: reused(scan),
        results: None,
    };
    if scan.status != ScanStatus::Succeeded {
        return Ok(view);
    }
    if let Some(report) = scan.report()? {
        add_report(&mut view, report);
    }
    Ok(view)
}

fn add_report(view: &mut ScanView, report: Report) {
    let aivss = report
        .findings
        .iter()
        .filter_map(|f| f.aivss.as_ref().map(|a| a.score))
        .fold(0.0_f64, f64::max);
    view.summary.safety_score = Some(report.score.score);
    view.summary.safety_grade = Some(report.score.grade.to_string());
    view.timings.scan_ms = Some(report.stats.duration_ms);
    let tool_scores = tool_scores(&report);
    view.results = Some(ScanResults {
        aivss_score: aivss,
        schema_version: report.schema_version,
        complete: report.complete,
        severity_distribution: SeverityDistribution::from(&report.counts),
        findings: report.findings,
        inventory: report.inventory,
        score: report.score,
        tool_scores,
        target: report.target,
        generated_at: report.generated_at,
    });
}
