//! The operator's settings for one `assay serve` process.

use std::time::Duration;

use assay_engine::{AdvisoryDatabase, CacheMode, Endpoints};

use crate::limits::Tiers;

/// How the service runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// In-process workers (concurrent scans).
    pub workers: usize,
    /// Let targets resolve to loopback, private, link-local and metadata addresses. Off
    /// by default: the service must not be an SSRF tool.
    pub allow_private_network: bool,
    /// Accept local paths (`./dir`, `path:…`, archives on the server's disk) as targets.
    /// Off by default: a caller must not be able to read the server's files.
    pub allow_local_targets: bool,
    /// Wall-clock budget of one scan.
    pub job_budget: Duration,
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
    /// Claims allowed per job before it is abandoned.
    pub max_attempts: u32,
    /// How long running jobs may take to finish on shutdown before they are released.
    pub shutdown_grace: Duration,
    /// How often an idle worker looks for work when not woken.
    pub poll_interval: Duration,
    /// Rate-limit tiers.
    pub tiers: Tiers,
    /// How long a verified API key is remembered (zero: check the database on every
    /// request). A revoked key keeps working for at most this long.
    pub key_cache_ttl: Duration,
    /// Where the per-request minute window is counted.
    pub minute_counters: MinuteCounters,
    /// The advisory database scans match dependencies against.
    pub advisories: AdvisoryDatabase,
    /// The download cache.
    pub cache: CacheMode,
    /// Registry endpoints.
    pub endpoints: Endpoints,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            workers: 2,
            allow_private_network: false,
            allow_local_targets: false,
            job_budget: Duration::from_secs(600),
            lease: Duration::from_secs(60),
            max_attempts: 3,
            shutdown_grace: Duration::from_secs(20),
            poll_interval: Duration::from_millis(500),
            tiers: Tiers::default(),
            key_cache_ttl: Duration::from_secs(5),
            minute_counters: MinuteCounters::Local,
            advisories: AdvisoryDatabase::Default,
            cache: CacheMode::User,
            endpoints: Endpoints::default(),
        }
    }
}

/// Where the per-request minute window is counted (scan budgets always live in the
/// database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinuteCounters {
    /// In this process's memory: exact for a single API process (the SQLite deployment),
    /// per-process with several.
    Local,
    /// In the database: exact across every API process on a shared PostgreSQL, at the
    /// cost of two writes per keyed request.
    Shared,
}

impl std::str::FromStr for MinuteCounters {
    type Err = String;

    /// `local` or `shared`.
    fn from_str(s: &str) -> Result<MinuteCounters, String> {
        match s {
            "local" => Ok(MinuteCounters::Local),
            "shared" => Ok(MinuteCounters::Shared),
            other => Err(format!("expected `local` or `shared`, not {other:?}")),
        }
    }
}
