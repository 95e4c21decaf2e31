use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use assay_core::{
    Finding, FindingCounts, Inventory, LimitHit, PackageInfo, ProgressEvent, Report, ReportTool,
    SCHEMA_VERSION, ScanStats, SuppressionKind, TargetInfo, UnusedSuppression,
};
use assay_rules::ignore::InlineIgnore;
use assay_rules::lang::ParseBudget;
use assay_rules::taint::FileSummary;
use assay_rules::timings::{self, Phase};
use assay_rules::{
    DependencyFacts, FileAnalysis, HandlerImports, RuleSet, analyze_dependencies, analyze_file,
    analyze_package, analyze_surface, find_rule,
};
use assay_source::{FetchOptions, SourceError};
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::dependencies::{self, AdvisoryDatabase, DependencyInputs};
use crate::scoring::{score_finding, score_package};
use crate::{EngineError, VERSION, suppress};

/// Everything one scan needs.
pub struct ScanRequest<'a> {
    /// The target as the user typed it (see [`assay_source::Target::parse`]).
    pub target: &'a str,
    /// How to fetch a remote target (and `--ref`, `--base-path`, credentials). Its
    /// `cancel` token stops the whole scan, not only the fetch: see [`scan`].
    pub fetch: &'a FetchOptions,
    /// The configuration.
    pub config: &'a Config,
    /// Accepted findings, if a baseline is in use.
    pub baseline: Option<&'a Baseline>,
    /// Whether `assay-ignore` comments in the target are honoured. They are meant for
    /// maintainers scanning their own code; turn them off when vetting third-party code
    /// (a hostile package could otherwise silence findings about itself).
    pub inline_ignores: bool,
    /// Receives progress events (from several threads).
    pub progress: &'a (dyn Fn(&ProgressEvent) + Sync),
    /// The report timestamp (RFC 3339). `None` means now.
    pub generated_at: Option<String>,
    /// The advisory database to match dependencies against.
    pub advisories: &'a AdvisoryDatabase,
}

/// How often (in files) a `Files` progress event is emitted.
const PROGRESS_EVERY: u64 = 500;

/// The per-file results the pipeline keeps after the file's bytes are dropped.
struct FileResult {
    path: String,
    analysis: FileAnalysis,
    /// The content, kept for the dependency check when the file is a dependency file.
    dependency_file: Option<Vec<u8>>,
}

/// Runs one scan end to end.
///
/// Setting the request's cancellation token (`request.fetch.cancel`) stops the scan
/// within a fraction of a second wherever it is — waiting on a server, downloading,
/// running git, reading files (no more are read), between phases — and it returns
/// [`EngineError::Cancelled`].
pub fn scan(request: &ScanRequest<'_>) -> Result<Report, EngineError> {
    let cancel = &request.fetch.cancel;
    run(request).map_err(|e| match e {
        _ if cancel.is_cancelled() => EngineError::Cancelled,
        e => e,
    })
}

