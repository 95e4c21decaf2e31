//! `GET /metrics`: Prometheus text exposition 0.0.4 (see [`crate::metrics`]).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// The content type of the text exposition format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`: no key; meant for a scraper on a private network, not the internet.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    summary = "Prometheus metrics (text exposition format 0.0.4)",
    description = "Queue depth by status, this process's finished scans by outcome and their \
        durations, its HTTP requests by route and status with their latency, its workers busy and \
        idle, and the build. No key is needed: do not expose this route publicly.",
    security(()),
    responses(
        (status = 200, description = "The metrics.", content_type = "text/plain", body = String),
        (status = 500, description = "`INTERNAL_ERROR`: the database did not answer.", body = ErrorEnvelope),
    )
)]
pub async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let queue = state.store.status_counts().await?;
    let text = state
        .metrics
        .render(&queue, state.config.workers, state.running.count());
    Ok(([(header::CONTENT_TYPE, TEXT_FORMAT)], text))
}
