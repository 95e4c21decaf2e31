//! MCP Security Score's API on Assay's own paths: `POST /api/v1/scan {"url": "https://github.com/owner/repo"}`
//! and `GET /api/v1/scan/scan_<id>`, told apart from Assay's requests by
//! [`super::detect`]. Its scans are public GitHub repositories; its ids are Assay's with
//! a `scan_` prefix, so the id itself says which shape to answer in (the same scan read
//! through Assay's id gets Assay's shape). Bodies are bare objects; errors are
//! `{error: {code, message, details}}` with Score's codes.

use assay_core::Finding;
use assay_source::Target;
use assay_source::target::{GitHost, GitRepo};
use assay_store::{Scan, ScanStatus};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, Dialect};
use crate::routes::enqueue::{Order, enqueue};
use crate::routes::scans::visible;
use crate::state::AppState;
use crate::views::{self, SeverityDistribution, ToolScore};

/// What Score's ids start with.
pub const ID_PREFIX: &str = "scan_";

/// The keys that tell a Score submission (`url`, no `input`) from Assay's.
#[derive(Deserialize)]
struct Keys {
    #[serde(default)]
    url: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    input: Option<serde::de::IgnoredAny>,
}

/// Whether a submission body is Score's: a JSON object with a `url` and no `input`.
pub fn is_score_body(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Keys>(bytes).is_ok_and(|k| k.url.is_some() && k.input.is_none())
}

/// Score's name of a job state: `pending`, `scanning`, `complete` or `failed` (a cancelled
/// scan is `failed` with the code `CANCELLED`: Score has no other end state).
fn status_name(status: ScanStatus) -> &'static str {
    match status {
        ScanStatus::Queued => "pending",
        ScanStatus::Running => "scanning",
        ScanStatus::Succeeded => "complete",
        ScanStatus::Failed | ScanStatus::Cancelled => "failed",
    }
}

/// A scan in Score's shape.
#[derive(Debug, Serialize)]
struct ScoreScan {
    id: String,
    status: &'static str,
    url: String,
    score: Option<u8>,
    grade: Option<String>,
    cached: bool,
    created_at: Option<String>,
    completed_at: Option<String>,
    findings_count: Option<u32>,
    severity_counts: Option<SeverityDistribution>,
    findings: Option<Vec<Finding>>,
    tool_scores: Option<Vec<ToolScore>>,
    error: Option<Value>,
}

fn view(scan: &Scan, cached: bool) -> Result<ScoreScan, ApiError> {
    let mut view = ScoreScan {
        id: format!("{ID_PREFIX}{}", scan.id),
        status: status_name(scan.status),
        url: scan.input.clone(),
        score: scan.summary.as_ref().map(|s| s.score),
        grade: scan.summary.as_ref().map(|s| s.grade.clone()),
        cached,
        created_at: views::timestamp(scan.created_at),
        completed_at: scan.finished_at.and_then(views::timestamp),
        findings_count: None,
        severity_counts: None,
        findings: None,
        tool_scores: None,
        error: scan
            .error
            .as_ref()
            .map(|e| json!({ "code": e.code, "message": e.message })),
    };
    if let Some(report) = scan.report()? {
        view.score = Some(report.score.score);
        view.grade = Some(report.score.grade.to_string());
        view.findings_count = Some(report.counts.total);
        view.severity_counts = Some(SeverityDistribution::from(&report.counts));
        view.tool_scores = Some(views::tool_scores(&report));
        view.findings = Some(report.findings);
    }
    Ok(view)
}

/// `{error: {code, message, details}}`.
fn envelope(code: &str, message: &str, details: &str) -> Value {
    json!({ "error": { "code": code, "message": message, "details": details } })
}

/// The status and Score body of `error`.
pub fn error_body(error: &ApiError) -> (StatusCode, Value) {
    let message = error.to_string();
    let (status, code) = error.status_and_code();
    match error {
        ApiError::Target { .. } | ApiError::InvalidInput { .. } | ApiError::Validation(_) => (
            StatusCode::BAD_REQUEST,
            envelope("INVALID_URL", "Invalid GitHub URL provided", &message),
        ),
        ApiError::RateLimited(limited) => {
            let details = format!(
                "{} of {} requests in the {} window of tier {}; retry after {} seconds",
                limited.current,
                limited.limit,
                limited.window,
                limited.tier,
                limited.retry_after_seconds
            );
            (status, envelope("RATE_LIMIT_EXCEEDED", &message, &details))
        }
        ApiError::Unauthorized => (
            status,
            envelope(code, &message, "Missing or invalid API key"),
        ),
        _ => (status, envelope(code, &message, "")),
    }
}

/// The `url` of a Score body, if it names a GitHub repository.
fn github_url(bytes: &[u8]) -> Result<String, ApiError> {
    let refuse = |message: &str| ApiError::Target {
        code: "INVALID_TARGET",
        message: message.to_string(),
        field: "input",
    };
    let body: Value = serde_json::from_slice(bytes).map_err(|_| refuse("the body is not JSON"))?;
    let Some(Value::String(url)) = body.get("url") else {
        return Err(refuse("`url` must be a string"));
    };
    match Target::parse(url) {
        Ok(Target::Git {
            repo:
                GitRepo::Hosted {
                    host: GitHost::GitHub,
                    ..
                },
            ..
        }) => Ok(url.clone()),
        _ => Err(refuse("URL must be a valid GitHub repository URL")),
    }
}

/// `POST /api/v1/scan` with a Score body: queued (or cached) like any submission, answered
/// `202` with the scan in Score's shape.
pub async fn submit(state: &AppState, caller: &Caller, bytes: &[u8]) -> Response {
    let accepted = async {
        let url = github_url(bytes)?;
        let enqueued = enqueue(state, caller, Order::of(url)).await?;
        let body = view(&enqueued.submitted.scan, enqueued.submitted.cached())?;
        Ok(enqueued.finish((StatusCode::ACCEPTED, Json(body)).into_response()))
    };
    accepted
        .await
        .unwrap_or_else(|e: ApiError| e.respond(Dialect::Score))
}

/// `GET /api/v1/scan/scan_<id>`: the scan in Score's shape. A scan that failed because the
/// repository does not exist or is private answers like Score does at submission:
/// `404 REPO_NOT_FOUND` or `403 PRIVATE_REPO`.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Response {
    let shown = async {
        let org = caller
            .permit(assay_store::Scope::ScanGet)?
            .map(|p| p.account.org_id.as_str());
        let id = id.strip_prefix(ID_PREFIX).unwrap_or(id);
        let scan = visible(state, org, id).await?;
        let refusal = match scan.error.as_ref().map(|e| e.code.as_str()) {
            Some("REMOTE_NOT_FOUND") => Some((
                StatusCode::NOT_FOUND,
                "REPO_NOT_FOUND",
                "Repository not found",
            )),
            Some("ACCESS_DENIED") => Some((
                StatusCode::FORBIDDEN,
                "PRIVATE_REPO",
                "Private repository (not supported)",
            )),
            _ => None,
        };
        if let (Some((status, code, message)), Some(error)) = (refusal, &scan.error) {
            return Ok((status, Json(envelope(code, message, &error.message))).into_response());
        }
        Ok(Json(view(&scan, views::reused(&scan))?).into_response())
    };
    shown
        .await
        .unwrap_or_else(|e: ApiError| e.respond(Dialect::Score))
}
