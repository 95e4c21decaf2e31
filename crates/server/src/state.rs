//! What every handler and worker shares.

use std::sync::Arc;

use assay_store::Store;
use tokio::sync::Notify;

use crate::config::ServerConfig;
use crate::counters::LocalCounters;
use crate::keycache::KeyCache;
use crate::metrics::Metrics;
use crate::running::Running;
use crate::vault::Vault;

/// The shared state.
#[derive(Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// The operator's settings.
    pub config: Arc<ServerConfig>,
    /// Credentials in flight.
    pub vault: Arc<Vault>,
    /// Wakes idle workers when a job is queued.
    pub wake: Arc<Notify>,
    /// The jobs this process's workers are running, with the tokens that stop them.
    pub running: Arc<Running>,
    /// This process's metrics.
    pub metrics: Arc<Metrics>,
    /// Recently verified API keys.
    pub keys: Arc<KeyCache>,
    /// Minute windows counted in memory (when configured so).
    pub counters: Arc<LocalCounters>,
}

impl AppState {
    /// State over `store` with `config`.
    pub fn new(store: Arc<dyn Store>, config: ServerConfig) -> AppState {
        AppState {
            store,
            keys: Arc::new(KeyCache::new(config.key_cache_ttl)),
            counters: Arc::new(LocalCounters::default()),
            config: Arc::new(config),
            vault: Arc::new(Vault::default()),
            wake: Arc::new(Notify::new()),
            running: Arc::new(Running::default()),
            metrics: Arc::new(Metrics::default()),
        }
    }
}

/// The current time (UTC).
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}
