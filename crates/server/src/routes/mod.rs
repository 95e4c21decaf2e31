//! The router: which path goes to which handler, and which go through the key middleware.

mod scans;
mod stream;
mod submit;

use axum::Router;
use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

pub use stream::TERMINAL_EVENTS;

/// Every route. `/api/v1/*` goes through the key middleware (auth, minute rate limit,
/// `X-RateLimit-*`); the public pages and `/healthz` do not.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/v1/scan", axum::routing::post(submit::submit))
        .route("/api/v1/scan/{id}", get(scans::get).delete(scans::cancel))
        .route("/api/v1/scans", get(scans::list))
        .layer(from_fn_with_state(state.clone(), crate::auth::middleware));
    Router::new()
        .merge(api)
        .route("/scan/{id}", get(scans::get_public))
        .route("/scan/{id}/stream", get(stream::stream))
        .route("/healthz", get(healthz))
        .fallback(|| async { ApiError::NotFound("route") })
        .with_state(state)
}

/// `GET /healthz`: the database answers; queue depth by status.
async fn healthz(State(state): State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let counts = state.store.status_counts().await?;
    Ok(axum::Json(json!({
        "status": "ok",
        "version": assay_engine::VERSION,
        "queue": { "queued": counts.queued, "running": counts.running },
    })))
}
