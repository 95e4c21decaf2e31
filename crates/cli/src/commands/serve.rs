//! `assay serve`: the REST service with in-process workers.

use std::time::Duration;

use anyhow::{Context, Result};
use assay_engine::{AdvisoryDatabase, CacheMode, Endpoints};
use assay_server::{ServerConfig, Tiers};

use crate::cli::ServeArgs;
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

/// Runs the service until SIGTERM or Ctrl-C.
pub fn run(args: ServeArgs) -> Result<Code> {
    let tiers = match &args.tiers {
        Some(path) => Tiers::load(path).map_err(|e| anyhow::anyhow!(e))?,
        None => Tiers::default(),
    };
    if args.workers == 0 {
        anyhow::bail!("--workers must be at least 1");
    }
    let config = ServerConfig {
        workers: args.workers,
        allow_private_network: args.allow_private_network,
        allow_local_targets: args.allow_local_targets,
        job_budget: Duration::from_secs(args.job_timeout.max(1)),
        lease: Duration::from_secs(args.job_lease.max(1)),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        tiers,
        advisories: match (&args.advisory_db, args.no_advisories) {
            (_, true) => AdvisoryDatabase::Off,
            (Some(dir), false) => AdvisoryDatabase::Dir(dir.clone()),
            (None, false) => AdvisoryDatabase::Default,
        },
        cache: CacheMode::User,
        endpoints: Endpoints::from_env(),
        ..ServerConfig::default()
    };
    let url = database_url(args.database.as_deref())?;
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
