//! Enkrypt AI's MCP Hub API: `POST /mcp-hub/scan` (`source_url`, `version_or_commit`,
//! `base_path`, `is_private`; `202 {job_id, source_url, user_email, job_status,
//! message}`), `GET /mcp-hub/scan/{job_id}/status`, `GET /mcp-hub/scan/{job_id}/results`
//! and `GET /mcp-hub/scans`. Every route needs a key (Enkrypt's `apikey` header, or
//! Assay's); errors are FastAPI's: `{detail: "…"}`, and `422 {detail: [{type, loc, msg,
//! input}]}` for validation.
//!
//! Job states: `initializing` (queued), `running`, `completed` (succeeded), `failed`,
//! `cancelled`.

use std::collections::BTreeMap;

use assay_core::{Finding, Inventory};
use assay_store::{Scan, ScanQuery, ScanStatus, Scope, SubmitOrigin, Visibility};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pydantic::{self, Fields};
use crate::auth::Caller;
use crate::error::{ApiError, Dialect, Violation};
use crate::routes::enqueue::{Order, enqueue};
use crate::routes::scans::visible;
use crate::state::AppState;
use crate::views::{self, SeverityDistribution, ToolScore};

/// The MCP Hub routes (the router puts them behind the key middleware in Enkrypt's
/// dialect), with their tag and Enkrypt's `apikey` header as a security scheme in their
/// documentation.
pub fn routes() -> OpenApiRouter<AppState> {
    let mut routes = OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(status))
        .routes(routes!(results))
        .routes(routes!(list));
    let api = routes.get_openapi_mut();
    api.tags.get_or_insert_with(Vec::new).push(
        TagBuilder::new()
            .name("mcp-hub")
            .description(Some(
                "Enkrypt AI's MCP Hub API (`/mcp-hub/*`): its shapes and FastAPI-style errors.",
            ))
            .build(),
    );
    api.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "enkrypt_apikey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "apikey",
                "Enkrypt's header, on the MCP Hub routes only.",
            ))),
        );
    crate::openapi::describe_key_middleware_with(api, "Detail");
    routes
}

/// Enkrypt's name of a job state.
fn job_status(status: ScanStatus) -> &'static str {
    match status {
        ScanStatus::Queued => "initializing",
        ScanStatus::Running => "running",
        ScanStatus::Succeeded => "completed",
        ScanStatus::Failed => "failed",
        ScanStatus::Cancelled => "cancelled",
    }
}

/// FastAPI's `{detail}` error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Detail {
    /// What went wrong.
    detail: String,
}

/// FastAPI's validation error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationDetail {
    /// Every failing field.
    detail: Vec<Violation>,
}

/// The status and Enkrypt body of `error`: the violations of a validation error, else the
/// message.
pub fn error_body(error: &ApiError) -> (StatusCode, Value) {
    match error {
        ApiError::Validation(violations) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "detail": violations }),
        ),
        other => (
            other.status_and_code().0,
            json!({ "detail": other.to_string() }),
        ),
    }
}

/// The body of `POST /mcp-hub/scan`.
#[derive(Debug, ToSchema)]
pub struct MCPHubScanRequest {
    /// A GitHub URL or an npm package name or URL.
    source_url: String,
    /// A git commit, branch or tag, or an npm version (default: the default branch or
    /// latest version).
    version_or_commit: Option<String>,
    /// A subdirectory of the repository to scan.
    base_path: Option<String>,
    /// Visible only within the caller's org (default `false`).
    is_private: bool,
}

impl MCPHubScanRequest {
    /// Reads a body as FastAPI would, reporting every failing field.
    fn parse(bytes: &[u8]) -> Result<MCPHubScanRequest, ApiError> {
        let object = pydantic::body_object(bytes)?;
        let mut fields = Fields::new("body", &object);
        let source_url = fields.required_string("source_url");
        let version_or_commit = fields.optional_string("version_or_commit");
        let base_path = fields.optional_string("base_path");
        let is_private = fields.boolean("is_private", false);
        fields.finish(())?;
        Ok(MCPHubScanRequest {
            source_url: source_url.unwrap_or_default(),
            version_or_commit,
            base_path,
            is_private,
        })
    }

