//! `GET /scan/{id}/stream` (public scans, no key) and `GET /api/v1/scan/{id}/stream` (any
//! scan the caller's org may see): the scan's progress events as Server-Sent Events, from
//! the store, resumable with `Last-Event-ID`, with keep-alives; the stream ends after the
//! terminal event (`finished`, `failed` or `cancelled`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use assay_store::{ScanEvent, Scope, Store};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Event kinds after which nothing more comes.
pub const TERMINAL_EVENTS: [&str; 3] = ["finished", "failed", "cancelled"];
/// How often the store is polled for new events.
const POLL: Duration = Duration::from_millis(200);
/// Events read per query.
const BATCH: u32 = 200;

struct Cursor {
    store: Arc<dyn Store>,
    scan_id: String,
    after: u64,
    pending: VecDeque<ScanEvent>,
    done: bool,
}

impl Cursor {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Cursor)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.after = event.seq;
                self.done = TERMINAL_EVENTS.contains(&event.kind.as_str());
                let sse = Event::default()
                    .id(event.seq.to_string())
                    .event(event.kind)
                    .data(event.payload.to_string());
                return Some((Ok(sse), self));
            }
            if self.done {
                return None;
            }
            match self
                .store
                .events_after(&self.scan_id, self.after, BATCH)
                .await
            {
                Ok(events) if !events.is_empty() => self.pending.extend(events),
                Ok(_) => {
                    // A scan that ended without a terminal event (abandoned) ends the stream.
                    match self.store.scan(&self.scan_id).await {
                        Ok(Some(scan)) if !scan.status.is_terminal() => {
                            tokio::time::sleep(POLL).await
                        }
                        Ok(Some(_)) => {
                            let more = self
                                .store
                                .events_after(&self.scan_id, self.after, BATCH)
                                .await
                                .unwrap_or_default();
                            if more.is_empty() {
                                return None;
                            }
                            self.pending.extend(more);
                        }
                        _ => return None,
                    }
                }
                Err(e) => {
                    eprintln!("assay serve: event stream of {}: {e}", self.scan_id);
                    return None;
                }
            }
        }
    }
}

/// `GET /scan/{id}/stream`: public scans only (no key).
#[utoipa::path(
    get,
    path = "/scan/{id}/stream",
    operation_id = "streamScan",
    tag = "public",
    summary = "A public scan's progress as Server-Sent Events",
    description = "One event per progress step (`queued`, `running`, `started`, `resolved`, `download`, \
        `phase`, `files`) and one terminal event (`finished`, `failed` or `cancelled`), after which the \
        stream ends. Every event has an `id` (1, 2, 3…) and JSON `data`; a keep-alive comment comes \
        every 15 s.",
    params(
        ("id" = String, Path, description = "The scan's id."),
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event."),
    ),
    security(()),
    responses(
        (status = 200, description = "The event stream.", content_type = "text/event-stream", body = String),
        (status = 400, description = "`INVALID_INPUT`: `Last-Event-ID` is not an event number.",
            body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such scan, or a private one.", body = ErrorEnvelope),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    events(&state, id, None, &headers).await
}

/// `GET /api/v1/scan/{id}/stream`: any scan the caller's org may see.
#[utoipa::path(
    get,
    path = "/api/v1/scan/{id}/stream",
    tag = "scans",
    summary = "A scan's progress as Server-Sent Events, private scans included",
    description = "The same events as `GET /scan/{id}/stream`, for any scan the caller's org may see: \
        its own private scans and every public one. Without a key, public scans only.",
    params(
        ("id" = String, Path, description = "The scan's id."),
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event."),
    ),
    security((), ("bearer" = ["scan:get"]), ("api_key" = ["scan:get"])),
    responses(
        (status = 200, description = "The event stream.", content_type = "text/event-stream", body = String),
        (status = 400, description = "`INVALID_INPUT`: `Last-Event-ID` is not an event number.",
            body = ErrorEnvelope),
        (status = 403, description = "`FORBIDDEN`: the key lacks `scan:get` or the caller is outside \
            its CIDR allowlist.", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such scan, or a private scan of another org.",
            body = ErrorEnvelope),
    )
)]
pub async fn stream_keyed(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    caller.permit(Scope::ScanGet)?;
    events(&state, id, caller.org(), &headers).await
}

/// The event stream of scan `id` if a viewer from `org` (`None`: anonymous) may see it,
/// after the `Last-Event-ID` in `headers`.
async fn events(
    state: &AppState,
    id: String,
    org: Option<&str>,
    headers: &HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>, ApiError> {
    state
        .store
        .scan_for(&id, org)
        .await?
        .ok_or(ApiError::NotFound("scan"))?;
    let after = match headers.get("last-event-id") {
        None => 0,
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or_else(|| ApiError::invalid("Last-Event-ID", "expected an event number"))?,
    };
    let cursor = Cursor {
        store: Arc::clone(&state.store),
        scan_id: id,
        after,
        pending: VecDeque::new(),
        done: false,
    };
    let events = futures_util::stream::unfold(cursor, Cursor::next);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
