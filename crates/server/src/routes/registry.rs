//! The public registry: `GET /api/v1/scans/recent`, `GET /api/v1/registry`,
//! `GET /api/v1/registry/{source}/{package}`, and the version history
//! (`GET /api/v1/versions/{source}/{package}`, and `GET /versions` without a key).
//!
//! Only public scans that succeeded appear here; the store's queries filter them, so a
//! private scan of the same package never shows. Package names may contain `/` (`@scope/name`,
//! `owner/repo`): the package is the rest of the path, `/api/v1/registry/npm/@scope/name`.

use assay_store::{RegistryQuery, RegistrySort, Scan, Scope};
use axum::Extension;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, Envelope, ErrorEnvelope, ok};
use crate::state::AppState;
use crate::views::{self, ScanSummary, ScanView};

/// Most rows per page.
const MAX_PAGE: u32 = 100;
/// Rows per page unless asked otherwise.
const DEFAULT_PAGE: u32 = 20;

/// A page size from the query: 1–[`MAX_PAGE`], [`DEFAULT_PAGE`] when left out.
pub(super) fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}"),
        ));
    }
    Ok(limit)
}

/// Query parameters, with their errors as `INVALID_INPUT`.
pub(super) fn query<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    params
        .map(|Query(params)| params)
        .map_err(|e| ApiError::invalid("query", e.body_text()))
}

/// Which package a result is of.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PackageId {
    /// `npm`, `pypi`, `github`, `git`, `docker`, `ghcr`, `oci` or `local`.
    pub source: String,
    /// The package without its version (`@scope/name`, `owner/repo`).
    pub package: String,
    /// The version, commit or digest scanned, when known.
    pub version: Option<String>,
}

impl PackageId {
    /// The package of a succeeded scan.
    fn of(scan: &Scan) -> PackageId {
        let summary = scan.summary.as_ref();
        PackageId {
            source: summary.map(|s| s.source.clone()).unwrap_or_default(),
            package: summary.map(|s| s.package.clone()).unwrap_or_default(),
            version: summary.and_then(|s| s.version.clone()),
        }
    }
}

/// One public result in a listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PackageResult {
    /// The package.
    #[serde(flatten)]
    pub package: PackageId,
    /// The scan.
    #[serde(flatten)]
    pub scan: ScanSummary,
}

impl PackageResult {
    /// The listing entry of a succeeded public scan.
    pub fn of(scan: &Scan) -> PackageResult {
        PackageResult {
            package: PackageId::of(scan),
            scan: views::summary(scan),
        }
    }
}

/// `GET /api/v1/scans/recent`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecentScans {
    /// Newest first.
    items: Vec<PackageResult>,
}

/// `GET /api/v1/scans/recent`'s parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecentParams {
    /// How many, 1–100 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// `GET /api/v1/scans/recent`: the latest public scans that succeeded.
#[utoipa::path(
    get,
    path = "/api/v1/scans/recent",
    operation_id = "recentScans",
    tag = "registry",
    summary = "The most recently finished public scans",
    params(RecentParams),
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "Newest first.", body = Envelope<RecentScans>),
        (status = 400, description = "`INVALID_INPUT`: a bad `limit`.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
    )
)]
pub async fn recent(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Result<Query<RecentParams>, QueryRejection>,
) -> Result<Json<Envelope<RecentScans>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let limit = page_size(query(params)?.limit)?;
    let scans = state.store.recent_public(limit).await?;
    Ok(ok(RecentScans {
        items: scans.iter().map(PackageResult::of).collect(),
    }))
}

/// What the registry sorts by.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    /// The safety score (default; highest first).
    #[default]
    Score,
    /// The package name (A to Z first).
    Name,
    /// When the latest scan finished (newest first).
    Date,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Smallest, oldest or A first.
    Asc,
    /// Largest, newest or Z first.
    Desc,
}

impl SortKey {
    /// The store's order for this key in `order` (each key's natural order by default).
    fn with(self, order: Option<Order>) -> RegistrySort {
        match (self, order) {
            (SortKey::Score, Some(Order::Asc)) => RegistrySort::ScoreAsc,
            (SortKey::Score, _) => RegistrySort::ScoreDesc,
            (SortKey::Name, Some(Order::Desc)) => RegistrySort::NameDesc,
            (SortKey::Name, _) => RegistrySort::Name,
            (SortKey::Date, Some(Order::Asc)) => RegistrySort::Oldest,
            (SortKey::Date, _) => RegistrySort::Recent,
        }
    }
}

/// `GET /api/v1/registry`'s parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegistryParams {
    /// Packages whose name contains this (case-insensitive).
    #[serde(default)]
    q: Option<String>,
    /// `score` (default), `name` or `date`.
    #[serde(default)]
    #[param(inline)]
    sort: Option<SortKey>,
    /// `asc` or `desc`; by default scores and dates descend and names ascend.
    #[serde(default)]
    #[param(inline)]
    order: Option<Order>,
    /// Only this source (`npm`, `pypi`, `github`, …).
    #[serde(default)]
    source: Option<String>,
    /// Rows per page, 1–100 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// Rows to skip (default 0).
    #[serde(default)]
    offset: Option<u32>,
}

/// A page of the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryPage {
    /// The latest public result of each package on this page.
    items: Vec<PackageResult>,
    /// Matching packages in all pages.
    total: u64,
    /// The page size used.
    limit: u32,
    /// The rows skipped.
    offset: u32,
}

