//! Reading and cancelling scans: `GET /api/v1/scan/{id}`, `GET /api/v1/scans`,
//! `GET /scan/{id}` (public scans, no key) and `DELETE /api/v1/scan/{id}`.

use assay_store::{ScanQuery, ScanStatus, Scope, Visibility};
use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ok};
use crate::state::{AppState, now};
use crate::views;

/// `GET /api/v1/scan/{id}`: a private scan of another org is `404`, like a missing one.
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.permit(Scope::ScanGet)?;
    let scan = state
        .store
        .scan_for(&id, caller.org())
        .await?
        .ok_or(ApiError::NotFound("scan"))?;
    Ok(ok(views::full(&scan)?))
}

/// `GET /scan/{id}`: public scans only, no key.
pub async fn get_public(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let scan = state
        .store
        .scan_for(&id, None)
        .await?
        .ok_or(ApiError::NotFound("scan"))?;
    Ok(ok(views::full(&scan)?))
}

/// Filters and page of `GET /api/v1/scans`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    offset: Option<u32>,
    #[serde(default)]
    status: Option<ScanStatus>,
    #[serde(default)]
    visibility: Option<Visibility>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    mine: bool,
}

/// Most rows per page.
const MAX_PAGE: u32 = 100;

/// `GET /api/v1/scans`: the caller's org's history, newest first (`mine=true`: the
/// caller's account only).
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
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
    let items: Vec<Value> = page.items.iter().map(views::summary).collect();
    Ok(ok(json!({
        "items": items,
        "total": page.total,
        "limit": limit,
        "offset": offset,
    })))
}

/// `DELETE /api/v1/scan/{id}`: cancels a queued or running scan of the caller's org.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let principal = caller.require(Scope::ScanSubmit)?;
    let org = principal.account.org_id.as_str();
    let scan = state
        .store
        .scan_for(&id, Some(org))
        .await?
        .ok_or(ApiError::NotFound("scan"))?;
    if scan.owner.as_ref().is_none_or(|o| o.org_id != org) {
        return Err(ApiError::Forbidden);
    }
    let now = now();
    if !state.store.cancel(&id, now).await? {
        return Err(ApiError::Conflict);
    }
    state
        .store
        .append_event(&id, "cancelled", &json!({ "status": "cancelled" }), now)
        .await?;
    Ok(ok(json!({ "scan_id": id, "status": "cancelled" })))
}
