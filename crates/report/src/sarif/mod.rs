//! SARIF 2.1.0 output, for code-scanning tools.
//!
//! One run: `tool.driver` with a reporting descriptor per enabled rule (help text, docs
//! link, tags, `security-severity` from the default severity — critical 9.5, high 8.0,
//! medium 5.5, low 3.0, info 0.0 — and `precision`, the highest confidence the rule's
//! findings reached in this run), one result per finding (region, snippet,
//! `partialFingerprints`, `codeFlows` for data-flow paths, `rank` and a per-result
//! `security-severity` from the finding's AIVSS score, evidence in `properties`),
//! suppressed findings as results with `suppressions` (`inSource` for inline comments,
//! `external` for `assay.toml` and the baseline), and an invocation
//! whose `executionSuccessful` is the report's `complete` flag, with notifications for
//! limits hit, skipped entries, errors and unused suppressions. Columns count Unicode code
//! points (`columnKind: unicodeCodePoints`), as [`assay_core::Location`] does.

mod invocation;
mod location;
mod results;
mod rules;

use assay_core::Report;
use serde_json::json;

use crate::RenderOptions;
use crate::catalog::project_uri;

/// The `$schema` of the documents produced: the OASIS SARIF 2.1.0 schema.
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Renders the report as a SARIF 2.1.0 log (pretty-printed, deterministic key order).
pub(crate) fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let rules = rules::RuleTable::new(report, options.rules);
    let mut results: Vec<_> = report
        .findings
        .iter()
        .map(|finding| results::finding_result(finding, &rules))
        .collect();
    results.extend(
        report
            .suppressed
            .iter()
            .map(|suppressed| results::suppressed_result(suppressed, &rules)),
    );
    let log = json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": project_uri(),
                    "rules": rules.descriptors,
                }
            },
            "invocations": [invocation::invocation(report)],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "schema_version": report.schema_version,
                "target": report.target,
                "complete": report.complete,
                "score": report.score.score,
                "grade": report.score.grade,
                "counts": report.counts,
            },
        }],
    });
    crate::pretty_json(&log)
}
