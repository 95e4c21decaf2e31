//! Findings of the file rules that point into configuration files — manifests, MCP
//! client configurations, Dockerfiles (`AS4xx`, `AS7xx`, `AS8xx`): the location of a
//! byte range, its first line as the snippet, and confidence tempered by where the file
//! lives (a Dockerfile under `examples/` is less likely to be what users run).

use std::ops::Range;

use assay_core::{Confidence, Evidence, Finding, RuleMeta};

use crate::PathContext;
use crate::registry::{FileContext, new_finding};
use crate::text;

/// A finding of `meta` covering `range` of `file`. The snippet is the range's first
/// line; in tests, examples and docs the confidence is low and says why.
pub fn at(
    meta: &RuleMeta,
    file: &FileContext<'_>,
    range: Range<usize>,
    message: impl Into<String>,
) -> Finding {
    let first_line_end = file.text[range.start.min(file.text.len())..]
        .find('\n')
        .map_or(file.text.len(), |i| range.start + i)
        .min(range.end.max(range.start));
    let mut finding = new_finding(
        meta,
        text::location(file.path, file.text, range.start, range.end),
        text::snippet(file.text, range.start, first_line_end),
        message,
    );
    if file.context.is_non_production() {
        finding.confidence = Confidence::Low;
        finding
            .evidence
            .push(Evidence::new("path context", context_phrase(file.context)));
    }
    finding
}

/// Lowers `finding`'s confidence to `confidence` unless it is already lower.
pub fn cap_confidence(finding: &mut Finding, confidence: Confidence) {
    finding.confidence = finding.confidence.min(confidence);
}

fn context_phrase(context: PathContext) -> &'static str {
    match context {
        PathContext::Production => "shipped file",
        PathContext::Test => "test file: lower confidence",
        PathContext::Example => "example or sample: lower confidence",
        PathContext::Docs => "documentation: lower confidence",
    }
}
