//! The rule catalog: `assay rules` (table or JSON), `assay rules explain ID`, the
//! generated `docs/rules.md`, and the documentation links every other format points to.
//! All of it comes from [`RuleMeta`]; there is no second copy of any rule text.

use std::fmt::Write as _;

use assay_core::{Example, ExampleKind, Family, RuleMeta};
use serde::Serialize;

use crate::format::RulesFormat;
use crate::style::{Painter, Tone, column_widths};
use crate::text::{md_fence, md_prose, reveal, wrap};

/// Where the generated rule reference lives, relative to the repository root.
const RULES_DOC_PATH: &str = "docs/rules.md";

/// Width that explanations are wrapped to.
const TEXT_WIDTH: usize = 92;

/// The project's home page (the workspace `repository`).
pub(crate) fn project_uri() -> &'static str {
    env!("CARGO_PKG_REPOSITORY")
}

/// The heading of a rule's section in `docs/rules.md`.
fn rule_heading(id: &str, name: &str) -> String {
    format!("{id} {name}")
}

/// The anchor a Markdown renderer (GitHub's algorithm) gives a heading: lower case,
/// spaces to hyphens, other punctuation dropped.
fn heading_anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The documentation link of a rule: its section of `docs/rules.md`.
pub fn rule_doc_url(id: &str, name: &str) -> String {
    format!(
        "{}/blob/main/{RULES_DOC_PATH}#{}",
        project_uri(),
        heading_anchor(&rule_heading(id, name))
    )
}

/// The rules sorted by id.
fn sorted(rules: &[&'static RuleMeta]) -> Vec<&'static RuleMeta> {
    let mut rules = rules.to_vec();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    rules
}

/// One entry of `assay rules --format json`: the rule's metadata plus its docs link.
#[derive(Serialize)]
struct RuleListing<'a> {
    #[serde(flatten)]
    meta: &'a RuleMeta,
    cwe_ids: Vec<String>,
    help_uri: String,
}

/// Renders the rule list for `assay rules`: an aligned table, or a JSON array of every
/// rule's metadata (sorted by id) with its documentation link.
pub fn render_rules(rules: &[&'static RuleMeta], format: RulesFormat, color: bool) -> String {
    let rules = sorted(rules);
    match format {
        RulesFormat::Json => {
            let listing: Vec<RuleListing<'_>> = rules
                .iter()
                .map(|meta| RuleListing {
                    meta,
                    cwe_ids: meta.cwe_ids(),
                    help_uri: rule_doc_url(meta.id, meta.name),
                })
                .collect();
            crate::pretty_json(&listing)
        }
        RulesFormat::Table => rules_table(&rules, Painter::new(color)),
    }
}

/// The aligned table of `assay rules`.
fn rules_table(rules: &[&'static RuleMeta], painter: Painter) -> String {
    let header: Vec<String> = ["ID", "NAME", "SEVERITY", "FAMILY", "TITLE"]
        .map(str::to_string)
        .to_vec();
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.name.to_string(),
                r.severity.to_string(),
                r.family.to_string(),
                r.title.to_string(),
            ]
        })
        .collect();
    let widths = column_widths(std::iter::once(&header).chain(&rows));
    let mut out = String::new();
    out.push_str(&painter.row(&header, &widths, |_| Some(Tone::Bold)));
    for (rule, row) in rules.iter().zip(&rows) {
        let tone = Tone::of_severity(rule.severity);
        out.push_str(&painter.row(row, &widths, |i| (i == 2).then_some(tone)));
    }
    let _ = writeln!(
        out,
        "\n{} rules. `assay rules explain ID` describes one.",
        rules.len()
    );
    out
}

/// A human label of an example's kind.
fn example_label(kind: ExampleKind) -> &'static str {
    match kind {
        ExampleKind::TruePositive => "Flagged",
        ExampleKind::FalsePositive => "Not flagged",
    }
}

/// The `severity · family · CWE · OWASP` line of a rule.
fn classification(rule: &RuleMeta) -> String {
    let mut parts = vec![
        format!("severity {}", rule.severity),
        format!("family {} ({})", rule.family, rule.family.title()),
    ];
    if !rule.cwe.is_empty() {
        parts.push(rule.cwe_ids().join(", "));
    }
    if !rule.owasp_mcp.is_empty() {
        parts.push(format!("OWASP {}", rule.owasp_mcp));
    }
    parts.join(" · ")
}

/// Explains one rule for `assay rules explain ID`: what it finds, why it matters, how to
/// fix it, examples, references, CWE/OWASP classification and the default CVSS vector.
pub fn explain_rule(rule: &RuleMeta, color: bool) -> String {
    let painter = Painter::new(color);
    let mut out = String::new();
    let title = format!("{} {} — {}", rule.id, rule.name, rule.title);
    let _ = writeln!(out, "{}", painter.paint(Tone::Bold, &title));
    let _ = writeln!(out, "{}", classification(rule));
    let sections = [
        ("What it finds", rule.summary),
        ("Why it matters", rule.why),
        ("How to fix", rule.remediation),
    ];
    for (heading, body) in sections {
        let _ = writeln!(out, "\n{}", painter.paint(Tone::Bold, heading));
        for paragraph in reveal(body, true).split("\n\n") {
            for line in wrap(paragraph, TEXT_WIDTH) {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    if !rule.examples.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(Tone::Bold, "Examples"));
        for example in rule.examples {
            let _ = writeln!(
                out,
                "  {} ({}):",
                example_label(example.kind),
                reveal(example.file, false)
            );
            for line in reveal(example.code, true).lines() {
                let _ = writeln!(out, "    {} {line}", painter.paint(Tone::Dim, "│"));
            }
        }
    }
    if !rule.references.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(Tone::Bold, "References"));
        for reference in rule.references {
            let _ = writeln!(out, "  - {reference}");
        }
    }
    if !rule.cvss_vector.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}",
            painter.paint(Tone::Bold, "Default CVSS v4.0 vector"),
            rule.cvss_vector
        );
    }
    let _ = writeln!(out, "\nDocumentation: {}", rule_doc_url(rule.id, rule.name));
    out
}