    fn order(&self) -> Order {
        Order {
            reference: self.version_or_commit.clone(),
            base_path: self.base_path.clone(),
            visibility: if self.is_private {
                Visibility::Private
            } else {
                Visibility::Public
            },
            ..Order::of(self.source_url.clone())
        }
    }

    /// A refused target as the `value_error` of the field it came from.
    fn explain(&self, error: ApiError) -> ApiError {
        let ApiError::Target { field, message, .. } = &error else {
            return error;
        };
        let (name, input) = match *field {
            "ref" => ("version_or_commit", json!(self.version_or_commit)),
            "base_path" => ("base_path", json!(self.base_path)),
            _ => ("source_url", json!(self.source_url)),
        };
        pydantic::value_error("body", name, input, message)
    }
}

/// `202` to `POST /mcp-hub/scan`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MCPHubScanResponse {
    /// The job's id (for status and results).
    job_id: String,
    /// The `source_url` as sent.
    source_url: String,
    /// The name of the key's account.
    user_email: String,
    /// `initializing` for a new job; `running` when an identical job was joined;
    /// `completed` when an identical result was returned.
    job_status: &'static str,
    /// For people.
    message: &'static str,
}

/// `POST /mcp-hub/scan`: queues a scan (idempotent, like `POST /api/v1/scan`).
#[utoipa::path(
    post,
    path = "/mcp-hub/scan",
    operation_id = "mcp_hub_create_scan",
    tag = "mcp-hub",
    summary = "Start a new vulnerability scan (Enkrypt MCP Hub)",
    request_body = MCPHubScanRequest,
    security(("enkrypt_apikey" = ["scan:submit"]), ("bearer" = ["scan:submit"]), ("api_key" = ["scan:submit"])),
    responses(
        (status = 202, description = "Scan job accepted.", body = MCPHubScanResponse),
        (status = 401, description = "Missing or invalid key.", body = Detail),
        (status = 403, description = "The key lacks `scan:submit` or the caller is outside its \
            CIDR allowlist.", body = Detail),
        (status = 422, description = "Validation error.", body = ValidationDetail),
        (status = 429, description = "A rate limit or budget is used up.", body = Detail),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> Response {
    let created = async {
        let user_email = caller.require(Scope::ScanSubmit)?.account.name.clone();
        let request = MCPHubScanRequest::parse(&bytes)?;
        let enqueued = enqueue(&state, &caller, request.order())
            .await
            .map_err(|e| request.explain(e))?;
        let scan = &enqueued.submitted.scan;
        let message = match enqueued.submitted.origin {
            SubmitOrigin::Created => "Scan job created successfully",
            SubmitOrigin::Joined => "An identical scan job is already in progress",
            SubmitOrigin::Cached => {
                "An identical scan already completed; its results are available"
            }
        };
        let response = MCPHubScanResponse {
            job_id: scan.id.clone(),
            source_url: request.source_url.clone(),
            user_email,
            job_status: job_status(scan.status),
            message,
        };
        Ok(enqueued.finish((StatusCode::ACCEPTED, Json(response)).into_response()))
    };
    created
        .await
        .unwrap_or_else(|e: ApiError| e.respond(Dialect::Enkrypt))
}

/// Why a job failed.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobError {
    /// Machine-readable (`REMOTE_NOT_FOUND`, `SCAN_TIMEOUT`, …).
    code: String,
    /// One line.
    message: String,
}

/// A job's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobStatus {
    /// The job's id.
    job_id: String,
    /// The target as submitted.
    source_url: String,
    /// The reference or version asked for.
    version_or_commit: Option<String>,
    /// The subdirectory scanned.
    base_path: Option<String>,
    /// Visible only within the org.
    is_private: bool,
    /// `initializing`, `running`, `completed`, `failed` or `cancelled`.
    job_status: &'static str,
    /// For people.
    message: String,
    /// When it was submitted (RFC 3339).
    created_at: Option<String>,
    /// When a worker took it.
    started_at: Option<String>,
    /// When it ended.
    completed_at: Option<String>,
    /// Why it failed or was cancelled.
    error: Option<JobError>,
}

