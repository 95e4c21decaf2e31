//! `assay scan TARGET`.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Result;
use assay_core::{Cancel, ProgressEvent, Report, RuleMeta, SuppressionKind};
use assay_engine::baseline::BaselineEntry;
use assay_engine::{
    Baseline, CacheMode, Config, CredentialType, Credentials, Endpoints, FetchOptions,
    NetworkPolicy, ScanRequest, scan,
};
use assay_report::{Format, RenderOptions, render};

use crate::cli::{ScanArgs, ScanFormat};
use crate::exit::Code;
use crate::output::{emit, use_color};
use crate::progress::Progress;

/// Runs a scan and returns the exit code.
pub fn run(args: ScanArgs) -> Result<Code> {
    let config = build_config(&args)?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let progress = Progress::new(!args.quiet && std::io::stderr().is_terminal());
    let report_progress = |event: &ProgressEvent| progress.show(event);
    let fetch = fetch_options(&args)?;
    cancel_on_interrupt(&fetch.cancel);
    let advisories = args.advisories.database();
    let request = ScanRequest {
        target: &args.target,
        fetch: &fetch,
        config: &config,
        baseline: baseline.as_ref(),
        inline_ignores: !args.no_inline_ignores,
        progress: &report_progress,
        generated_at: source_date_epoch(),
        advisories: &advisories,
    };
    let report = scan(&request)?;
    progress.clear();

    let rules: Vec<&'static RuleMeta> = assay_rules::all_rules().iter().map(|r| r.meta()).collect();
    let options = RenderOptions {
        color: use_color(args.color, args.output.is_some()),
        rules: &rules,
    };
    let format = match args.format {
        ScanFormat::Table => Format::Table,
        ScanFormat::Json => Format::Json,
        ScanFormat::Sarif => Format::Sarif,
        ScanFormat::Markdown => Format::Markdown,
        ScanFormat::Cyclonedx => Format::CycloneDx,
    };
    emit(&render(&report, format, &options), args.output.as_deref())?;

    if let Some(path) = &args.write_baseline {
        let baseline = baseline_of(&report);
        std::fs::write(path, baseline.to_json())
            .map_err(|e| anyhow::anyhow!("cannot write baseline {}: {e}", path.display()))?;
        eprintln!(
            "assay: wrote {} fingerprints to {}",
            baseline.findings.len(),
            path.display()
        );
        return Ok(if report.complete {
            Code::Ok
        } else {
            Code::Incomplete
        });
    }

    let fail_on = args.fail_on.or(config.gate.fail_on);
    let min_score = args.min_score.or(config.gate.min_score);
    let mut tripped = Vec::new();
    if let Some(threshold) = fail_on {
        let over = report
            .findings
            .iter()
            .filter(|f| f.severity >= threshold)
            .count();
        if over > 0 {
            tripped.push(format!("{over} finding(s) at or above {threshold}"));
        }
    }
    if let Some(min) = min_score
        && report.score.score < min
    {
        tripped.push(format!("score {} is below {min}", report.score.score));
    }
    if !tripped.is_empty() {
        eprintln!("assay: gate tripped: {}", tripped.join("; "));
        return Ok(Code::GateTripped);
    }
    if !report.complete {
        eprintln!(
            "assay: scan incomplete: {} limit(s) hit, {} entr(ies) skipped — the result is not a clean bill of health",
            report.limits_hit.len(),
            report.skipped.len()
        );
        return Ok(Code::Incomplete);
    }
    Ok(Code::Ok)
}

/// The configuration file merged with command-line overrides.
fn build_config(args: &ScanArgs) -> Result<Config> {
    let mut config = Config::load(args.config.as_deref())?;
    if !args.select.is_empty() {
        config.rules.select = args.select.clone();
    }
    config.rules.ignore.extend(args.ignore.iter().cloned());
    let limits = &mut config.limits;
    limits.max_files = args.max_files.or(limits.max_files);
    limits.max_total_bytes = args.max_total_bytes.or(limits.max_total_bytes);
    limits.max_file_bytes = args.max_file_bytes.or(limits.max_file_bytes);
    limits.max_depth = args.max_depth.or(limits.max_depth);
    limits.max_compression_ratio = args.max_compression_ratio.or(limits.max_compression_ratio);
    Ok(config)
}

/// How to fetch the target: credentials, network policy, cache, `--ref`, `--base-path`.
fn fetch_options(args: &ScanArgs) -> Result<FetchOptions> {
    let credentials = match &args.token {
        Some(token) => {
            let kind = args
                .token_type
                .as_deref()
                .map(str::parse::<CredentialType>)
                .transpose()
                .map_err(|e| anyhow::anyhow!(e))?;
            Some(Credentials::new(kind, args.username.clone(), token)?)
        }
        None => None,
    };
    let mut policy = NetworkPolicy {
        allow_private_network: args.allow_private_network,
        ..NetworkPolicy::default()
    };
    if let Some(max) = args.max_download_bytes {
        policy.max_download_bytes = max;
    }
    if let Some(seconds) = args.fetch_timeout {
        policy.request_timeout = Duration::from_secs(seconds.max(1));
    }
    Ok(FetchOptions {
        policy,
        cache: if args.no_cache {
            CacheMode::Off
        } else {
            CacheMode::User
        },
        credentials,
        endpoints: Endpoints::from_env(),
        reference: args.reference.clone(),
        base_path: args.base_path.clone(),
        cancel: Cancel::new(),
    })
}

/// On the first Ctrl-C, asks the scan to stop (it returns `SCAN_CANCELLED` within about a
/// second, leaving no partial cache entry or git process behind); on a second, exits at
/// once.
fn cancel_on_interrupt(cancel: &Cancel) {
    let cancel = cancel.clone();
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    else {
        return; // Ctrl-C then interrupts the process as usual.
    };
    std::thread::spawn(move || {
        runtime.block_on(async {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            eprintln!("\nassay: cancelling the scan (Ctrl-C again to quit at once)");
            cancel.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        });
    });
}

/// Every finding the baseline should accept: the unsuppressed ones and those the current
/// baseline already accepts (inline and config suppressions stay where they are).
fn baseline_of(report: &Report) -> Baseline {
    let mut baseline = Baseline::from_findings(&report.findings);
    baseline.findings.extend(
        report
            .suppressed
            .iter()
            .filter(|s| s.kind == SuppressionKind::Baseline)
            .map(|s| BaselineEntry {
                fingerprint: s.fingerprint.clone(),
                rule_id: s.rule_id.clone(),
                path: s.location.path.clone(),
            }),
    );
    baseline.findings.sort_by(|a, b| {
        (&a.rule_id, &a.path, &a.fingerprint).cmp(&(&b.rule_id, &b.path, &b.fingerprint))
    });
    baseline
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds convention) fixes the report timestamp, so
/// two scans of the same input are byte-identical.
fn source_date_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    t.format(&time::format_description::well_known::Rfc3339)
        .ok()
}
