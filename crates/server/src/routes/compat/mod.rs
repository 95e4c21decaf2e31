//! Compatibility routes, so that clients of two hosted scanners work unchanged: Enkrypt
//! AI's MCP Hub ([`enkrypt`], its own `/mcp-hub/*` paths) and MCP Security Score
//! ([`score`], on Assay's `/api/v1/scan` paths, told apart by [`detect`]). Each translates
//! its requests into the shared submission core ([`super::enqueue`]) and scan read
//! ([`super::scans::visible`]), and answers in its API's shapes ([`Dialect`]).

pub mod enkrypt;
mod pydantic;
pub mod score;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::{ApiError, Dialect};

/// The most of a submission body read to tell the APIs apart (axum's own body limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Marks MCP Security Score's requests among `/api/v1/*` with [`Dialect::Score`], before
/// the key middleware so that even its errors are Score's: a `POST /api/v1/scan` whose
/// body has a `url` and no `input`, and a `GET /api/v1/scan/scan_…`.
pub async fn detect(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let score_get = request.method() == Method::GET
        && path
            .strip_prefix("/api/v1/scan/")
            .is_some_and(|id| id.starts_with(score::ID_PREFIX));
    let submission = request.method() == Method::POST && path == "/api/v1/scan";
    if score_get {
        return next.run(marked(request, Dialect::Score)).await;
    }
    if !submission {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return ApiError::invalid(
            "body",
            format!("the body is unreadable or larger than {BODY_LIMIT} bytes"),
        )
        .respond(Dialect::Canonical);
    };
    let dialect = if score::is_score_body(&bytes) {
        Dialect::Score
    } else {
        Dialect::Canonical
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    next.run(marked(request, dialect)).await
}

fn marked(mut request: Request, dialect: Dialect) -> Request {
    request.extensions_mut().insert(dialect);
    request
}
