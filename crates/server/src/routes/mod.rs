//! The router: which path goes to which handler, and which go through the key middleware.
//!
//! Every route is registered with `utoipa_axum::routes!` on an [`OpenApiRouter`], from a
//! handler annotated with `#[utoipa::path]`, so the router and the OpenAPI document
//! (`GET /api/v1/openapi.json`, see [`crate::openapi`]) come from the same list and cannot
//! drift apart. Routes behind the key middleware go in [`keyed`], the others in [`public`].

mod badge;
mod catalog;
mod compare;
pub(crate) mod compat;
mod enqueue;
mod metrics;
mod registry;
mod scans;
mod stats;
mod stream;
mod submit;

use axum::Extension;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::middleware::{from_fn, from_fn_with_state};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Dialect};
use crate::state::AppState;

pub use stream::TERMINAL_EVENTS;

/// `/api/v1/*` routes: they go through the key middleware (auth, minute rate limit,
/// `X-RateLimit-*`), which [`crate::openapi::describe_key_middleware`] adds to their
/// documentation.
fn keyed() -> OpenApiRouter<AppState> {
    let mut routes = OpenApiRouter::new()
        .routes(routes!(submit::submit))
        .routes(routes!(scans::get, scans::cancel))
        .routes(routes!(scans::list))
        .routes(routes!(registry::recent))
        .routes(routes!(registry::list))
        .routes(routes!(registry::package))
        .routes(routes!(registry::versions))
        .routes(routes!(compare::compare))
        .routes(routes!(stats::stats))
        .routes(routes!(catalog::catalog))
        .routes(routes!(stream::stream_keyed));
    crate::openapi::describe_key_middleware(routes.get_openapi_mut());
    routes
}

/// Routes without the key middleware: public pages, health and the OpenAPI document.
fn public() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scans::get_public))
        .routes(routes!(registry::versions_public))
        .routes(routes!(badge::badge))
        .routes(routes!(stream::stream))
        .routes(routes!(healthz))
        .routes(routes!(openapi_json))
        .routes(routes!(metrics::metrics))
}

/// Every route.
pub fn router(state: AppState) -> Router {
    let (router, _) = OpenApiRouter::new()
        .merge(
            keyed()
                .layer(from_fn_with_state(state.clone(), crate::auth::middleware))
                .layer(from_fn(compat::detect)),
        )
        .merge(
            compat::enkrypt::routes()
                .layer(from_fn_with_state(state.clone(), crate::auth::middleware))
                .layer(Extension(Dialect::Enkrypt)),
        )
        .merge(public())
        .split_for_parts();
    router
        .fallback(|| async { ApiError::NotFound("route") })
        .layer(from_fn_with_state(state.clone(), crate::metrics::track))
        .with_state(state)
}

/// The OpenAPI document of every route, as the handlers' annotations describe them.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(keyed())
        .merge(compat::enkrypt::routes())
        .merge(public())
        .into_openapi()
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` (a failing database is a `500`).
    status: &'static str,
    /// The engine version.
    version: &'static str,
    /// Jobs by state.
    queue: QueueDepth,
}

/// Jobs waiting and running.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueDepth {
    /// Waiting for a worker.
    queued: u64,
    /// Leased by a worker.
    running: u64,
}

/// `GET /healthz`: the database answers; queue depth by status.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "health",
    tag = "service",
    summary = "Health, after a query to the database",
    security(()),
    responses((status = 200, description = "The service and its database answer.", body = Health))
)]
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let counts = state.store.status_counts().await?;
    Ok(Json(Health {
        status: "ok",
        version: assay_engine::VERSION,
        queue: QueueDepth {
            queued: counts.queued,
            running: counts.running,
        },
    }))
}

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "service",
    summary = "This OpenAPI 3.1 document",
    security(()),
    responses((status = 200, description = "The OpenAPI document.", body = Object))
)]
async fn openapi_json() -> Json<&'static Value> {
    Json(crate::openapi::document())
}