impl JobStatus {
    fn of(scan: &Scan) -> JobStatus {
        let message = match (scan.status, &scan.error) {
            (ScanStatus::Queued, _) => "Scan job is queued".to_string(),
            (ScanStatus::Running, _) => "Scan is in progress".to_string(),
            (ScanStatus::Succeeded, _) => "Scan completed successfully".to_string(),
            (_, Some(error)) => error.message.clone(),
            (ScanStatus::Failed, None) => "Scan failed".to_string(),
            (ScanStatus::Cancelled, None) => "Scan was cancelled".to_string(),
        };
        JobStatus {
            job_id: scan.id.clone(),
            source_url: scan.input.clone(),
            version_or_commit: scan.git_ref.clone(),
            base_path: scan.base_path.clone(),
            is_private: scan.visibility == Visibility::Private,
            job_status: job_status(scan.status),
            message,
            created_at: views::timestamp(scan.created_at),
            started_at: scan.started_at.and_then(views::timestamp),
            completed_at: scan.finished_at.and_then(views::timestamp),
            error: scan.error.as_ref().map(|e| JobError {
                code: e.code.clone(),
                message: e.message.clone(),
            }),
        }
    }
}

/// A job with its results (`null` until it completed).
#[derive(Debug, Serialize, ToSchema)]
pub struct JobResults {
    /// The job's state.
    #[serde(flatten)]
    status: JobStatus,
    /// The resolved target (`github:owner/repo@<commit>`).
    canonical_id: Option<String>,
    /// 0–100.
    score: Option<u8>,
    /// `A`–`F`.
    grade: Option<String>,
    /// Whether the result was also returned to a later identical submission.
    cached: bool,
    /// Findings per severity.
    severity_distribution: Option<SeverityDistribution>,
    /// The findings.
    #[schema(schema_with = crate::openapi::report_findings_or_null)]
    findings: Option<Vec<Finding>>,
    /// A score per MCP tool.
    tool_scores: Option<Vec<ToolScore>>,
    /// The server's tools, prompts, resources and instructions.
    #[schema(schema_with = crate::openapi::report_inventory_or_null)]
    inventory: Option<Inventory>,
}

/// The job `id` if the caller's org may see it (`404` otherwise, like a missing one).
async fn job(state: &AppState, caller: &Caller, id: &str) -> Result<Scan, ApiError> {
    let org = caller.require(Scope::ScanGet)?.account.org_id.clone();
    visible(state, Some(&org), id).await.map_err(|e| match e {
        ApiError::NotFound(_) => ApiError::NotFound("scan job"),
        other => other,
    })
}

/// `GET /mcp-hub/scan/{job_id}/status`.
#[utoipa::path(
    get,
    path = "/mcp-hub/scan/{job_id}/status",
    operation_id = "mcp_hub_scan_status",
    tag = "mcp-hub",
    summary = "Get scan job status (Enkrypt MCP Hub)",
    params(("job_id" = String, Path, description = "The job's id.")),
    security(("enkrypt_apikey" = ["scan:get"]), ("bearer" = ["scan:get"]), ("api_key" = ["scan:get"])),
    responses(
        (status = 200, description = "The job's state.", body = JobStatus),
        (status = 401, description = "Missing or invalid key.", body = Detail),
        (status = 403, description = "The key lacks `scan:get`.", body = Detail),
        (status = 404, description = "No such job, or a private job of another org.", body = Detail),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(job_id): Path<String>,
) -> Response {
    match job(&state, &caller, &job_id).await {
        Ok(scan) => Json(JobStatus::of(&scan)).into_response(),
        Err(e) => e.respond(Dialect::Enkrypt),
    }
}

