//! Turns candidates into findings, redacted at the source: no snippet, message or
//! evidence ever holds a secret in the clear, whichever rule or line it comes from.

use std::ops::Range;

use assay_core::{Confidence, Evidence, Finding, Location, RuleMeta};

use super::candidate::{Candidate, Kind, MAX_SECRET_LEN, resolve};
use super::entropy::shannon;
use super::locate::Locator;
use super::window;
use crate::PathContext;
use crate::registry::{FileContext, new_finding};
use crate::text::{MAX_SNIPPET_CHARS, redact, redact_in, snippet};

/// Most findings one rule reports for one file. A generated file with thousands of
/// secrets is one problem, not thousands; the last finding reported says how many more
/// there are.
pub const MAX_FINDINGS_PER_FILE: usize = 1000;

/// Runs the scanner of `kind` over `file` and appends one finding per secret it alone
/// claims (at most [`MAX_FINDINGS_PER_FILE`]). This is the whole `check_file` of every
/// `AS6xx` rule.
pub fn check(meta: &'static RuleMeta, kind: Kind, file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let mut resolved = resolve(kind, file.text, file.path);
    resolved.own.sort_by_key(|c| (c.span.start, c.span.end));
    let more = resolved.own.len().saturating_sub(MAX_FINDINGS_PER_FILE);
    resolved.own.truncate(MAX_FINDINGS_PER_FILE);
    let context = effective_context(file);
    let mut locator = Locator::new(file.path, file.text);
    for candidate in &resolved.own {
        let location = locator.location(candidate.span.start, candidate.span.end);
        out.push(to_finding(
            meta,
            file,
            context,
            candidate,
            location,
            &resolved.all_secrets,
        ));
    }
    if more > 0
        && let Some(last) = out.last_mut()
    {
        last.evidence.push(Evidence::new(
            "further matches in this file",
            format!("{more} more, not reported one by one"),
        ));
    }
}

/// The file's path context, refined by file name: configuration templates and example
/// files (`.env.example`, `config.sample.yaml`, `examples-1.json`, `sample_settings.py`)
/// count as examples, and Python package metadata (`PKG-INFO`, `*.dist-info/METADATA`,
/// which hold the README) as documentation, wherever they are.
fn effective_context(file: &FileContext<'_>) -> PathContext {
    if file.context.is_non_production() {
        return file.context;
    }
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    if name == "PKG-INFO" || (name == "METADATA" && file.path.contains(".dist-info/")) {
        return PathContext::Docs;
    }
    let name = name.to_ascii_lowercase();
    let mut parts = name.split('.');
    let stem = parts.next().unwrap_or("");
    let example_stem = ["examples", "example", "samples", "sample"]
        .iter()
        .any(|p| {
            stem.strip_prefix(p)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        });
    let template =
        parts.any(|part| matches!(part, "example" | "sample" | "template" | "dist" | "tmpl"));
    if example_stem || template {
        PathContext::Example
    } else {
        file.context
    }
}

fn context_phrase(context: PathContext) -> &'static str {
    match context {
        PathContext::Production => "shipped code",
        PathContext::Test => "test code",
        PathContext::Example => "an example or template",
        PathContext::Docs => "documentation",
    }
}

fn to_finding(
    meta: &'static RuleMeta,
    file: &FileContext<'_>,
    context: PathContext,
    candidate: &Candidate,
    location: Location,
    all_secrets: &[Range<usize>],
) -> Finding {
    let secret = &file.text[candidate.secret.clone()];
    let message = match &candidate.subject {
        Some(subject) => format!(
            "{} in `{subject}`, hard-coded in {}",
            candidate.detector,
            context_phrase(context)
        ),
        None => format!(
            "{} hard-coded in {}",
            candidate.detector,
            context_phrase(context)
        ),
    };
    let mut finding = new_finding(
        meta,
        location,
        redacted_snippet(file.text, &candidate.span, all_secrets),
        message,
    );
    finding.confidence = if context.is_non_production() {
        Confidence::Low
    } else {
        candidate.confidence
    };
    if let Some(severity) = candidate.severity {
        finding.severity = severity;
    }
    finding.evidence = vec![
        Evidence::new("secret", redact(secret)),
        Evidence::new("detector", candidate.detector),
        Evidence::new("entropy", format!("{:.2} bits/char", shannon(secret))),
    ];
    finding.evidence.extend(candidate.notes.iter().cloned());
    if context.is_non_production() {
        finding
            .evidence
            .push(Evidence::new("path context", context_phrase(context)));
    }
    finding
}

/// How far before a finding's span its snippet can reach: [`snippet`] starts at most
/// 80 characters (of up to 4 bytes) before it.
const SNIPPET_BEFORE: usize = 80 * 4;

/// How far after a finding's span its snippet can reach: [`snippet`] shows at most
/// `MAX_SNIPPET_CHARS` (240) characters.
const SNIPPET_AFTER: usize = MAX_SNIPPET_CHARS * 4;

/// The snippet of `span` with every secret on its lines replaced by its redacted form
/// (and any other occurrence of those secrets' text, for good measure).
fn redacted_snippet(text: &str, span: &Range<usize>, secrets: &[Range<usize>]) -> String {
    let window = window::around(text, span.start, span.end, SNIPPET_BEFORE, SNIPPET_AFTER);
    // `secrets` is sorted by start; only those that can reach into the window matter.
    let first = secrets.partition_point(|s| s.start.saturating_add(MAX_SECRET_LEN) < window.start);
    let last = secrets.partition_point(|s| s.start < window.end);
    let mut out = String::with_capacity(window.len());
    // (range in `text`, range in `out`, is a redacted secret)
    let mut segments: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    let mut pos = window.start;
    for secret in &secrets[first..last.max(first)] {
        let (start, end) = (secret.start.max(pos), secret.end.min(window.end));
        if start >= end {
            continue;
        }
        let at = out.len();
        out.push_str(&text[pos..start]);
        segments.push((pos..start, at..out.len(), false));
        let whole = &text[secret.clone()];
        let at = out.len();
        out.push_str(&redact(whole));
        segments.push((start..end, at..out.len(), true));
        shown.push(whole);
        pos = end;
    }
    let at = out.len();
    out.push_str(&text[pos..window.end]);
    segments.push((pos..window.end, at..out.len(), false));
    let to_out = |p: usize| {
        segments
            .iter()
            .find(|(orig, _, _)| orig.start <= p && p <= orig.end)
            .map_or(out.len(), |(orig, o, is_secret)| {
                match (is_secret, p == orig.start) {
                    (false, _) => o.start + (p - orig.start),
                    (true, true) => o.start,
                    (true, false) => o.end,
                }
            })
    };
    let mut snip = snippet(&out, to_out(span.start), to_out(span.end));
    shown.sort_unstable();
    shown.dedup();
    for secret in shown {
        snip = redact_in(&snip, secret);
    }
    snip
}
