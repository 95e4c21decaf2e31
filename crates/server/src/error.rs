//! The one error type of the API and its `{success: false, error: {code, message,
//! details}}` envelope, with the seeds' codes and HTTP statuses; the compatibility routes
//! answer the same errors in their own API's shapes ([`Dialect`]).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::limits::{RateLimited, RateSnapshot};
use crate::routes::compat;

/// Whose API shapes a request is answered in. The key middleware and the handlers read it
/// from the request's extensions (absent: [`Dialect::Canonical`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// Assay's own API (MCPSafe's shapes).
    #[default]
    Canonical,
    /// Enkrypt AI's MCP Hub (`/mcp-hub/*`): FastAPI's `{detail}`.
    Enkrypt,
    /// MCP Security Score (`{url}` submissions, `scan_…` ids): `{error: {code, message,
    /// details}}` with its codes.
    Score,
}

/// One failed check of a request field, in FastAPI/pydantic's terms (Enkrypt's `422`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Violation {
    /// pydantic's error type (`missing`, `string_type`, `bool_parsing`, …).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Where: `["body", "source_url"]`, `["query", "limit"]`, `["body", 12]`.
    pub loc: Vec<Value>,
    /// pydantic's message (`Field required`).
    pub msg: String,
    /// The offending value (the whole body for a missing field).
    pub input: Value,
    /// Extra context, e.g. `{"error": …}` of a JSON syntax error.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub ctx: Option<Value>,
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No key, or a key that is malformed, unknown, wrong, revoked or expired (one answer
    /// for every reason).
    #[error("a valid API key is required")]
    Unauthorized,
    /// The key lacks the route's scope, or the request comes from outside its CIDR
    /// allowlist (one answer for both).
    #[error("this API key is not allowed to do that")]
    Forbidden,
    /// A private scan was requested without a key.
    #[error("private scans require an API key")]
    PrivateRequiresSignin,
    /// Anonymous callers cannot ask for deep scans.
    #[error("deep scans require an API key")]
    DeepRequiresSignin,
    /// The request body or parameters are wrong.
    #[error("{message}")]
    InvalidInput {
        /// What is wrong.
        message: String,
        /// The offending field, if one.
        field: Option<&'static str>,
    },
    /// Fields that fail validation, all of them (Enkrypt's FastAPI-style bodies).
    #[error("{}", .0.first().map_or("invalid request", |v| v.msg.as_str()))]
    Validation(Vec<Violation>),
    /// A target the service refuses or cannot parse (`INVALID_TARGET`, …).
    #[error("{message}")]
    Target {
        /// The stable code from the source layer.
        code: &'static str,
        /// One line, never a credential.
        message: String,
        /// The request field at fault: `input`, `ref` or `base_path`.
        field: &'static str,
    },
    /// Credentials were sent with a public scan.
    #[error("credentials are accepted on private scans only")]
    CredentialsPublicScan,
    /// The credential is malformed or does not fit the target.
    #[error("{message}")]
    Credentials {
        /// `INVALID_CREDENTIALS` or `CREDENTIAL_TYPE_MISMATCH`.
        code: &'static str,
        /// One line that never quotes the credential.
        message: String,
    },
    /// No such scan (or one the caller may not see).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The scan already finished.
    #[error("the scan already finished")]
    Conflict,
    /// A rate limit was hit.
    #[error("rate limit reached: please try again in {} seconds", .0.retry_after_seconds)]
    RateLimited(RateLimited),
    /// Something broke on our side (details are logged, not returned).
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The status and the stable code.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "FORBIDDEN"),
            ApiError::PrivateRequiresSignin => {
                (StatusCode::UNAUTHORIZED, "PRIVATE_REQUIRES_SIGNIN")
            }
            ApiError::DeepRequiresSignin => (StatusCode::UNAUTHORIZED, "DEEP_REQUIRES_SIGNIN"),
            ApiError::InvalidInput { .. } | ApiError::Validation(_) => {
                (StatusCode::BAD_REQUEST, "INVALID_INPUT")
            }
            ApiError::Target { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::CredentialsPublicScan => (StatusCode::BAD_REQUEST, "CREDENTIALS_PUBLIC_SCAN"),
            ApiError::Credentials { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "NOT_FOUND"),
            ApiError::Conflict => (StatusCode::CONFLICT, "CONFLICT"),
            ApiError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"),
        }
    }

    fn details(&self) -> Value {
        match self {
            ApiError::InvalidInput { field: Some(f), .. } | ApiError::Target { field: f, .. } => {
                json!({ "field": f })
            }
            ApiError::Validation(violations) => json!({ "errors": violations }),
            ApiError::RateLimited(limited) => json!({
                "window": limited.window,
                "tier": limited.tier,
                "current": limited.current,
                "limit": limited.limit,
                "retry_after_seconds": limited.retry_after_seconds,
            }),
            _ => json!({}),
        }
    }

    /// An invalid-input error about `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::InvalidInput {
            message: message.into(),
            field: Some(field),
        }
    }
}

impl From<assay_store::StoreError> for ApiError {
    fn from(error: assay_store::StoreError) -> ApiError {
        ApiError::Internal(error.to_string())
    }
}

/// `{success: true, data}`: the body of every successful JSON answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    /// Always `true`.
    #[schema(schema_with = crate::openapi::always_true)]
    pub success: bool,
    /// The answer.
    pub data: T,
}

/// `{success: false, error}`: the body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// Always `false`.
    #[schema(schema_with = crate::openapi::always_false)]
    pub success: bool,
    /// What went wrong.
    pub error: ErrorBody,
}

/// The `error` of an [`ErrorEnvelope`].
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code (`UNAUTHORIZED`, `INVALID_INPUT`, `NOT_FOUND`, …; see
    /// each response's description).
    pub code: &'static str,
    /// One line for people; never a credential.
    pub message: String,
    /// `{field}` for `INVALID_INPUT` and a refused target (`input`, `ref` or `base_path`);
    /// `{window, tier, current, limit, retry_after_seconds}` for `RATE_LIMITED`; otherwise
    /// empty.
    #[schema(value_type = Object)]
    pub details: Value,
}

impl ApiError {
    /// The response in `dialect`'s shapes, with `Retry-After` and `X-RateLimit-*` on a
    /// rate limit. Internal details are logged, never returned.
    pub fn respond(self, dialect: Dialect) -> Response {
        if let ApiError::Internal(detail) = &self {
            eprintln!("assay serve: internal error: {detail}");
        }
        let (status, body) = match dialect {
            Dialect::Canonical => {
                let (status, code) = self.status_and_code();
                let body = ErrorEnvelope {
                    success: false,
                    error: ErrorBody {
                        code,
                        message: self.to_string(),
                        details: self.details(),
                    },
                };
                (status, json!(body))
            }
            Dialect::Enkrypt => compat::enkrypt::error_body(&self),
            Dialect::Score => compat::score::error_body(&self),
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited(limited) = &self {
            let headers = response.headers_mut();
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from(limited.retry_after_seconds),
            );
            RateSnapshot {
                limit: limited.limit,
                remaining: 0,
                reset: limited.reset,
            }
            .apply(headers);
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.respond(Dialect::Canonical)
    }
}

/// `{success: true, data}`.
pub fn ok<T: Serialize>(data: T) -> axum::Json<Envelope<T>> {
    axum::Json(Envelope {
        success: true,
        data,
    })
}
