//! Assay's report renderers.
//!
//! A [`Report`] becomes one of four [`Format`]s through [`render`]:
//!
//! * **table** — human-readable terminal output (colour optional);
//! * **json** — the report itself, one pretty-printed document whose shape is the JSON
//!   Schema returned by [`report_json_schema`] (committed as `docs/report.schema.json`);
//! * **sarif** — SARIF 2.1.0 for code-scanning tools;
//! * **markdown** — a pull-request comment.
//!
//! The rule catalog lives here too: [`render_rules`] (`assay rules`), [`explain_rule`]
//! (`assay rules explain ID`) and [`rules_markdown`] (`docs/rules.md`), all generated from
//! [`RuleMeta`].
//!
//! Renderers only present what the report holds: they add no data of their own (secrets
//! are redacted before findings are built, and stay that way), and every string from the
//! scanned target is neutralised for the medium it is written to (terminal escapes,
//! Markdown and HTML markup).

mod catalog;
mod cyclonedx;
mod facts;
mod format;
mod markdown;
mod sarif;
mod schema;
mod style;
mod table;
mod text;

use assay_core::{Report, RuleMeta};

pub use catalog::{explain_rule, render_rules, rule_doc_url, rules_markdown};
pub use format::{Format, RulesFormat};
pub use sarif::SARIF_SCHEMA_URI;
pub use schema::report_json_schema;

/// What a renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Whether the table format may use ANSI colours (no escape code at all when false).
    pub color: bool,
    /// Every enabled rule's metadata, for SARIF `rules[]` and documentation links.
    pub rules: &'a [&'static RuleMeta],
}

/// Renders `report` in `format`. The result ends with a newline.
pub fn render(report: &Report, format: Format, options: &RenderOptions<'_>) -> String {
    match format {
        Format::Table => table::render(report, options.color),
        Format::Json => pretty_json(report),
        Format::Sarif => sarif::render(report, options),
        Format::Markdown => {
            let mut out = markdown::render(report);
            out.push('\n');
            out
        }
        Format::CycloneDx => cyclonedx::render(report),
    }
}

/// Pretty-printed JSON with a final newline; keys keep the types' field order. The values
/// rendered here are plain data with string keys, whose serialisation cannot fail; were
/// it ever to, the output is a JSON string describing the error rather than a panic.
pub(crate) fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        serde_json::Value::String(format!("assay: cannot serialise output: {e}")).to_string()
    });
    out.push('\n');
    out
}
