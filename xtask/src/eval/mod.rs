//! `cargo run -p xtask -- eval [corpus]`: scans every server of the labelled corpus with
//! the real engine and reports precision and recall per rule family.
//!
//! The runner is thin: [`manifest`] reads the labels, the engine scans, [`metrics`] scores
//! and [`output`] prints. See `corpus/README.md` for the format and the counting rules.

mod manifest;
mod metrics;
mod output;

use std::path::Path;

use anyhow::{Context, Result};
use assay_core::Finding;
use assay_engine::{AdvisoryDatabase, Config, FetchOptions, ScanRequest, scan};

use manifest::Manifest;
use metrics::{BenignRun, CaseRun, Observed, evaluate};

/// A fixed report timestamp: the eval must not depend on the clock or `SOURCE_DATE_EPOCH`.
const GENERATED_AT: &str = "1970-01-01T00:00:00Z";

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct EvalArgs {
    /// The corpus root.
    pub corpus: std::path::PathBuf,
    /// Print JSON instead of tables.
    pub json: bool,
    /// Fail below this overall precision.
    pub min_precision: Option<f64>,
    /// Fail below this overall recall.
    pub min_recall: Option<f64>,
}

/// Runs the eval; returns whether every gate passed.
pub fn run(args: &EvalArgs) -> Result<bool> {
    let manifest = Manifest::load(&args.corpus)?;
    let config = Config::default();
    // The corpus brings its own advisories (OSV records under `advisories/`), imported
    // through the same code path `assay db import` uses, so the dependency cases do not
    // depend on whatever database the machine has.
    let database_dir = tempfile::tempdir()?;
    let advisories_dir = args.corpus.join("advisories");
    let advisories = if advisories_dir.is_dir() {
        assay_advisory::db::import(
            database_dir.path(),
            &[assay_advisory::db::Input::path(&advisories_dir)],
            &assay_advisory::db::ImportLimits::default(),
            &mut |_| {},
        )
        .with_context(|| format!("importing {}", advisories_dir.display()))?;
        AdvisoryDatabase::Dir(database_dir.path().to_path_buf())
    } else {
        AdvisoryDatabase::Off
    };
    let config = &config;
    let advisories = &advisories;
    let cases = manifest
        .cases
        .iter()
        .map(|case| {
            let dir = Path::new("cases").join(&case.id);
            Ok(CaseRun {
                id: case.id.clone(),
                expect: case.expect.clone(),
                vulnerable: scan_dir(&args.corpus, &dir.join("vulnerable"), config, advisories)?,
                fixed: scan_dir(&args.corpus, &dir.join("fixed"), config, advisories)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let benign = manifest
        .benign
        .iter()
        .map(|server| {
            let dir = Path::new("benign").join(&server.id);
            Ok(BenignRun {
                id: server.id.clone(),
                findings: scan_dir(&args.corpus, &dir, config, advisories)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let evaluation = evaluate(&cases, &benign);
    let failures = output::gate_failures(&evaluation, &manifest, args);
    let text = if args.json {
        output::json(&evaluation, &manifest, &failures)
    } else {
        output::text(&evaluation, &manifest, &failures)
    };
    print!("{text}");
    Ok(failures.is_empty())
}

/// Scans `corpus/relative` and reduces its findings to what the eval compares. Locations
/// are made relative to the corpus root so the listing can be opened directly.
fn scan_dir(
    corpus: &Path,
    relative: &Path,
    config: &Config,
    advisories: &AdvisoryDatabase,
) -> Result<Vec<Observed>> {
    let target = corpus.join(relative);
    let target_str = target.to_string_lossy();
    let request = ScanRequest {
        target: &target_str,
        fetch: &FetchOptions::default(),
        config,
        baseline: None,
        inline_ignores: false,
        progress: &|_| {},
        generated_at: Some(GENERATED_AT.to_string()),
        advisories,
    };
    let report = scan(&request).with_context(|| format!("scanning {}", target.display()))?;
    if !report.complete {
        anyhow::bail!(
            "scan of {} was incomplete: {:?}",
            target.display(),
            report.limits_hit
        );
    }
    let prefix = relative.to_string_lossy().replace('\\', "/");
    let mut observed: Vec<Observed> = report
        .findings
        .iter()
        .map(|finding| observe(&prefix, finding))
        .collect();
    observed.sort();
    Ok(observed)
}

fn observe(prefix: &str, finding: &Finding) -> Observed {
    let loc = &finding.location;
    Observed {
        rule_id: finding.rule_id.clone(),
        family: finding.family,
        severity: finding.severity,
        location: format!("{prefix}/{}:{}:{}", loc.path, loc.line, loc.column),
        message: finding.message.clone(),
    }
}
