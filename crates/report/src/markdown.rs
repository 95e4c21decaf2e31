//! A Markdown report in the style of a pull-request comment: grade and score in the title,
//! an incomplete-scan warning when it applies, a summary of counts, the inventory, a
//! findings table with a collapsible details section per finding, the score explanation
//! and suppressions.
//!
//! Text from the target is escaped ([`crate::text`]) so it cannot inject links, images,
//! HTML or mentions-by-markup into the comment. Long reports are cut (a PR comment has a
//! size limit); the cut is stated, and the JSON and SARIF reports hold everything.

use std::fmt::Write as _;

use assay_core::{Finding, Grade, Inventory, Location, Parameter, Report, Severity};

use crate::catalog::rule_doc_url;
use crate::facts::{
    counts_phrase, human_bytes, location_label, package_line, status_notes, suppressed_counts,
    suppression_label,
};
use crate::text::{clip_block, html_text, md_code, md_fence, md_text};

/// Rows of the inventory and findings tables before the cut.
const MAX_ROWS: usize = 100;
/// Findings given a details section before the cut.
const MAX_DETAILS: usize = 30;
/// Longest description or message shown.
const PROSE_CHARS: usize = 600;
/// Longest description in a table cell.
const CELL_CHARS: usize = 160;
/// Parameters named per tool or prompt.
const MAX_PARAMETERS: usize = 20;

/// A coloured dot for a severity.
fn severity_badge(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🔴",
        Severity::High => "🟠",
        Severity::Medium => "🟡",
        Severity::Low => "🔵",
        Severity::Info => "⚪",
    }
}

/// A coloured dot for a grade.
fn grade_badge(grade: Grade) -> &'static str {
    match grade {
        Grade::A | Grade::B => "🟢",
        Grade::C => "🟡",
        Grade::D => "🟠",
        Grade::F => "🔴",
    }
}

/// A location as a code span.
fn location_code(location: &Location) -> String {
    md_code(&location_label(location), 200)
}

/// Renders the Markdown report.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    let score = &report.score;
    let _ = writeln!(
        out,
        "## {} Assay: grade {} ({}/100) — {}\n",
        grade_badge(score.grade),
        score.grade,
        score.score,
        md_code(&report.target.input, 200)
    );
    incomplete_warning(&mut out, report);
    summary(&mut out, report);
    inventory(&mut out, &report.inventory);
    findings(&mut out, report);
    score_section(&mut out, report);
    suppressions(&mut out, report);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The alert box of an incomplete scan, and notes about benign skips otherwise.
fn incomplete_warning(out: &mut String, report: &Report) {
    let notes = status_notes(report);
    if report.complete {
        if !notes.is_empty() {
            out.push_str("> [!NOTE]\n> The scan is complete; for the record:\n");
            for note in &notes {
                let _ = writeln!(out, "> - {}", md_text(note, PROSE_CHARS));
            }
            out.push('\n');
        }
        return;
    }
    out.push_str(
        "> [!CAUTION]\n> **Incomplete scan.** Part of the target was not analysed, so \
         findings may be missing and the score is capped. This is not a clean bill of health.\n",
    );
    for note in &notes {
        let _ = writeln!(out, "> - {}", md_text(note, PROSE_CHARS));
    }
    out.push('\n');
}

/// Counts table and target facts.
fn summary(out: &mut String, report: &Report) {
    let c = &report.counts;
    out.push_str("| Critical | High | Medium | Low | Info | Total |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n",
        c.critical, c.high, c.medium, c.low, c.info, c.total
    );
    let _ = writeln!(
        out,
        "**Target** {} ({}) · **digest** {} · **scanned** {} files ({}) with {} rules · {} {} · {}\n",
        md_code(&report.target.input, 200),
        md_text(&report.target.kind, 40),
        md_code(&report.target.digest, 100),
        report.stats.files,
        human_bytes(report.stats.bytes),
        report.tool.rules_enabled,
        md_text(&report.tool.name, 40),
        md_text(&report.tool.version, 40),
        md_text(&report.generated_at, 60),
    );
    if !report.packages.is_empty() {
        out.push_str("**Packages**\n\n");
        for package in report.packages.iter().take(MAX_ROWS) {
            let _ = writeln!(out, "- {}", md_text(&package_line(package), PROSE_CHARS));
        }
        cut_note(out, report.packages.len(), MAX_ROWS, "packages");
        out.push('\n');
    }
}

