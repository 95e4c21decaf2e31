//! The findings section of the terminal report, grouped by severity, worst first.

use std::fmt::Write as _;

use assay_core::{Finding, Report, Severity};

use super::layout::{field, heading, wrapped};
use crate::catalog::rule_doc_url;
use crate::facts::{counts_phrase, location_label};
use crate::style::{Painter, Tone};
use crate::text::{clip_block, one_line, prose};

/// Indent of a finding's fields.
const INDENT: usize = 4;
/// Width of a finding's field labels.
const LABEL: usize = 9;
/// Snippet lines shown.
const SNIPPET_LINES: usize = 6;
/// Longest snippet line shown.
const SNIPPET_CHARS: usize = 160;
/// Longest evidence value shown.
const EVIDENCE_CHARS: usize = 300;
/// Longest message or remediation shown.
const PROSE_CHARS: usize = 1500;

/// Writes the findings section.
pub(super) fn section(out: &mut String, report: &Report, painter: Painter) {
    if report.findings.is_empty() {
        heading(out, painter, "Findings — none");
        return;
    }
    heading(
        out,
        painter,
        &format!(
            "Findings — {} ({})",
            report.findings.len(),
            counts_phrase(report)
        ),
    );
    for severity in Severity::ALL.into_iter().rev() {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let label = format!("{} · {}", severity.as_str().to_uppercase(), group.len());
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(Tone::of_severity(severity), &label)
        );
        for finding in group {
            finding_block(out, finding, painter);
        }
    }
}

/// Writes one finding.
fn finding_block(out: &mut String, finding: &Finding, painter: Painter) {
    let id = painter.paint(Tone::Bold, &format!("[{}]", one_line(&finding.rule_id, 20)));
    let _ = writeln!(
        out,
        "  {id} {}  ({})",
        one_line(&finding.title, 120),
        one_line(&finding.rule_name, 60)
    );
    let mut put = |label: &str, lines: Vec<String>| {
        field(out, painter, INDENT, label, LABEL, &lines);
    };
    put(
        "at",
        vec![one_line(&location_label(&finding.location), 200)],
    );
    if let Some(tool) = &finding.tool {
        put("tool", vec![one_line(tool, 120)]);
    }
    let mut rated = format!("confidence {}", finding.confidence);
    if let Some(aivss) = &finding.aivss {
        let _ = write!(rated, " · AIVSS {:.1}", aivss.score);
    }
    put("rated", vec![rated]);
    let message = prose(&finding.message, PROSE_CHARS);
    put("message", wrapped(&message, INDENT, LABEL));
    if !finding.snippet.trim().is_empty() {
        let bar = painter.paint(Tone::Dim, "│");
        let lines = clip_block(&finding.snippet, SNIPPET_LINES, SNIPPET_CHARS)
            .into_iter()
            .map(|line| format!("{bar} {line}"))
            .collect();
        put("snippet", lines);
    }
    if !finding.evidence.is_empty() {
        let lines = finding
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    one_line(&e.label, 80),
                    one_line(&e.value, EVIDENCE_CHARS)
                )
            })
            .collect();
        put("evidence", lines);
    }
    if !finding.flow.is_empty() {
        let lines = finding
            .flow
            .iter()
            .enumerate()
            .map(|(i, step)| {
                format!(
                    "{}. {}  {}",
                    i + 1,
                    one_line(&location_label(&step.location), 200),
                    one_line(&step.message, 200)
                )
            })
            .collect();
        put("flow", lines);
    }
    let remediation = prose(&finding.remediation, PROSE_CHARS);
    put("fix", wrapped(&remediation, INDENT, LABEL));
    put(
        "docs",
        vec![rule_doc_url(
            &one_line(&finding.rule_id, 20),
            &one_line(&finding.rule_name, 60),
        )],
    );
}
