//! Who is calling: the API-key middleware (Bearer or `X-API-Key`; on Enkrypt's routes also
//! its `apikey` header), the [`Caller`] it
//! leaves in the request, per-route scope checks, and the minute rate limit with its
//! `X-RateLimit-*` headers. Verified keys are remembered briefly ([`crate::keycache`]) and the
//! minute window is counted where the operator chose ([`crate::config::MinuteCounters`]).
//!
//! A presented key that is malformed, unknown, wrong, revoked or expired is answered with
//! one `401 UNAUTHORIZED`, never a downgrade to anonymous. A valid key lacking the route's
//! scope, or used from outside its CIDR allowlist (checked against the TCP peer address;
//! forwarding headers are not trusted), gets one `403 FORBIDDEN`. Errors are answered in
//! the request's [`Dialect`].

use std::net::{IpAddr, SocketAddr};

use assay_store::{KeyCheck, Principal, Scope};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use crate::config::MinuteCounters;
use crate::error::{ApiError, Dialect};
use crate::limits::{Charge, Counter, RateSnapshot};
use crate::state::{AppState, now};

/// The authenticated (or anonymous) caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The key and account, when a key was presented.
    pub principal: Option<Principal>,
    /// The TCP peer address.
    pub ip: IpAddr,
    /// Whose rate counters the request is charged to.
    pub charge: Charge,
}

impl Caller {
    /// The principal, if it may use `scope`; anonymous callers get `401`, keys without
    /// the scope (or outside their CIDR allowlist) `403`.
    pub fn require(&self, scope: Scope) -> Result<&Principal, ApiError> {
        match self.permit(scope)? {
            Some(principal) => Ok(principal),
            None => Err(ApiError::Unauthorized),
        }
    }

    /// Like [`Caller::require`], but anonymous callers pass as `None`.
    pub fn permit(&self, scope: Scope) -> Result<Option<&Principal>, ApiError> {
        match &self.principal {
            None => Ok(None),
            Some(p) if p.key.permits(scope, self.ip) => Ok(Some(p)),
            Some(_) => Err(ApiError::Forbidden),
        }
    }

    /// The caller's org (`None` for anonymous callers).
    pub fn org(&self) -> Option<&str> {
        self.principal.as_ref().map(|p| p.account.org_id.as_str())
    }
}

/// The key presented in `Authorization: Bearer …` or `X-API-Key` (or, in Enkrypt's
/// dialect, `apikey`).
fn presented_key(headers: &HeaderMap, dialect: Dialect) -> Option<&str> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    bearer
        .or_else(|| header("x-api-key"))
        .or_else(|| {
            (dialect == Dialect::Enkrypt)
                .then(|| header("apikey"))
                .flatten()
        })
        .map(str::trim)
}

/// Authenticates the request, charges the minute window, runs the handler and sets the
/// `X-RateLimit-*` headers on keyed responses (errors included).
pub async fn middleware(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = peer.ip().to_canonical();
    let now = now();
    let dialect = request
        .extensions()
        .get::<Dialect>()
        .copied()
        .unwrap_or_default();
    let principal = match presented_key(request.headers(), dialect) {
        None => None,
        Some(key) => match state
            .keys
            .authenticate(state.store.as_ref(), key, now)
            .await
        {
            Ok(KeyCheck::Valid(principal)) => Some(*principal),
            Ok(KeyCheck::Rejected(_)) => return ApiError::Unauthorized.respond(dialect),
            Err(e) => return ApiError::from(e).respond(dialect),
        },
    };
    let tiers = &state.config.tiers;
    let charge = match &principal {
        Some(p) => Charge::keyed(tiers, &p.key.id, &p.account.id, &p.account.tier),
        None => Charge::anonymous(tiers, ip),
    };
    if let Some(p) = &principal
        && let Err(e) = state.keys.touch(state.store.as_ref(), &p.key.id, now).await
    {
        return ApiError::from(e).respond(dialect);
    }
    let keyed = principal.is_some();
    let counter = match state.config.minute_counters {
        MinuteCounters::Local => Counter::Local(&state.counters),
        MinuteCounters::Shared => Counter::Store(state.store.as_ref()),
    };
    let minute = match charge.request(counter, now).await {
        Ok(snapshot) => snapshot,
        Err(e) => return e.respond(dialect),
    };
    request.extensions_mut().insert(Caller {
        principal,
        ip,
        charge,
    });
    let mut response = next.run(request).await;
    if keyed {
        let handler = response.extensions().get::<RateSnapshot>().copied();
        if let Some(snapshot) = minute.map(|m| m.tighter(handler)).or(handler) {
            snapshot.apply(response.headers_mut());
        }
    }
    response
}