/// Parameter names as code spans, required ones marked with `*`; at most
/// [`MAX_PARAMETERS`] of them.
fn parameter_list(parameters: &[Parameter]) -> String {
    let mut names: Vec<String> = parameters
        .iter()
        .take(MAX_PARAMETERS)
        .map(|p| {
            let star = if p.required { "\\*" } else { "" };
            format!("{}{star}", md_code(&p.name, 60))
        })
        .collect();
    if parameters.len() > MAX_PARAMETERS {
        names.push(format!("and {} more", parameters.len() - MAX_PARAMETERS));
    }
    names.join(", ")
}

/// The inventory table.
fn inventory(out: &mut String, inventory: &Inventory) {
    out.push_str("### Inventory\n\n");
    if inventory.is_empty() {
        out.push_str("No tools, prompts, resources or instructions were found statically.\n\n");
        return;
    }
    let mut rows: Vec<String> = Vec::new();
    for tool in &inventory.tools {
        let mut description = md_text(tool.description.as_deref().unwrap_or(""), CELL_CHARS);
        if !tool.parameters.is_empty() {
            let _ = write!(
                description,
                "<br>params: {}",
                parameter_list(&tool.parameters)
            );
        }
        rows.push(inventory_row(
            "tool",
            &tool.name,
            &tool.sdk,
            &tool.location,
            &description,
        ));
    }
    for prompt in &inventory.prompts {
        let mut description = md_text(prompt.description.as_deref().unwrap_or(""), CELL_CHARS);
        if !prompt.arguments.is_empty() {
            let _ = write!(
                description,
                "<br>arguments: {}",
                parameter_list(&prompt.arguments)
            );
        }
        rows.push(inventory_row(
            "prompt",
            &prompt.name,
            &prompt.sdk,
            &prompt.location,
            &description,
        ));
    }
    for resource in &inventory.resources {
        let mut description = String::new();
        if let Some(uri) = &resource.uri {
            let _ = write!(description, "{} ", md_code(uri, 120));
        }
        description.push_str(&md_text(
            resource.description.as_deref().unwrap_or(""),
            CELL_CHARS,
        ));
        rows.push(inventory_row(
            "resource",
            &resource.name,
            &resource.sdk,
            &resource.location,
            description.trim_end(),
        ));
    }
    for instructions in &inventory.instructions {
        rows.push(format!(
            "| instructions | | | {} | {} |",
            location_code(&instructions.location),
            md_text(&instructions.text, CELL_CHARS)
        ));
    }
    out.push_str("| Kind | Name | SDK | Location | Description |\n|---|---|---|---|---|\n");
    for row in rows.iter().take(MAX_ROWS) {
        out.push_str(row);
        out.push('\n');
    }
    cut_note(out, rows.len(), MAX_ROWS, "items");
    out.push('\n');
}

/// One inventory row.
fn inventory_row(
    kind: &str,
    name: &str,
    sdk: &str,
    location: &Location,
    description: &str,
) -> String {
    format!(
        "| {kind} | {} | {} | {} | {description} |",
        md_code(name, 80),
        md_text(sdk, 40),
        location_code(location)
    )
}

/// States that a list was cut after `shown` of `total` entries.
fn cut_note(out: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(
            out,
            "\n_{} more {what} not shown; the JSON and SARIF reports list them all._",
            total - shown
        );
    }
}

/// A rule id linked to its documentation.
fn rule_link(finding: &Finding) -> String {
    format!(
        "[{}]({})",
        md_text(&finding.rule_id, 20),
        rule_doc_url(&finding.rule_id, &finding.rule_name)
    )
}

/// The findings table and details sections.
fn findings(out: &mut String, report: &Report) {
    if report.findings.is_empty() {
        out.push_str("### Findings\n\nNo findings.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "### Findings ({}: {})\n",
        report.findings.len(),
        counts_phrase(report)
    );
    out.push_str("| Severity | Rule | Finding | Location | Tool |\n|---|---|---|---|---|\n");
    for finding in report.findings.iter().take(MAX_ROWS) {
        let tool = finding
            .tool
            .as_deref()
            .map(|t| md_code(t, 80))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {tool} |",
            severity_badge(finding.severity),
            finding.severity,
            rule_link(finding),
            md_text(&finding.title, CELL_CHARS),
            location_code(&finding.location),
        );
    }
    cut_note(out, report.findings.len(), MAX_ROWS, "findings");
    out.push('\n');
    for finding in report.findings.iter().take(MAX_DETAILS) {
        details(out, finding);
    }
    if report.findings.len() > MAX_DETAILS {
        let _ = writeln!(
            out,
            "_Details of the {} mildest findings are left out; the JSON and SARIF reports \
             have them._\n",
            report.findings.len() - MAX_DETAILS
        );
    }
}

