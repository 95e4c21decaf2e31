//! The human-readable terminal report (the default format).
//!
//! Sections: header (target, digest, counters, score and grade, complete or INCOMPLETE
//! with the limits hit, skipped entries and errors), the inventory, findings grouped by
//! severity worst first, the score explanation ("why not 100" and per-family sub-scores),
//! and suppressions. Every string that comes from the target is passed through
//! [`crate::text`] so it cannot drive the terminal; with colour off the output holds no
//! escape sequence at all.

mod findings;
mod inventory;
mod layout;

use std::fmt::Write as _;

use assay_core::Report;

use crate::facts::{
    human_bytes, location_label, package_line, status_notes, suppressed_counts, suppression_label,
};
use crate::style::{Painter, Tone, column_widths};
use crate::text::one_line;
use layout::{WIDTH, field, heading, wrapped};

/// Width of the header's labels.
const HEADER_LABEL: usize = 9;
/// Suppressed findings listed individually before "and N more".
const LISTED_SUPPRESSED: usize = 20;

/// Renders the terminal report.
pub(crate) fn render(report: &Report, color: bool) -> String {
    let painter = Painter::new(color);
    let mut out = String::new();
    header(&mut out, report, painter);
    inventory::section(&mut out, &report.inventory, painter);
    findings::section(&mut out, report, painter);
    score(&mut out, report, painter);
    suppressions(&mut out, report, painter);
    out
}

/// Title, target, counters, score and completeness.
fn header(out: &mut String, report: &Report, painter: Painter) {
    let title = format!(
        "{} {} — MCP server security report",
        one_line(&report.tool.name, 40),
        one_line(&report.tool.version, 40)
    );
    let _ = writeln!(out, "{}", painter.paint(Tone::Bold, &title));
    let target = &report.target;
    let mut target_line = one_line(&target.input, 200);
    if target.canonical_id != target.input {
        let _ = write!(target_line, " ({})", one_line(&target.canonical_id, 200));
    }
    let mut put = |label: &str, lines: Vec<String>| {
        field(out, painter, 2, label, HEADER_LABEL, &lines);
    };
    put("target", vec![target_line]);
    put("kind", vec![one_line(&target.kind, 40)]);
    put("digest", vec![one_line(&target.digest, 100)]);
    let stats = &report.stats;
    let mut scanned = format!("{} files, {}", stats.files, human_bytes(stats.bytes));
    if !stats.languages.is_empty() {
        let languages: Vec<String> = stats
            .languages
            .iter()
            .map(|(language, n)| format!("{} {n}", one_line(language, 30)))
            .collect();
        let _ = write!(scanned, " ({})", languages.join(", "));
    }
    let _ = write!(
        scanned,
        " in {} ms, {} rules",
        stats.duration_ms, report.tool.rules_enabled
    );
    put("scanned", wrapped(&scanned, 2, HEADER_LABEL));
    put("date", vec![one_line(&report.generated_at, 60)]);
    if !report.packages.is_empty() {
        let lines = report
            .packages
            .iter()
            .flat_map(|p| wrapped(&one_line(&package_line(p), 600), 2, HEADER_LABEL))
            .collect();
        put("packages", lines);
    }
    let grade = painter.paint(
        Tone::of_grade(report.score.grade),
        &format!("grade {}", report.score.grade),
    );
    put(
        "score",
        vec![format!("{}/100  {grade}", report.score.score)],
    );

    let mut status = vec![if report.complete {
        painter.paint(Tone::Green, "complete")
    } else {
        painter.paint(
            Tone::Alarm,
            "INCOMPLETE — part of the target was not analysed; findings may be missing",
        )
    }];
    for note in status_notes(report) {
        let text = one_line(&note, 600);
        let mut lines = wrapped(&text, 2 + HEADER_LABEL + 3, 0).into_iter();
        if let Some(first) = lines.next() {
            status.push(format!("• {first}"));
        }
        status.extend(lines.map(|l| format!("  {l}")));
    }
    put("status", status);
}

/// "Why not 100" and per-family sub-scores.
fn score(out: &mut String, report: &Report, painter: Painter) {
    let summary = &report.score;
    heading(
        out,
        painter,
        &format!(
            "Score — {}/100, grade {} (formula v{})",
            summary.score, summary.grade, summary.formula_version
        ),
    );
    if summary.deductions.is_empty() {
        let _ = writeln!(out, "  Nothing was deducted.");
    } else {
        let _ = writeln!(out, "  Why not 100:");
        let rows: Vec<Vec<String>> = summary
            .deductions
            .iter()
            .map(|d| {
                vec![
                    format!("{:>6}", format!("-{:.1}", d.points)),
                    one_line(&d.rule_id, 20),
                    one_line(&d.reason, WIDTH),
                ]
            })
            .collect();
        let widths = column_widths(&rows);
        for row in &rows {
            out.push_str("    ");
            out.push_str(&painter.row(row, &widths, |_| None));
        }
    }
    if !summary.families.is_empty() {
        let _ = writeln!(out, "  By family:");
        let rows: Vec<Vec<String>> = summary
            .families
            .iter()
            .map(|f| {
                let noun = if f.findings == 1 {
                    "finding"
                } else {
                    "findings"
                };
                vec![
                    f.family.to_string(),
                    format!("{:>3}", f.score),
                    f.grade.to_string(),
                    format!("{} {noun}", f.findings),
                ]
            })
            .collect();
        let widths = column_widths(&rows);
        for (family, row) in summary.families.iter().zip(&rows) {
            let tone = Tone::of_grade(family.grade);
            out.push_str("    ");
            out.push_str(&painter.row(row, &widths, |i| (i == 2).then_some(tone)));
        }
    }
}

/// Suppressed findings and unused suppressions.
fn suppressions(out: &mut String, report: &Report, painter: Painter) {
    if !report.suppressed.is_empty() {
        let by_kind: Vec<String> = suppressed_counts(report)
            .into_iter()
            .map(|(kind, n)| format!("{n} by {}", suppression_label(kind)))
            .collect();
        heading(
            out,
            painter,
            &format!(
                "Suppressed — {} ({})",
                report.suppressed.len(),
                by_kind.join(", ")
            ),
        );
        for suppressed in report.suppressed.iter().take(LISTED_SUPPRESSED) {
            let reason = suppressed
                .reason
                .as_deref()
                .map(|r| format!(" — {}", one_line(r, 200)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}  {}  {}{reason}",
                one_line(&suppressed.rule_id, 20),
                one_line(&location_label(&suppressed.location), 200),
                suppression_label(suppressed.kind)
            );
        }
        let more = report.suppressed.len().saturating_sub(LISTED_SUPPRESSED);
        if more > 0 {
            let _ = writeln!(out, "  … and {more} more (see the JSON report)");
        }
    }
    if !report.unused_suppressions.is_empty() {
        heading(
            out,
            painter,
            &format!(
                "Unused suppressions — {} (they matched no finding; remove them)",
                report.unused_suppressions.len()
            ),
        );
        for unused in &report.unused_suppressions {
            let at = unused
                .location
                .as_ref()
                .map(|l| format!("  at {}", one_line(&location_label(l), 200)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}  {}{at}",
                suppression_label(unused.kind),
                one_line(&unused.entry, 200)
            );
        }
    }
}
