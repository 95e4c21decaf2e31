//! The Assay service: the REST API over the scan pipeline (MCPSafe's shapes and
//! envelope), API keys with scopes, expiry, revocation and CIDR allowlists, per-key and
//! per-account rate limits by tier, private scans visible to their org only, SSE progress,
//! and in-process workers over the store's leased job queue.
//!
//! [`serve`] runs it on a listener until a shutdown signal; [`router`] is the bare app.

pub mod auth;
pub mod comparison;
pub mod config;
pub mod counters;
pub mod error;
pub mod keycache;
pub mod limits;
pub mod metrics;
pub mod openapi;
mod routes;
pub mod running;
pub mod state;
pub mod vault;
pub mod views;
pub mod worker;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use assay_store::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{MinuteCounters, ServerConfig};
pub use error::ApiError;
pub use limits::{Tier, Tiers};
pub use routes::{TERMINAL_EVENTS, router};
pub use state::AppState;

/// Serves the API on `listener` with in-process workers until `shutdown` resolves, then
/// stops accepting, lets running jobs finish within the grace period (or releases them
/// to the queue) and returns.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = AppState::new(store, config);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = worker::spawn(&state, stop_rx);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let signalled = async move {
        shutdown.await;
        eprintln!("assay serve: shutting down: no new requests; finishing running scans");
        let _ = stop_tx.send(true);
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(signalled)
        .await;
    join(workers).await;
    served
}

/// Runs `config.workers` workers over `store`, without HTTP (`assay worker`), until
/// `shutdown` resolves; then, as in [`serve`], running jobs get the grace period to
/// finish before they are released to the queue.
pub async fn work(
    store: Arc<dyn Store>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let state = AppState::new(store, config);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = worker::spawn(&state, stop_rx);
    shutdown.await;
    eprintln!("assay worker: shutting down: finishing running scans");
    let _ = stop_tx.send(true);
    join(workers).await;
}

async fn join(handles: Vec<JoinHandle<()>>) {
    for handle in handles {
        let _ = handle.await;
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