/// A collapsible details section for one finding.
fn details(out: &mut String, finding: &Finding) {
    let _ = writeln!(
        out,
        "<details>\n<summary>{} {} · {} · {} · {}</summary>\n",
        severity_badge(finding.severity),
        finding.severity,
        html_text(&finding.rule_id, 20),
        html_text(&finding.title, CELL_CHARS),
        html_text(&location_label(&finding.location), 200),
    );
    let _ = writeln!(out, "{}\n", md_text(&finding.message, PROSE_CHARS));
    if !finding.snippet.trim().is_empty() {
        out.push_str(&md_fence("text", &clip_block(&finding.snippet, 8, 200)));
        out.push('\n');
    }
    let mut rated = format!("- **Confidence:** {}", finding.confidence);
    if let Some(aivss) = &finding.aivss {
        let _ = write!(
            rated,
            " · **AIVSS:** {:.1} ({})",
            aivss.score,
            md_code(&aivss.cvss_vector, 120)
        );
    }
    let _ = writeln!(out, "{rated}");
    if let Some(tool) = &finding.tool {
        let _ = writeln!(out, "- **Tool:** {}", md_code(tool, 80));
    }
    for evidence in &finding.evidence {
        let _ = writeln!(
            out,
            "- **{}:** {}",
            md_text(&evidence.label, 80),
            md_code(&evidence.value, 300)
        );
    }
    if !finding.flow.is_empty() {
        out.push_str("- **Data flow:**\n");
        for (i, step) in finding.flow.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} {}",
                i + 1,
                location_code(&step.location),
                md_text(&step.message, 200)
            );
        }
    }
    let _ = writeln!(
        out,
        "- **Fix:** {}",
        md_text(&finding.remediation, PROSE_CHARS)
    );
    let _ = writeln!(
        out,
        "- **Rule:** {} {}\n\n</details>\n",
        rule_link(finding),
        md_text(&finding.rule_name, 60)
    );
}

/// Deductions and family sub-scores.
fn score_section(out: &mut String, report: &Report) {
    let score = &report.score;
    let _ = writeln!(
        out,
        "### Score: {}/100, grade {} (formula v{})\n",
        score.score, score.grade, score.formula_version
    );
    if !score.deductions.is_empty() {
        out.push_str("Why not 100:\n\n| Points | Rule | Reason |\n|---:|---|---|\n");
        for deduction in &score.deductions {
            let _ = writeln!(
                out,
                "| −{:.1} | {} | {} |",
                deduction.points,
                md_text(&deduction.rule_id, 20),
                md_text(&deduction.reason, CELL_CHARS)
            );
        }
        out.push('\n');
    }
    if !score.families.is_empty() {
        out.push_str("| Family | Score | Grade | Findings |\n|---|---:|---|---:|\n");
        for family in &score.families {
            let _ = writeln!(
                out,
                "| {} | {} | {} {} | {} |",
                family.family.title(),
                family.score,
                grade_badge(family.grade),
                family.grade,
                family.findings
            );
        }
        out.push('\n');
    }
}

/// Suppressed findings and unused suppressions.
fn suppressions(out: &mut String, report: &Report) {
    if report.suppressed.is_empty() && report.unused_suppressions.is_empty() {
        return;
    }
    out.push_str("### Suppressions\n\n");
    if !report.suppressed.is_empty() {
        let by_kind: Vec<String> = suppressed_counts(report)
            .into_iter()
            .map(|(kind, n)| format!("{n} by {}", suppression_label(kind)))
            .collect();
        let _ = writeln!(
            out,
            "{} findings suppressed ({}).\n",
            report.suppressed.len(),
            md_text(&by_kind.join(", "), 200)
        );
    }
    if !report.unused_suppressions.is_empty() {
        out.push_str("Unused suppressions (they matched no finding):\n\n");
        for unused in report.unused_suppressions.iter().take(MAX_ROWS) {
            let at = unused
                .location
                .as_ref()
                .map(|l| format!(" at {}", location_code(l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} ({}){at}",
                md_code(&unused.entry, 200),
                suppression_label(unused.kind)
            );
        }
        cut_note(out, report.unused_suppressions.len(), MAX_ROWS, "entries");
        out.push('\n');
    }
}