fn run(request: &ScanRequest<'_>) -> Result<Report, EngineError> {
    let started = Instant::now();
    let cancel = &request.fetch.cancel;
    cancel.check()?;
    if std::env::var_os("ASSAY_TIMINGS").is_some_and(|v| v == "1") {
        timings::enable();
    }
    let config = request.config;
    (request.progress)(&ProgressEvent::Started {
        target: request.target.to_string(),
    });

    let rules = RuleSet::filtered(|meta| config.rule_selected(meta));
    let excludes = Arc::new(config.exclude_set());
    let exclude_used: Arc<Vec<AtomicBool>> = Arc::new(
        (0..config.paths.exclude.len())
            .map(|_| AtomicBool::new(false))
            .collect(),
    );
    let exclude = {
        let excludes = Arc::clone(&excludes);
        let used = Arc::clone(&exclude_used);
        Arc::new(move |path: &str| {
            let hits = excludes.matches(path);
            for i in &hits {
                used[*i].store(true, Ordering::Relaxed);
            }
            !hits.is_empty()
        })
    };

    let prepared = assay_source::prepare(request.target, request.fetch, request.progress)?;
    cancel.check()?;
    let mut reader = prepared.open(&config.source_limits(), exclude)?;
    (request.progress)(&ProgressEvent::Phase {
        name: "analysing".into(),
    });
    let budget = ParseBudget::default();
    let done = AtomicU64::new(0);
    let done_bytes = AtomicU64::new(0);
    // A cancelled scan reads no further: the files in flight finish, the rest are left.
    let timed_reader = std::iter::from_fn(|| {
        if cancel.is_cancelled() {
            return None;
        }
        let mut clock = timings::start();
        let entry = reader.next();
        timings::lap(&mut clock, Phase::Read);
        entry
    });
    let results: Vec<FileResult> = timed_reader
        .par_bridge()
        .map(|entry| {
            let analysis = analyze_file(&entry.path, &entry.bytes, &rules, &budget);
            let dependency_file =
                DependencyInputs::wants(&entry.path, &entry.bytes).then(|| entry.bytes.clone());
            let bytes = entry.bytes.len() as u64;
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            let total_bytes = done_bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
            if n.is_multiple_of(PROGRESS_EVERY) {
                (request.progress)(&ProgressEvent::Files {
                    done: n,
                    bytes: total_bytes,
                });
            }
            FileResult {
                path: entry.path,
                analysis,
                dependency_file,
            }
        })
        .collect();
    let summary = reader.summary();
    cancel.check()?;
    if let Some(base) = &prepared.base_path
        && summary.files == 0
        && summary.skipped.is_empty()
    {
        return Err(EngineError::Source(SourceError::RemoteNotFound {
            what: format!("base path `{base}` in {}", prepared.canonical_id),
            hint: Some("the directory does not exist or is empty".into()),
        }));
    }

    (request.progress)(&ProgressEvent::Phase {
        name: "surface".into(),
    });
    let mut merged = Merged::default();
    for result in results {
        merged.add(result);
    }
    merged.inventory.sort();
    merged.packages.sort_by(|a, b| a.manifest.cmp(&b.manifest));
    merged
        .findings
        .extend(analyze_surface(&merged.inventory, &rules));
    // Summaries arrive in completion order; linking sorts its output.
    merged
        .findings
        .extend(analyze_package(&merged.inventory, &merged.taint, &rules));

    cancel.check()?;
    (request.progress)(&ProgressEvent::Phase {
        name: "dependencies".into(),
    });
    let dependency_inputs = std::mem::take(&mut merged.dependency_inputs);
    let resolved_version = prepared
        .resolution
        .as_ref()
        .and_then(|r| r.version.as_deref());
    let mut supply = dependencies::check(
        dependency_inputs,
        &merged.packages,
        resolved_version,
        request.advisories,
    );
    let facts = DependencyFacts::new(
        &supply.dependencies,
        &supply.advisories,
        &merged.packages,
        &supply.package_advisories,
        &supply.typosquats,
        &supply.handler_imports,
    );
    merged.findings.extend(analyze_dependencies(&facts, &rules));

    let mut limits_hit = summary.limits_hit;
    limits_hit.extend(merged.file_limits);
    let skipped = summary.skipped;
    let errors = std::mem::take(&mut supply.errors);
    let complete = limits_hit.iter().all(|l| !l.kind.makes_incomplete())
        && skipped.iter().all(|s| !s.reason.makes_incomplete())
        && errors.is_empty();

    cancel.check()?;
    (request.progress)(&ProgressEvent::Phase {
        name: "scoring".into(),
    });
    let mut findings = merged.findings;
    for finding in &mut findings {
        if let Some(severity) = config.severity_override(&finding.rule_id) {
            finding.severity = severity;
        }
        // The rule's vector describes its default severity; a finding whose severity was
        // changed (by `assay.toml`, or by the rule for this case) uses that severity's
        // canonical vector instead.
        let meta = find_rule(&finding.rule_id).map(|r| r.meta());
        let vector = meta.map_or("", |m| m.cvss_vector);
        let adjusted = meta.is_none_or(|m| m.severity != finding.severity);
        finding.aivss = Some(score_finding(finding, vector, adjusted));
    }
    sort_findings(&mut findings);
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.location == b.location);

    let inline: &[InlineIgnore] = if request.inline_ignores {
        &merged.ignores
    } else {
        &[]
    };
    let mut filtered = suppress::apply(findings, config, inline, request.baseline);
    for (pattern, used) in config.paths.exclude.iter().zip(exclude_used.iter()) {
        if !used.load(Ordering::Relaxed) {
            filtered.unused.push(UnusedSuppression {
                kind: SuppressionKind::Config,
                entry: format!("paths.exclude = \"{pattern}\""),
                location: None,
            });
        }
    }
    let score = score_package(&filtered.kept, complete);
    if timings::enabled() {
        print_timings(summary.files, summary.bytes, started.elapsed());
    }
    (request.progress)(&ProgressEvent::Finished {
        findings: filtered.kept.len() as u64,
        score: score.score,
    });

    Ok(Report {
        schema_version: SCHEMA_VERSION.to_string(),
        tool: ReportTool {
            name: "assay".into(),
            version: VERSION.into(),
            rules_enabled: u32::try_from(rules.len()).unwrap_or(u32::MAX),
        },
        generated_at: request.generated_at.clone().unwrap_or_else(now_rfc3339),
        target: TargetInfo {
            input: request.target.to_string(),
            kind: prepared.kind.as_str().to_string(),
            canonical_id: prepared.canonical_id.clone(),
            digest: summary.digest,
            resolved: prepared.resolution.clone(),
            base_path: prepared.base_path.clone(),
        },
        complete,
        limits_hit,
        skipped,
        errors,
        stats: ScanStats {
            files: summary.files,
            bytes: summary.bytes,
            languages: merged.languages,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
        packages: merged.packages,
        dependency_check: supply.check,
        advisories: supply
            .package_advisories
            .into_iter()
            .chain(supply.advisories)
            .collect(),
        dependencies: supply.dependencies,
        inventory: merged.inventory,
        score,
        counts: FindingCounts::of(&filtered.kept),
        findings: filtered.kept,
        suppressed: filtered.suppressed,
        unused_suppressions: filtered.unused,
    })
}

