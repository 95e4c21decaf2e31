//! `POST /api/v1/scan`: validate, check credentials and budgets, queue (idempotently).

use assay_source::target::normalize_base_path;
use assay_source::{CredentialType, Credentials, Target};
use assay_store::{Mode, NewScan, Owner, Scope, SubmitOrigin, Visibility};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ok};
use crate::state::{AppState, now};

/// The body, without `credentials` (parsed apart so that no error message can quote it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    input: String,
    #[serde(default)]
    mode: Option<Mode>,
    #[serde(default)]
    scan_visibility: Option<Visibility>,
    #[serde(default)]
    base_path: Option<String>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    force: bool,
}

/// A validated submission.
struct Submission {
    body: SubmitBody,
    target: Target,
    base_path: Option<String>,
    credentials: Option<Credentials>,
}

/// Parses the body; the `credentials` object is taken out first and checked by hand.
fn parse(bytes: &[u8]) -> Result<(SubmitBody, Option<Credentials>), ApiError> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::invalid(
            "body",
            format!(
                "the body is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let raw_credentials = value
        .as_object_mut()
        .and_then(|o| o.remove("credentials"))
        .filter(|v| !v.is_null());
    let body: SubmitBody = serde_json::from_value(value)
        .map_err(|e| ApiError::invalid("body", format!("invalid scan request: {e}")))?;
    let credentials = raw_credentials.map(credentials).transpose()?;
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
    let data = json!({
        "scan_id": scan.id,
        "canonical_id": canonical,
        "status": scan.status.as_str(),
        "cached": submitted.cached(),
    });
    let mut response = (StatusCode::ACCEPTED, ok(data)).into_response();
    if let Some(snapshot) = snapshot {
        response.extensions_mut().insert(snapshot);
    }
    Ok(response)
}