/// `GET /api/v1/registry`: the latest public result of every package.
#[utoipa::path(
    get,
    path = "/api/v1/registry",
    operation_id = "listRegistry",
    tag = "registry",
    summary = "Browse the public registry: the latest public result of each package",
    params(RegistryParams),
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "One page.", body = Envelope<RegistryPage>),
        (status = 400, description = "`INVALID_INPUT`: a bad parameter.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: Result<Query<RegistryParams>, QueryRejection>,
) -> Result<Json<Envelope<RegistryPage>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let params = query(params)?;
    let limit = page_size(params.limit)?;
    let offset = params.offset.unwrap_or(0);
    let page = state
        .store
        .registry(&RegistryQuery {
            search: params.q,
            source: params.source,
            sort: params.sort.unwrap_or_default().with(params.order),
            limit,
            offset,
        })
        .await?;
    Ok(ok(RegistryPage {
        items: page.items.iter().map(PackageResult::of).collect(),
        total: page.total,
        limit,
        offset,
    }))
}

/// Where to find more about a package.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackageLinks {
    /// The full scan, without a key.
    pub scan: String,
    /// Its score history.
    pub versions: String,
    /// Its badge.
    pub badge: String,
}

/// `GET /api/v1/registry/{source}/{package}`'s answer: the package's latest public
/// result, with the report's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackageRecord {
    /// The package.
    #[serde(flatten)]
    pub package: PackageId,
    /// The scan, as `GET /scan/{id}` shows it.
    #[serde(flatten)]
    pub scan: ScanView,
    /// Related resources.
    pub links: PackageLinks,
}

/// The package path parameter with any leading `/` (left by a doubled slash) removed.
fn package_name(package: &str) -> Result<&str, ApiError> {
    let package = package.trim_start_matches('/');
    if package.is_empty() {
        return Err(ApiError::invalid("package", "the package name is empty"));
    }
    Ok(package)
}

/// `GET /api/v1/registry/{source}/{package}`: one package's latest public result.
#[utoipa::path(
    get,
    path = "/api/v1/registry/{source}/{*package}",
    operation_id = "getRegistryPackage",
    tag = "registry",
    summary = "One package's latest public result, with its findings and inventory",
    params(
        ("source" = String, Path, description = "`npm`, `pypi`, `github`, …"),
        ("package" = String, Path, description = "The package name, slashes included \
            (`/api/v1/registry/npm/@scope/name`)."),
    ),
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "The latest public result.", body = Envelope<PackageRecord>),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no public scan of the package succeeded.",
            body = ErrorEnvelope),
    )
)]
pub async fn package(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((source, package)): Path<(String, String)>,
) -> Result<Json<Envelope<PackageRecord>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    let package = package_name(&package)?;
    let scan = state
        .store
        .registry_package(&source, package)
        .await?
        .ok_or(ApiError::NotFound("package"))?;
    Ok(ok(PackageRecord {
        package: PackageId::of(&scan),
        links: PackageLinks {
            scan: format!("/scan/{}", scan.id),
            versions: format!("/api/v1/versions/{source}/{package}"),
            badge: format!("/badge/{source}/{package}.svg"),
        },
        scan: views::full(&scan)?,
    }))
}

/// A package's score history.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionHistory {
    /// The source.
    source: String,
    /// The package.
    package: String,
    /// The latest public result of each version, newest first.
    items: Vec<PackageResult>,
}

/// The history of `package`, or `404` when it has no public result.
async fn history(
    state: &AppState,
    source: String,
    package: &str,
) -> Result<Json<Envelope<VersionHistory>>, ApiError> {
    let package = package_name(package)?.to_string();
    let scans = state.store.versions(&source, &package).await?;
    if scans.is_empty() {
        return Err(ApiError::NotFound("package"));
    }
    Ok(ok(VersionHistory {
        items: scans.iter().map(PackageResult::of).collect(),
        source,
        package,
    }))
}

/// `GET /api/v1/versions/{source}/{package}`: score history per version.
#[utoipa::path(
    get,
    path = "/api/v1/versions/{source}/{*package}",
    operation_id = "getPackageVersions",
    tag = "registry",
    summary = "A package's score history: the latest public result of each version",
    params(
        ("source" = String, Path, description = "`npm`, `pypi`, `github`, …"),
        ("package" = String, Path, description = "The package name, slashes included."),
    ),
    security((), ("bearer" = ["registry:read"]), ("api_key" = ["registry:read"])),
    responses(
        (status = 200, description = "Newest first.", body = Envelope<VersionHistory>),
        (status = 403, description = "`FORBIDDEN`: the key lacks `registry:read`.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no public scan of the package succeeded.",
            body = ErrorEnvelope),
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((source, package)): Path<(String, String)>,
) -> Result<Json<Envelope<VersionHistory>>, ApiError> {
    caller.permit(Scope::RegistryRead)?;
    history(&state, source, &package).await
}

/// `GET /versions`'s parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionsParams {
    /// `npm`, `pypi`, `github`, …
    source: String,
    /// The package name (`@scope/name`).
    package: String,
}

/// `GET /versions?source=…&package=…`: the same history without a key.
#[utoipa::path(
    get,
    path = "/versions",
    operation_id = "getPublicPackageVersions",
    tag = "public",
    summary = "A package's score history (no key)",
    params(VersionsParams),
    security(()),
    responses(
        (status = 200, description = "Newest first.", body = Envelope<VersionHistory>),
        (status = 400, description = "`INVALID_INPUT`: `source` or `package` missing.",
            body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no public scan of the package succeeded.",
            body = ErrorEnvelope),
    )
)]
pub async fn versions_public(
    State(state): State<AppState>,
    params: Result<Query<VersionsParams>, QueryRejection>,
) -> Result<Json<Envelope<VersionHistory>>, ApiError> {
    let params = query(params)?;
    history(&state, params.source, &params.package).await
}