/// Prints the cumulative time of each phase (CPU time summed over threads; for `read`, the
/// time threads waited for input) with its throughput (`ASSAY_TIMINGS=1`).
fn print_timings(files: u64, bytes: u64, wall: std::time::Duration) {
    let mb = bytes as f64 / 1e6;
    eprintln!(
        "assay timings: {files} files, {mb:.1} MB, wall {:.3} s",
        wall.as_secs_f64()
    );
    for (phase, spent) in timings::totals() {
        let secs = spent.as_secs_f64().max(1e-9);
        eprintln!(
            "  {:<8} {:>8.3} s {:>10.1} MB/s {:>10.0} files/s",
            phase.name(),
            spent.as_secs_f64(),
            mb / secs,
            files as f64 / secs
        );
    }
}

/// Per-file results folded together.
#[derive(Default)]
struct Merged {
    findings: Vec<Finding>,
    inventory: Inventory,
    packages: Vec<PackageInfo>,
    ignores: Vec<InlineIgnore>,
    languages: BTreeMap<String, u64>,
    file_limits: Vec<LimitHit>,
    taint: Vec<FileSummary>,
    dependency_inputs: DependencyInputs,
}

impl Merged {
    fn add(&mut self, result: FileResult) {
        let FileResult {
            path,
            mut analysis,
            dependency_file,
        } = result;
        if let Some(content) = dependency_file {
            self.dependency_inputs.add_file(path.clone(), content);
        }
        if !analysis.imports.is_empty() {
            self.dependency_inputs.add_imports(HandlerImports {
                path: path.clone(),
                tools: analysis
                    .inventory
                    .tools
                    .iter()
                    .map(|t| t.name.clone())
                    .collect(),
                imports: std::mem::take(&mut analysis.imports),
            });
        }
        let language = analysis.language.map_or("binary", |l| l.as_str());
        *self.languages.entry(language.to_string()).or_default() += 1;
        self.file_limits.extend(analysis.limits_hit);
        self.findings.extend(analysis.findings);
        self.inventory.extend(analysis.inventory);
        self.packages.extend(analysis.package);
        self.ignores.extend(analysis.ignores);
        if !analysis.taint.is_empty() {
            self.taint.push(analysis.taint);
        }
    }
}

/// Worst first, then by location and rule, so reports are deterministic.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
