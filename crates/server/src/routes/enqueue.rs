//! The shared core of every submission route — Assay's `POST /api/v1/scan`, Enkrypt's
//! `POST /mcp-hub/scan` and MCP Security Score's `{url}` body: validate the target,
//! check credentials and budgets, submit idempotently to the store, hand the credentials
//! to the vault and wake a worker. Front doors only translate their body into an
//! [`Order`] and the outcome into their response.

use assay_source::target::normalize_base_path;
use assay_source::{Credentials, SourceError, Target};
use assay_store::{Mode, NewScan, Owner, Scope, SubmitOrigin, Submitted, Visibility};
use axum::response::Response;
use serde_json::json;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::limits::RateSnapshot;
use crate::state::{AppState, now};

/// A scan request, whichever API it came through.
#[derive(Debug)]
pub struct Order {
    /// The target as typed.
    pub input: String,
    /// A git reference or package version.
    pub reference: Option<String>,
    /// A subdirectory to scan.
    pub base_path: Option<String>,
    /// Fast or deep.
    pub mode: Mode,
    /// Public or private.
    pub visibility: Visibility,
    /// Scan again even when a result exists.
    pub force: bool,
    /// One-shot read credentials (private scans only).
    pub credentials: Option<Credentials>,
}

impl Order {
    /// A fast scan of `input` without options.
    pub fn of(input: String) -> Order {
        Order {
            input,
            reference: None,
            base_path: None,
            mode: Mode::Fast,
            visibility: Visibility::Public,
            force: false,
            credentials: None,
        }
    }
}

/// A submission the store accepted.
#[derive(Debug)]
pub struct Enqueued {
    /// The scan (new, joined or cached) and how it was found.
    pub submitted: Submitted,
    /// The result's canonical id, or the parsed target's until there is a result.
    pub canonical_id: String,
    /// The tightest budget checked, for the `X-RateLimit-*` headers.
    snapshot: Option<RateSnapshot>,
}

impl Enqueued {
    /// `response` with the submission budget attached for the key middleware's headers.
    pub fn finish(&self, mut response: Response) -> Response {
        if let Some(snapshot) = self.snapshot {
            response.extensions_mut().insert(snapshot);
        }
        response
    }
}

/// A source-layer refusal of `field`.
fn target_error(field: &'static str) -> impl Fn(SourceError) -> ApiError {
    move |e| ApiError::Target {
        code: e.code(),
        message: e.to_string(),
        field,
    }
}

/// The target with its reference, and the normalised base path.
fn parse_target(state: &AppState, order: &Order) -> Result<(Target, Option<String>), ApiError> {
    let mut target = Target::parse(&order.input).map_err(target_error("input"))?;
    if let Target::Local { .. } = target
        && !state.config.allow_local_targets
    {
        return Err(ApiError::Target {
            code: "INVALID_TARGET",
            message:
                "local paths are not accepted by this service; give a package, repository or image"
                    .into(),
            field: "input",
        });
    }
    if let Some(reference) = &order.reference {
        target = target
            .with_reference(reference)
            .map_err(target_error("ref"))?;
    }
    let base_path = match &order.base_path {
        Some(raw) => normalize_base_path(raw).map_err(target_error("base_path"))?,
        None => None,
    };
    Ok((target, base_path))
}

/// Everything that can be refused before a budget is charged.
fn validate(
    state: &AppState,
    caller: &Caller,
    order: &Order,
) -> Result<(Target, Option<String>), ApiError> {
    let parsed = parse_target(state, order)?;
    if let Some(credentials) = &order.credentials {
        if order.visibility == Visibility::Public {
            return Err(ApiError::CredentialsPublicScan);
        }
        credentials
            .check(&parsed.0)
            .map_err(|e| ApiError::Credentials {
                code: e.code(),
                message: e.to_string(),
            })?;
    }
    if caller.principal.is_none() {
        if order.visibility == Visibility::Private {
            return Err(ApiError::PrivateRequiresSignin);
        }
        if order.mode == Mode::Deep {
            return Err(ApiError::DeepRequiresSignin);
        }
    }
    Ok(parsed)
}

/// The canonical target key: the parsed target with its reference, and the base path.
fn target_key(target: &Target, base_path: Option<&str>) -> String {
    match base_path {
        Some(base) => format!("{target}//{base}"),
        None => target.to_string(),
    }
}

/// Validates `order`, charges the caller's budgets and queues the scan (or returns the
/// identical one already queued, running or finished).
pub async fn enqueue(
    state: &AppState,
    caller: &Caller,
    order: Order,
) -> Result<Enqueued, ApiError> {
    let principal = caller.permit(Scope::ScanSubmit)?;
    let (target, base_path) = validate(state, caller, &order)?;
    let now = now();
    let snapshot = caller
        .charge
        .submission(state.store.as_ref(), order.mode, order.visibility, now)
        .await?;
    let key = target_key(&target, base_path.as_deref());
    let request = NewScan {
        owner: principal.map(|p| Owner {
            org_id: p.account.org_id.clone(),
            account_id: p.account.id.clone(),
        }),
        input: order.input,
        base_path,
        git_ref: order.reference,
        target_key: key.clone(),
        mode: order.mode,
        visibility: order.visibility,
        engine_version: assay_engine::VERSION.to_string(),
        max_attempts: state.config.max_attempts,
        force: order.force,
    };
    let had_credentials = order.credentials.is_some();
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
            if let Some(credentials) = order.credentials {
                vault.insert(submitted.scan.id.clone(), credentials);
            }
        }
        submitted
    };
    if submitted.origin == SubmitOrigin::Created {
        state.wake.notify_waiters();
    }
    let canonical_id = submitted
        .scan
        .summary
        .as_ref()
        .map_or(key, |s| s.canonical_id.clone());
    Ok(Enqueued {
        submitted,
        canonical_id,
        snapshot,
    })
}