/// The fenced-code language of an example file, from its extension.
fn example_language(file: &str) -> &'static str {
    let lower = file.to_ascii_lowercase();
    let ext = lower
        .rsplit_once('.')
        .map_or(lower.as_str(), |(_, ext)| ext);
    match ext {
        "ts" | "tsx" | "mts" | "cts" => "ts",
        "js" | "jsx" | "mjs" | "cjs" => "js",
        "py" => "python",
        "go" => "go",
        "rs" => "rust",
        "json" => "json",
        "toml" => "toml",
        "yaml" | "yml" => "yaml",
        "dockerfile" => "dockerfile",
        "sh" => "sh",
        _ => "text",
    }
}

/// A Markdown link to a CWE entry.
fn cwe_link(number: u32) -> String {
    format!("[CWE-{number}](https://cwe.mitre.org/data/definitions/{number}.html)")
}

/// The documentation of a rule in Markdown, without a heading: classification table,
/// what/why/fix, examples and references. Used by `docs/rules.md` and SARIF `help`.
pub(crate) fn rule_body_markdown(rule: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", md_prose(rule.title));
    let cwe = if rule.cwe.is_empty() {
        "—".to_string()
    } else {
        rule.cwe
            .iter()
            .map(|&n| cwe_link(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cvss = if rule.cvss_vector.is_empty() {
        "—".to_string()
    } else {
        format!("`{}`", rule.cvss_vector)
    };
    out.push_str("| Severity | Family | CWE | OWASP MCP Top 10 | Default CVSS v4.0 vector |\n");
    out.push_str("|---|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {cwe} | {} | {cvss} |\n",
        rule.severity,
        rule.family,
        if rule.owasp_mcp.is_empty() {
            "—"
        } else {
            rule.owasp_mcp
        }
    );
    let _ = writeln!(out, "**What it finds.** {}\n", md_prose(rule.summary));
    let _ = writeln!(out, "**Why it matters.** {}\n", md_prose(rule.why));
    let _ = writeln!(out, "**How to fix.** {}\n", md_prose(rule.remediation));
    if !rule.examples.is_empty() {
        out.push_str("**Examples**\n\n");
        for example in rule.examples {
            out.push_str(&example_markdown(example));
        }
    }
    if !rule.references.is_empty() {
        out.push_str("**References**\n\n");
        for reference in rule.references {
            let _ = writeln!(out, "- <{reference}>");
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// One example as a labelled fenced block.
fn example_markdown(example: &Example) -> String {
    let lines: Vec<String> = reveal(example.code, true)
        .lines()
        .map(str::to_string)
        .collect();
    format!(
        "{} (`{}`):\n\n{}\n",
        example_label(example.kind),
        reveal(example.file, false),
        md_fence(example_language(example.file), &lines)
    )
}

/// Generates `docs/rules.md`: a code table per family (like ruff's rule list), then one
/// section per rule with its full documentation and examples.
pub fn rules_markdown(rules: &[&'static RuleMeta]) -> String {
    let rules = sorted(rules);
    let mut out = String::new();
    out.push_str("# Rules\n\n");
    out.push_str(
        "<!-- Generated from the rules' metadata by `assay_report::rules_markdown`; \
         do not edit by hand. -->\n\n",
    );
    let _ = writeln!(
        out,
        "Assay has {} rules. Rule ids are stable and never reused; `assay rules explain ID` \
         prints a rule's documentation in the terminal.\n",
        rules.len()
    );
    for family in Family::ALL {
        let members: Vec<&&RuleMeta> = rules.iter().filter(|r| r.family == family).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {}xx — {}\n", family.id_prefix(), family.title());
        out.push_str("| Code | Name | Severity | Title |\n|---|---|---|---|\n");
        for rule in members {
            let anchor = heading_anchor(&rule_heading(rule.id, rule.name));
            let _ = writeln!(
                out,
                "| [{}](#{anchor}) | {} | {} | {} |",
                rule.id, rule.name, rule.severity, rule.title
            );
        }
        out.push('\n');
    }
    out.push_str("## Rule reference\n");
    for rule in &rules {
        let _ = write!(
            out,
            "\n### {}\n\n{}",
            rule_heading(rule.id, rule.name),
            rule_body_markdown(rule)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_markdown_heading_algorithm() {
        assert_eq!(
            heading_anchor("AS101 hidden-instruction-markup"),
            "as101-hidden-instruction-markup"
        );
        assert_eq!(heading_anchor("A: b.c"), "a-bc");
        assert!(
            rule_doc_url("AS201", "command-injection")
                .ends_with("/blob/main/docs/rules.md#as201-command-injection")
        );
    }

    #[test]
    fn example_languages_come_from_extensions() {
        assert_eq!(example_language("src/server.ts"), "ts");
        assert_eq!(example_language("tool.py"), "python");
        assert_eq!(example_language("Dockerfile"), "dockerfile");
        assert_eq!(example_language("README"), "text");
    }
}
