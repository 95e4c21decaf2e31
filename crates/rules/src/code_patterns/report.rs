//! How the pattern rules report: every match of one rule in one file is a [`Hit`]; the
//! strongest becomes the finding and the rest are listed in its evidence (one root cause,
//! one finding). Files outside production code are reported with lower confidence and
//! capped severity.

use assay_core::{Confidence, Evidence, Finding, RuleMeta, Severity};

use crate::PathContext;
use crate::registry::{FileContext, new_finding};
use crate::text::{location, snippet};

/// Most extra locations listed in one finding's evidence.
const MAX_EXTRA_LOCATIONS: usize = 20;

/// One match of a rule.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Start of the matched code.
    pub start: usize,
    /// End of the matched code.
    pub end: usize,
    /// What is wrong here.
    pub message: String,
    /// Severity this match supports.
    pub severity: Severity,
    /// Confidence this match supports.
    pub confidence: Confidence,
    /// Supporting evidence.
    pub evidence: Vec<Evidence>,
}

impl Hit {
    /// A hit with the rule's default severity and high confidence.
    pub fn new(meta: &RuleMeta, start: usize, end: usize, message: impl Into<String>) -> Hit {
        Hit {
            start,
            end,
            message: message.into(),
            severity: meta.severity,
            confidence: Confidence::High,
            evidence: Vec::new(),
        }
    }

    /// Sets the severity.
    pub fn severity(mut self, severity: Severity) -> Hit {
        self.severity = severity;
        self
    }

    /// Sets the confidence.
    pub fn confidence(mut self, confidence: Confidence) -> Hit {
        self.confidence = confidence;
        self
    }

    /// Adds an evidence item.
    pub fn evidence(mut self, label: impl Into<String>, value: impl Into<String>) -> Hit {
        self.evidence.push(Evidence::new(label, value));
        self
    }
}

/// What a non-production file (tests, examples, docs) does to a finding.
#[derive(Debug, Clone, Copy)]
pub enum OutsideProduction {
    /// Severity capped at `Low`: the code never runs where users are exposed
    /// (transport and TLS settings of tests and examples).
    CapAtLow,
    /// Severity one step lower: code that should not be in a package at all, wherever it
    /// sits (a malicious payload hidden under `test/` still ships).
    OneStepLower,
}

/// Emits one finding for `hits` of `meta` in `file` (nothing when `hits` is empty): the
/// strongest hit, with the others as evidence. Outside production code the confidence is
/// `Low` and the severity is tempered by `outside`.
pub fn emit(
    meta: &'static RuleMeta,
    file: &FileContext<'_>,
    mut hits: Vec<Hit>,
    outside: OutsideProduction,
    out: &mut Vec<Finding>,
) {
    if hits.is_empty() {
        return;
    }
    hits.sort_by(|a, b| {
        (b.severity, b.confidence)
            .cmp(&(a.severity, a.confidence))
            .then(a.start.cmp(&b.start))
    });
    let mut hits = hits.into_iter();
    let first = hits.next().expect("non-empty");
    let mut finding = new_finding(
        meta,
        location(file.path, file.text, first.start, first.end),
        snippet(file.text, first.start, first.end),
        first.message,
    );
    finding.severity = first.severity;
    finding.confidence = first.confidence;
    finding.evidence = first.evidence;
    // The other hits, in source order, one per line, with line numbers counted in one
    // pass (a bundle may hold thousands of hits on one line).
    let mut rest: Vec<Hit> = hits.collect();
    rest.sort_by_key(|h| h.start);
    let first_line = finding.location.line as usize;
    let (mut line, mut counted_to) = (1usize, 0usize);
    let mut last_line = 0usize;
    let mut extra = 0usize;
    for hit in rest {
        let at = hit.start.min(file.text.len());
        line += memchr::memchr_iter(b'\n', &file.text.as_bytes()[counted_to..at]).count();
        counted_to = at;
        if line == first_line || line == last_line {
            continue;
        }
        last_line = line;
        extra += 1;
        if extra <= MAX_EXTRA_LOCATIONS {
            finding.evidence.push(Evidence::new(
                format!("also at line {line}"),
                snippet(file.text, hit.start, hit.end),
            ));
        }
    }
    if extra > MAX_EXTRA_LOCATIONS {
        finding.evidence.push(Evidence::new(
            "further locations in this file",
            format!("{} more", extra - MAX_EXTRA_LOCATIONS),
        ));
    }
    if file.context.is_non_production() {
        finding.confidence = Confidence::Low;
        finding.severity = match outside {
            OutsideProduction::CapAtLow => finding.severity.min(Severity::Low),
            OutsideProduction::OneStepLower => lower(finding.severity),
        };
        finding.message = format!("{} (in {})", finding.message, context_phrase(file.context));
    }
    out.push(finding);
}

/// One severity step lower, never below `Low`.
pub fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium | Severity::Low => Severity::Low,
        Severity::Info => Severity::Info,
    }
}

fn context_phrase(context: PathContext) -> &'static str {
    match context {
        PathContext::Production => "shipped code",
        PathContext::Test => "test code",
        PathContext::Example => "example code",
        PathContext::Docs => "documentation",
    }
}
