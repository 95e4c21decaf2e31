//! Reading and cancelling scans: `GET /api/v1/scan/{id}`, `GET /api/v1/scans`,
//! `GET /scan/{id}` (public scans, no key) and `DELETE /api/v1/scan/{id}`.

use assay_store::{Scan, ScanQuery, ScanStatus, Scope, Visibility};
use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::compat;
use crate::auth::Caller;
use crate::error::{ApiError, Dialect, Envelope, ErrorEnvelope, ok};
use crate::state::{AppState, now};
use crate::views::{self, ScanSummary, ScanView};

/// `GET /api/v1/scan/{id}`: a private scan of another org is `404`, like a missing one.
#[utoipa::path(
    get,
    path = "/api/v1/scan/{id}",
    operation_id = "getScan",
    tag = "scans",
    summary = "A scan's status, and its results once it succeeded",
    params(("id" = String, Path, description = "The scan's id (`scan_<id>`: the MCP Security Score \
        shape of the same scan, see docs/api.md).")),
    security((), ("bearer" = ["scan:get"]), ("api_key" = ["scan:get"])),
    responses(
        (status = 200, description = "The scan.", body = Envelope<ScanView>),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:get` or the caller is outside \
            its CIDR allowlist.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such scan, or a private scan of another org.",
            body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    dialect: Option<Extension<Dialect>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if let Some(Extension(Dialect::Score)) = dialect {
        return Ok(compat::score::get(&state, &caller, &id).await);
    }
    caller.permit(Scope::ScanGet)?;
    let scan = visible(&state, caller.org(), &id).await?;
    Ok(ok(views::full(&scan)?).into_response())
}

/// The scan `id` if a viewer from `org` (`None`: anonymous) may see it, else `404`: the
/// one read behind every view of a scan.
pub async fn visible(state: &AppState, org: Option<&str>, id: &str) -> Result<Scan, ApiError> {
    state
        .store
        .scan_for(id, org)
        .await?
        .ok_or(ApiError::NotFound("scan"))
}

/// `GET /scan/{id}`: public scans only, no key.
#[utoipa::path(
    get,
    path = "/scan/{id}",
    operation_id = "getPublicScan",
    tag = "public",
    summary = "A public scan (no key)",
    params(("id" = String, Path, description = "The scan's id.")),
    security(()),
    responses(
        (status = 200, description = "The scan, as `GET /api/v1/scan/{id}` shows it.",
            body = Envelope<ScanView>),
        (status = 404, description = "`NOT_FOUND`: no such scan, or a private one.", body = ErrorEnvelope),
    )
)]
pub async fn get_public(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Envelope<ScanView>>, ApiError> {
    let scan = visible(&state, None, &id).await?;
    Ok(ok(views::full(&scan)?))
}

/// Filters and page of `GET /api/v1/scans`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Rows per page, 1–100 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// Rows to skip (default 0).
    #[serde(default)]
    offset: Option<u32>,
    /// Only scans in this state.
    #[serde(default)]
    #[param(schema_with = crate::openapi::scan_status)]
    status: Option<ScanStatus>,
    /// Only public or only private scans.
    #[serde(default)]
    #[param(schema_with = crate::openapi::visibility)]
    visibility: Option<Visibility>,
    /// Only targets from this source (`npm`, `pypi`, `github`, …).
    #[serde(default)]
    source: Option<String>,
    /// `true`: the caller's own account's scans only.
    #[serde(default)]
    mine: bool,
}

/// A page of `GET /api/v1/scans`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanList {
    /// Newest first.
    items: Vec<ScanSummary>,
    /// Matching scans in all pages.
    total: u64,
    /// The page size used.
    limit: u32,
    /// The rows skipped.
    offset: u32,
}

/// The answer to a cancellation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cancelled {
    /// The scan.
    scan_id: String,
    /// Always `cancelled`.
    #[schema(schema_with = crate::openapi::cancelled)]
    status: ScanStatus,
}

/// Most rows per page.
const MAX_PAGE: u32 = 100;

/// `GET /api/v1/scans`: the caller's org's history, newest first (`mine=true`: the
/// caller's account only).
#[utoipa::path(
    get,
    path = "/api/v1/scans",
    operation_id = "listScans",
    tag = "scans",
    summary = "The org's scans, newest first",
    params(ListParams),
    security(("bearer" = ["scan:list"]), ("api_key" = ["scan:list"])),
    responses(
        (status = 200, description = "A page of scans.", body = Envelope<ScanList>),
        (status = 400, description = "`INVALID_INPUT`: a malformed or unknown parameter, or `limit` \
            out of range (`details.field`).", body = ErrorEnvelope),
        (status = 401, description = "`UNAUTHORIZED`: no key, or an invalid one.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:list` or the caller is outside \
            its CIDR allowlist.", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Envelope<ScanList>>, ApiError> {
    let principal = caller.require(Scope::ScanList)?;
    let Query(params) = params.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let limit = params.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}"),
        ));
    }
    let offset = params.offset.unwrap_or(0);
    let page = state
        .store
        .scans(&ScanQuery {
            org_id: principal.account.org_id.clone(),
            account_id: params.mine.then(|| principal.account.id.clone()),
            status: params.status,
            visibility: params.visibility,
            source: params.source,
            limit,
            offset,
        })
        .await?;
    Ok(ok(ScanList {
        items: page.items.iter().map(views::summary).collect(),
        total: page.total,
        limit,
        offset,
    }))
}

/// `DELETE /api/v1/scan/{id}`: cancels a queued or running scan of the caller's org.
#[utoipa::path(
    delete,
    path = "/api/v1/scan/{id}",
    operation_id = "cancelScan",
    tag = "scans",
    summary = "Cancel a queued or running scan",
    params(("id" = String, Path, description = "The scan's id.")),
    security(("bearer" = ["scan:submit"]), ("api_key" = ["scan:submit"])),
    responses(
        (status = 200, description = "Cancelled.", body = Envelope<Cancelled>),
        (status = 401, description = "`UNAUTHORIZED`: no key, or an invalid one.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:submit`, the caller is outside its \
            CIDR allowlist, or the scan is another org's.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such scan, or a private scan of another org.",
            body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the scan already finished.", body = ErrorEnvelope),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Envelope<Cancelled>>, ApiError> {
    let principal = caller.require(Scope::ScanSubmit)?;
    let org = principal.account.org_id.as_str();
    let scan = visible(&state, Some(org), &id).await?;
    if scan.owner.as_ref().is_none_or(|o| o.org_id != org) {
        return Err(ApiError::Forbidden);
    }
    let now = now();
    if !state.store.cancel(&id, now).await? {
        return Err(ApiError::Conflict);
    }
    // Stop the engine now if it runs here; other processes notice at their next heartbeat.
    state.running.cancel(&id);
    state
        .store
        .append_event(&id, "cancelled", &json!({ "status": "cancelled" }), now)
        .await?;
    Ok(ok(Cancelled {
        scan_id: id,
        status: ScanStatus::Cancelled,
    }))
}