/// `GET /mcp-hub/scan/{job_id}/results`.
#[utoipa::path(
    get,
    path = "/mcp-hub/scan/{job_id}/results",
    operation_id = "mcp_hub_scan_results",
    tag = "mcp-hub",
    summary = "Get complete scan results (Enkrypt MCP Hub)",
    params(("job_id" = String, Path, description = "The job's id.")),
    security(("enkrypt_apikey" = ["scan:get"]), ("bearer" = ["scan:get"]), ("api_key" = ["scan:get"])),
    responses(
        (status = 200, description = "The job and, once completed, its results.", body = JobResults),
        (status = 401, description = "Missing or invalid key.", body = Detail),
        (status = 403, description = "The key lacks `scan:get`.", body = Detail),
        (status = 404, description = "No such job, or a private job of another org.", body = Detail),
    )
)]
pub async fn results(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(job_id): Path<String>,
) -> Response {
    let shown = async {
        let scan = job(&state, &caller, &job_id).await?;
        let mut results = JobResults {
            status: JobStatus::of(&scan),
            canonical_id: scan.summary.as_ref().map(|s| s.canonical_id.clone()),
            score: None,
            grade: None,
            cached: views::reused(&scan),
            severity_distribution: None,
            findings: None,
            tool_scores: None,
            inventory: None,
        };
        if let Some(report) = scan.report()? {
            results.score = Some(report.score.score);
            results.grade = Some(report.score.grade.to_string());
            results.severity_distribution = Some(SeverityDistribution::from(&report.counts));
            results.tool_scores = Some(views::tool_scores(&report));
            results.findings = Some(report.findings);
            results.inventory = Some(report.inventory);
        }
        Ok(Json(results).into_response())
    };
    shown
        .await
        .unwrap_or_else(|e: ApiError| e.respond(Dialect::Enkrypt))
}

/// A page of `GET /mcp-hub/scans`.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    /// The org's jobs, newest first.
    scans: Vec<JobStatus>,
    /// Jobs in all pages.
    total: u64,
    /// Page size.
    limit: u32,
    /// Jobs skipped.
    offset: u32,
}

/// `GET /mcp-hub/scans?limit=&offset=`: the caller's org's jobs, newest first.
#[utoipa::path(
    get,
    path = "/mcp-hub/scans",
    operation_id = "mcp_hub_list_scans",
    tag = "mcp-hub",
    summary = "List scans (Enkrypt MCP Hub)",
    params(
        ("limit" = Option<u32>, Query, description = "Jobs per page, 1–100 (default 20)."),
        ("offset" = Option<u32>, Query, description = "Jobs to skip (default 0)."),
    ),
    security(("enkrypt_apikey" = ["scan:list"]), ("bearer" = ["scan:list"]), ("api_key" = ["scan:list"])),
    responses(
        (status = 200, description = "A page of jobs.", body = JobList),
        (status = 401, description = "Missing or invalid key.", body = Detail),
        (status = 403, description = "The key lacks `scan:list`.", body = Detail),
        (status = 422, description = "Validation error.", body = ValidationDetail),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> Response {
    let listed = async {
        let org_id = caller.require(Scope::ScanList)?.account.org_id.clone();
        let Query(query) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
        let params: Map<String, Value> = query
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let mut fields = Fields::new("query", &params);
        let limit = fields.integer("limit", 20, 1, 100);
        let offset = fields.integer("offset", 0, 0, i64::from(u32::MAX));
        fields.finish(())?;
        // Both are within `u32` once validated.
        let limit = u32::try_from(limit).unwrap_or(20);
        let offset = u32::try_from(offset).unwrap_or(0);
        let page = state
            .store
            .scans(&ScanQuery {
                org_id,
                account_id: None,
                status: None,
                visibility: None,
                source: None,
                limit,
                offset,
            })
            .await?;
        Ok(Json(JobList {
            scans: page.items.iter().map(JobStatus::of).collect(),
            total: page.total,
            limit,
            offset,
        })
        .into_response())
    };
    listed
        .await
        .unwrap_or_else(|e: ApiError| e.respond(Dialect::Enkrypt))
}
