//! `POST /api/v1/scan`: Assay's body (`input`, `mode`, `scan_visibility`, `ref`,
//! `base_path`, `force`, `credentials`) translated into an [`Order`] for [`enqueue`].

use assay_source::{CredentialType, Credentials};
use assay_store::{Mode, ScanStatus, Visibility};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::compat;
use super::enqueue::{Order, enqueue};
use crate::auth::Caller;
use crate::error::{ApiError, Dialect, Envelope, ErrorEnvelope, ok};
use crate::state::AppState;

/// The body of `POST /api/v1/scan` (not `Debug`: it can hold a credential).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// What to scan: `npm:name@version`, `pypi:name`, `github:owner/repo`, a git URL,
    /// `docker:image:tag`, …
    input: String,
    /// `fast` (default) or `deep` (needs a key).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::mode)]
    mode: Option<Mode>,
    /// `public` (default) or `private` (needs a key; visible to the caller's org only).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::visibility)]
    scan_visibility: Option<Visibility>,
    /// A one-shot read credential for the target (private scans only); never stored,
    /// logged or echoed. Kept as raw JSON here and checked by hand, so that no error
    /// message can quote it.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::credentials)]
    credentials: Option<Value>,
    /// The directory inside the target to scan.
    #[serde(default)]
    base_path: Option<String>,
    /// A git ref or package version that overrides the one in `input`.
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    /// Queue a new job even if an identical one is cached, queued or running.
    #[serde(default)]
    force: bool,
}

/// `202` to a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmitAccepted {
    /// The job's id (new, or the cached or joined one).
    scan_id: String,
    /// The parsed target until the scan resolves it (`npm:name@1.2.3`).
    canonical_id: String,
    /// `queued`, `running` or, when cached, `succeeded`.
    #[schema(schema_with = crate::openapi::scan_status)]
    status: ScanStatus,
    /// Whether a finished result was returned.
    cached: bool,
}

/// Parses the body; the `credentials` object stays raw JSON until it is checked by hand.
fn parse(bytes: &[u8]) -> Result<(SubmitRequest, Option<Credentials>), ApiError> {
    let mut body: SubmitRequest = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::invalid(
                "body",
                format!(
                    "the body is not JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        } else {
            ApiError::invalid("body", format!("invalid scan request: {e}"))
        }
    })?;
    let credentials = body.credentials.take().map(credentials).transpose()?;
    Ok((body, credentials))
}

/// `{type?, token, username?}`: errors name the field, never its value.
fn credentials(raw: Value) -> Result<Credentials, ApiError> {
    let bad = |reason: &str| ApiError::Credentials {
        code: "INVALID_CREDENTIALS",
        message: format!("invalid credentials: {reason}"),
    };
    let Value::Object(object) = raw else {
        return Err(bad("expected an object {type, token, username?}"));
    };
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&format!("`{name}` must be a string"))),
        }
    };
    if let Some(unknown) = object
        .keys()
        .find(|k| !["type", "token", "username"].contains(&k.as_str()))
    {
        return Err(bad(&format!(
            "unknown field `{}`",
            unknown.escape_default()
        )));
    }
    let kind = text("type")?
        .map(|t| t.parse::<CredentialType>())
        .transpose()
        .map_err(|e| bad(&e))?;
    let token = text("token")?.ok_or_else(|| bad("`token` is required"))?;
    Credentials::new(kind, text("username")?, &token).map_err(|e| ApiError::Credentials {
        code: e.code(),
        message: e.to_string(),
    })
}

/// The order of a parsed body.
fn order(body: SubmitRequest, credentials: Option<Credentials>) -> Order {
    Order {
        input: body.input,
        reference: body.reference,
        base_path: body.base_path,
        mode: body.mode.unwrap_or(Mode::Fast),
        visibility: body.scan_visibility.unwrap_or(Visibility::Public),
        force: body.force,
        credentials,
    }
}

/// `POST /api/v1/scan`. A Score-style `{url}` body (see [`compat::detect`]) is answered by
/// [`compat::score::submit`].
#[utoipa::path(
    post,
    path = "/api/v1/scan",
    operation_id = "submitScan",
    tag = "scans",
    summary = "Submit a scan",
    description = "Checks the target, the operator's local-path policy, the credentials and the budgets \
        before anything is queued. Idempotent per canonical target (with `ref` and `base_path`), mode, \
        engine version and visibility: a finished result comes back with `cached: true`, a queued or \
        running job is joined; `force: true` always queues a new job. A body with a `url` and no \
        `input` is an MCP Security Score request, answered in that API's shapes (see docs/api.md).",
    request_body = SubmitRequest,
    security((), ("bearer" = ["scan:submit"]), ("api_key" = ["scan:submit"])),
    responses(
        (status = 202, description = "Queued, joined or cached.", body = Envelope<SubmitAccepted>),
        (status = 400, description = "`INVALID_INPUT` (`details.field`), `INVALID_TARGET`, \
            `PRIVATE_NETWORK_REFUSED` and the target layer's other codes (`details.field`: `input`, \
            `ref` or `base_path`), `CREDENTIALS_PUBLIC_SCAN`, `INVALID_CREDENTIALS`, \
            `CREDENTIAL_TYPE_MISMATCH`.", body = ErrorEnvelope),
        (status = 401, description = "`PRIVATE_REQUIRES_SIGNIN` or `DEEP_REQUIRES_SIGNIN` without a key; \
            `UNAUTHORIZED` for an invalid key.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:submit` or the caller is outside \
            its CIDR allowlist.", body = ErrorEnvelope),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    dialect: Option<Extension<Dialect>>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    if let Some(Extension(Dialect::Score)) = dialect {
        return Ok(compat::score::submit(&state, &caller, &bytes).await);
    }
    let (body, credentials) = parse(&bytes)?;
    let enqueued = enqueue(&state, &caller, order(body, credentials)).await?;
    let scan = &enqueued.submitted.scan;
    let accepted = SubmitAccepted {
        scan_id: scan.id.clone(),
        canonical_id: enqueued.canonical_id.clone(),
        status: scan.status,
        cached: enqueued.submitted.cached(),
    };
    Ok(enqueued.finish((StatusCode::ACCEPTED, ok(accepted)).into_response()))
}
