//! `GET /api/v1/compare?a=…&b=…`: what changed between two scans (see
//! [`crate::comparison`]). Each side is a scan id, or a package (`npm:name`,
//! `npm:@scope/name@1.2.0`, `pypi:name==1.0`) standing for its latest public result — of
//! that version when one is given.

use assay_core::Report;
use assay_store::{ReportSummary, Scan, Scope};
use axum::Extension;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::registry::{PackageResult, query};
use crate::auth::Caller;
use crate::comparison::{self, ReportChanges};
use crate::error::{ApiError, Envelope, ErrorEnvelope, ok};
use crate::state::AppState;

/// `GET /api/v1/compare`'s parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// The "before" side: a scan id or a package (`npm:@scope/name@1.0.0`).
    a: String,
    /// The "after" side.
    b: String,
}

/// Two scans and what changed from `a` to `b`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    /// The "before" scan.
    a: PackageResult,
    /// The "after" scan.
    b: PackageResult,
    /// The changes.
    #[serde(flatten)]
    changes: ReportChanges,
}

/// `GET /api/v1/compare`.
#[utoipa::path(
    get,
    path = "/api/v1/compare",
    operation_id = "compareScans",
    tag = "registry",
    summary = "What changed between two scans: score, grade, findings, tools",
    description = "Each side is a scan id or a package reference (`npm:name`, \
        `npm:@scope/name@1.2.0`); a package stands for its latest public result (of that \
        version when given). Private scans are compared by id only, by keys of their org \
        holding `scan:get`.",
    params(CompareParams),
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "The comparison.", body = Envelope<Comparison>),
        (status = 400, description = "`INVALID_INPUT`: a side is missing or has no result yet.",
            body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: a side does not exist or is a private scan the \
            caller may not see.", body = ErrorEnvelope),
    )
)]
pub async fn compare(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Result<Query<CompareParams>, QueryRejection>,
) -> Result<Json<Envelope<Comparison>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let params = query(params)?;
    // Private scans of the caller's org only for keys that may read scans.
    let org = match caller.permit(Scope::ScanGet) {
        Ok(Some(principal)) => Some(principal.account.org_id.as_str()),
        _ => None,
    };
    let (a, report_a) = side(&state, org, "a", &params.a).await?;
    let (b, report_b) = side(&state, org, "b", &params.b).await?;
    Ok(ok(Comparison {
        a: PackageResult::of(&a),
        b: PackageResult::of(&b),
        changes: comparison::compare(&report_a, &report_b),
    }))
}

/// One side: the scan a reference names, visible to `org`, with its report.
async fn side(
    state: &AppState,
    org: Option<&str>,
    field: &'static str,
    reference: &str,
) -> Result<(Scan, Report), ApiError> {
    let scan = match ReportSummary::package_of(reference) {
        None => state.store.scan_for(reference, org).await?,
        Some((source, package, version)) => latest_public(state, source, package, version).await?,
    }
    .ok_or(ApiError::NotFound("scan"))?;
    let report = scan
        .report()?
        .ok_or_else(|| ApiError::invalid(field, format!("scan {} has no report (yet)", scan.id)))?;
    Ok((scan, report))
}

/// The latest public result of a package, of `version` when given, with its report.
async fn latest_public(
    state: &AppState,
    source: &str,
    package: &str,
    version: Option<&str>,
) -> Result<Option<Scan>, ApiError> {
    let Some(version) = version else {
        return Ok(state.store.registry_package(source, package).await?);
    };
    let listed = state.store.versions(source, package).await?;
    let Some(found) = listed
        .iter()
        .find(|s| s.summary.as_ref().and_then(|s| s.version.as_deref()) == Some(version))
    else {
        return Ok(None);
    };
    Ok(state.store.scan_for(&found.id, None).await?)
}
