//! `POST /api/v1/scan`: validate, check credentials and budgets, queue (idempotently).

use assay_source::target::normalize_base_path;
use assay_source::{CredentialType, Credentials, Target};
use assay_store::{Mode, NewScan, Owner, ScanStatus, Scope, SubmitOrigin, Visibility};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Envelope, ErrorEnvelope, ok};
use crate::state::{AppState, now};

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

/// A validated submission.
struct Submission {
    body: SubmitRequest,
    target: Target,
    base_path: Option<String>,
    credentials: Option<Credentials>,
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

fn target_error(e: assay_source::SourceError) -> ApiError {
    ApiError::Target {
        code: e.code(),
        message: e.to_string(),
    }
}

/// Everything that can be refused before a job exists.
fn validate(state: &AppState, bytes: &[u8]) -> Result<Submission, ApiError> {
    let (body, credentials) = parse(bytes)?;
    let mut target = Target::parse(&body.input).map_err(target_error)?;
    if let Target::Local { .. } = target
        && !state.config.allow_local_targets
    {
        return Err(ApiError::Target {
            code: "INVALID_TARGET",
            message:
                "local paths are not accepted by this service; give a package, repository or image"
                    .into(),
        });
    }
    if let Some(reference) = &body.reference {
        target = target.with_reference(reference).map_err(target_error)?;
    }
    let base_path = match &body.base_path {
        Some(raw) => normalize_base_path(raw).map_err(target_error)?,
        None => None,
    };
    let visibility = body.scan_visibility.unwrap_or(Visibility::Public);
    if let Some(credentials) = &credentials {
        if visibility == Visibility::Public {
            return Err(ApiError::CredentialsPublicScan);
        }
        credentials
            .check(&target)
            .map_err(|e| ApiError::Credentials {
                code: e.code(),
                message: e.to_string(),
            })?;
    }
    Ok(Submission {
        body,
        target,
        base_path,
        credentials,
    })
}

/// The canonical target key: the parsed target with its reference, and the base path.
fn target_key(target: &Target, base_path: Option<&str>) -> String {
    match base_path {
        Some(base) => format!("{target}//{base}"),
        None => target.to_string(),
    }
}

/// `POST /api/v1/scan`.
#[utoipa::path(
    post,
    path = "/api/v1/scan",
    operation_id = "submitScan",
    tag = "scans",
    summary = "Submit a scan",
    description = "Checks the target, the operator's local-path policy, the credentials and the budgets \
        before anything is queued. Idempotent per canonical target (with `ref` and `base_path`), mode, \
        engine version and visibility: a finished result comes back with `cached: true`, a queued or \
        running job is joined; `force: true` always queues a new job.",
    request_body = SubmitRequest,
    security((), ("bearer" = ["scan:submit"]), ("api_key" = ["scan:submit"])),
    responses(
        (status = 202, description = "Queued, joined or cached.", body = Envelope<SubmitAccepted>),
        (status = 400, description = "`INVALID_INPUT` (`details.field`), `INVALID_TARGET`, \
            `PRIVATE_NETWORK_REFUSED` and the target layer's other codes, `CREDENTIALS_PUBLIC_SCAN`, \
            `INVALID_CREDENTIALS`, `CREDENTIAL_TYPE_MISMATCH`.", body = ErrorEnvelope),
        (status = 401, description = "`PRIVATE_REQUIRES_SIGNIN` or `DEEP_REQUIRES_SIGNIN` without a key; \
            `UNAUTHORIZED` for an invalid key.", body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:submit` or the caller is outside \
            its CIDR allowlist.", body = ErrorEnvelope),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let principal = caller.permit(Scope::ScanSubmit)?;
    let submission = validate(&state, &bytes)?;
    let mode = submission.body.mode.unwrap_or(Mode::Fast);
    let visibility = submission
        .body
        .scan_visibility
        .unwrap_or(Visibility::Public);
    if principal.is_none() {
        if visibility == Visibility::Private {
            return Err(ApiError::PrivateRequiresSignin);
        }
        if mode == Mode::Deep {
            return Err(ApiError::DeepRequiresSignin);
        }
    }
    let now = now();
    let snapshot = caller
        .charge
        .submission(state.store.as_ref(), mode, visibility, now)
        .await?;
    let key = target_key(&submission.target, submission.base_path.as_deref());
    let request = NewScan {
        owner: principal.map(|p| Owner {
            org_id: p.account.org_id.clone(),
            account_id: p.account.id.clone(),
        }),
        input: submission.body.input.clone(),
        base_path: submission.base_path.clone(),
        git_ref: submission.body.reference.clone(),
        target_key: key.clone(),
        mode,
        visibility,
        engine_version: assay_engine::VERSION.to_string(),
        max_attempts: state.config.max_attempts,
        force: submission.body.force,
    };
    let had_credentials = submission.credentials.is_some();
    let submitted = {
        // Held until the credentials are in, so a worker never claims the job without them.
        let mut vault = state.vault.lock().await;
        let submitted = state.store.submit(request, now).await?;
        if submitted.origin == SubmitOrigin::Created {
            state
                .store
                .append_event(
                    &submitted.scan.id,
                    "queued",
                    &json!({ "status": "queued", "credentials": had_credentials }),
                    now,
                )
                .await?;
        }
        if let Some(credentials) = submission.credentials
            && submitted.origin == SubmitOrigin::Created
        {
            vault.insert(submitted.scan.id.clone(), credentials);
        }
        submitted
    };
    if submitted.origin == SubmitOrigin::Created {
        state.wake.notify_waiters();
    }
    let scan = &submitted.scan;
    let canonical = scan
        .summary
        .as_ref()
        .map_or(key, |s| s.canonical_id.clone());
    let data = SubmitAccepted {
        scan_id: scan.id.clone(),
        canonical_id: canonical,
        status: scan.status,
        cached: submitted.cached(),
    };
    let mut response = (StatusCode::ACCEPTED, ok(data)).into_response();
    if let Some(snapshot) = snapshot {
        response.extensions_mut().insert(snapshot);
    }
    Ok(response)
}
