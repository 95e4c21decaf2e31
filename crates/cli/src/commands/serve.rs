//! `assay serve`: the REST service with in-process workers; `assay worker`: workers only,
//! on a PostgreSQL database shared with `assay serve` processes.

use std::time::Duration;

use anyhow::{Context, Result};
use assay_engine::{CacheMode, Endpoints};
use assay_server::{MinuteCounters, ServerConfig, Tiers};
use assay_store::Backend;

use crate::cli::{JobArgs, ServeArgs, WorkerArgs};
use crate::exit::Code;

/// The database URL: `--database`, else SQLite in the data directory.
pub fn database_url(given: Option<&str>) -> Result<String> {
    match given {
        Some(url) => Ok(url.to_string()),
        None => {
            let url = assay_store::default_url()?;
            if let Some(path) = url
                .strip_prefix("sqlite://")
                .and_then(|rest| rest.split('?').next())
                .and_then(|file| std::path::Path::new(file).parent())
            {
                std::fs::create_dir_all(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
            }
            Ok(url)
        }
    }
}

/// A multi-threaded runtime for the service.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// The settings `serve` and `worker` share, over `base`.
fn job_config(jobs: &JobArgs, base: ServerConfig) -> ServerConfig {
    ServerConfig {
        workers: jobs.workers,
        allow_private_network: jobs.allow_private_network,
        job_budget: Duration::from_secs(jobs.job_timeout.max(1)),
        lease: Duration::from_secs(jobs.job_lease.max(1)),
        shutdown_grace: Duration::from_secs(jobs.shutdown_grace),
        advisories: jobs.advisories.database(),
        cache: CacheMode::User,
        endpoints: Endpoints::from_env(),
        ..base
    }
}

/// Runs the service until SIGTERM or Ctrl-C.
pub fn run(args: ServeArgs) -> Result<Code> {
    let tiers = match &args.tiers {
        Some(path) => Tiers::load(path).map_err(|e| anyhow::anyhow!(e))?,
        None => Tiers::default(),
    };
    let url = database_url(args.jobs.database.as_deref())?;
    if args.jobs.workers == 0 && Backend::of_url(&url) != Some(Backend::Postgres) {
        anyhow::bail!(
            "--workers 0 leaves every job to `assay worker` processes, which need PostgreSQL; \
             with SQLite, run at least one worker in `assay serve`"
        );
    }
    let config = job_config(
        &args.jobs,
        ServerConfig {
            allow_local_targets: args.allow_local_targets,
            tiers,
            key_cache_ttl: Duration::from_secs(args.key_cache_ttl),
            minute_counters: args.rate_counters.unwrap_or(
                // One SQLite process sees all of its traffic; PostgreSQL may have several.
                if Backend::of_url(&url) == Some(Backend::Postgres) {
                    MinuteCounters::Shared
                } else {
                    MinuteCounters::Local
                },
            ),
            ..ServerConfig::default()
        },
    );
    runtime()?.block_on(async move {
        let store = assay_store::open(&url).await?;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!(
            "assay serve: listening on http://{} with {} worker(s)",
            listener.local_addr()?,
            config.workers
        );
        assay_server::serve(listener, store, config, assay_server::shutdown_signal()).await?;
        eprintln!("assay serve: stopped");
        Ok(Code::Ok)
    })
}

/// Runs workers without HTTP until SIGTERM or Ctrl-C. PostgreSQL only: SQLite is one
/// file with one writer, so its workers belong inside `assay serve`, where they share the
/// connection and are woken by submissions.
pub fn run_worker(args: WorkerArgs) -> Result<Code> {
    let url = database_url(args.jobs.database.as_deref())?;
    if Backend::of_url(&url) != Some(Backend::Postgres) {
        anyhow::bail!(
            "`assay worker` needs a PostgreSQL database shared with `assay serve` \
             (--database postgres://…); with SQLite, run the workers inside `assay serve` \
             (--workers N)"
        );
    }
    if args.jobs.workers == 0 {
        anyhow::bail!("--workers must be at least 1");
    }
    let config = job_config(&args.jobs, ServerConfig::default());
    runtime()?.block_on(async move {
        let store = assay_store::open(&url).await?;
        eprintln!("assay worker: running {} worker(s)", config.workers);
        assay_server::work(store, config, assay_server::shutdown_signal()).await;
        eprintln!("assay worker: stopped");
        Ok(Code::Ok)
    })
}
