//! Facts about a report that several renderers present the same way: location labels,
//! severity mappings, grouped skipped entries, limit descriptions.

use std::collections::BTreeMap;

use assay_core::{
    Confidence, LimitHit, Location, PackageInfo, Report, Severity, SkippedEntry, SuppressionKind,
};
use serde::Serialize;

/// How many paths of one skip reason are listed before "and N more".
pub(crate) const LISTED_SKIPPED_PATHS: usize = 5;

/// The serde name of a unit enum variant (`file_count`, `path_traversal`, …).
pub(crate) fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// `path:line:col`, leaving out a zero line or column (file-level findings).
pub(crate) fn location_label(location: &Location) -> String {
    match (location.line, location.column) {
        (0, _) => location.path.clone(),
        (line, 0) => format!("{}:{line}", location.path),
        (line, column) => format!("{}:{line}:{column}", location.path),
    }
}

/// The SARIF `level` of a severity.
pub(crate) fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The `security-severity` (0–10) code-scanning tools rank a severity by, when no AIVSS
/// score is available.
pub(crate) fn security_severity(severity: Severity) -> f64 {
    match severity {
        Severity::Critical => 9.5,
        Severity::High => 8.0,
        Severity::Medium => 5.5,
        Severity::Low => 3.0,
        Severity::Info => 0.0,
    }
}

/// The code-scanning `precision` of a confidence.
pub(crate) fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// A human name for a suppression mechanism.
pub(crate) fn suppression_label(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::Inline => "inline comment",
        SuppressionKind::Config => "assay.toml",
        SuppressionKind::Baseline => "baseline",
    }
}

/// One line describing a limit that was hit.
pub(crate) fn limit_line(hit: &LimitHit) -> String {
    let at = hit
        .path
        .as_deref()
        .map(|p| format!(" at {p}"))
        .unwrap_or_default();
    format!(
        "{} limit ({}) hit{at}: {}",
        serde_name(&hit.kind),
        hit.limit,
        hit.message
    )
}

/// Skipped entries sharing one reason.
pub(crate) struct SkipGroup<'a> {
    /// Its serde name.
    pub(crate) name: String,
    /// Whether skipping these entries left content unanalysed.
    pub(crate) hides_content: bool,
    /// The entries, in report order.
    pub(crate) entries: Vec<&'a SkippedEntry>,
}

impl SkipGroup<'_> {
    /// A one-line summary: count, reason, the first few paths.
    pub(crate) fn summary(&self) -> String {
        let listed: Vec<String> = self
            .entries
            .iter()
            .take(LISTED_SKIPPED_PATHS)
            .map(|e| match &e.detail {
                Some(detail) => format!("{} ({detail})", e.path),
                None => e.path.clone(),
            })
            .collect();
        let more = self.entries.len().saturating_sub(LISTED_SKIPPED_PATHS);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let noun = if self.entries.len() == 1 {
            "entry"
        } else {
            "entries"
        };
        format!(
            "{} {noun} skipped ({}): {}{tail}",
            self.entries.len(),
            self.name,
            listed.join(", ")
        )
    }
}

/// The skipped entries grouped by reason: reasons that hide content first, then by name.
pub(crate) fn skip_groups(skipped: &[SkippedEntry]) -> Vec<SkipGroup<'_>> {
    let mut by_reason: BTreeMap<(bool, String), SkipGroup<'_>> = BTreeMap::new();
    for entry in skipped {
        let name = serde_name(&entry.reason);
        let hides_content = entry.reason.makes_incomplete();
        by_reason
            .entry((!hides_content, name.clone()))
            .or_insert_with(|| SkipGroup {
                name,
                hides_content,
                entries: Vec::new(),
            })
            .entries
            .push(entry);
    }
    by_reason.into_values().collect()
}

/// Status notes shown before a list is cut.
const MAX_STATUS_NOTES: usize = 12;

/// The notes under a report's completeness status: limits hit, skipped entries grouped by
/// reason, and analyser errors, at most [`MAX_STATUS_NOTES`] of them (a last note says how
/// many more the JSON report holds).
pub(crate) fn status_notes(report: &Report) -> Vec<String> {
    let mut notes: Vec<String> = report.limits_hit.iter().map(limit_line).collect();
    notes.extend(skip_groups(&report.skipped).iter().map(SkipGroup::summary));
    notes.extend(report.errors.iter().map(|e| format!("error: {e}")));
    cap_notes(notes)
}

/// Cuts `notes` to [`MAX_STATUS_NOTES`], the last one saying how many were left out.
fn cap_notes(mut notes: Vec<String>) -> Vec<String> {
    if notes.len() > MAX_STATUS_NOTES {
        let more = notes.len() - (MAX_STATUS_NOTES - 1);
        notes.truncate(MAX_STATUS_NOTES - 1);
        notes.push(format!(
            "… and {more} more limits, skips or errors (the JSON report lists them all)"
        ));
    }
    notes
}

/// Counts of suppressed findings by mechanism, in mechanism order, leaving out zeros.
pub(crate) fn suppressed_counts(report: &Report) -> Vec<(SuppressionKind, usize)> {
    [
        SuppressionKind::Inline,
        SuppressionKind::Config,
        SuppressionKind::Baseline,
    ]
    .into_iter()
    .map(|kind| {
        let n = report.suppressed.iter().filter(|s| s.kind == kind).count();
        (kind, n)
    })
    .filter(|&(_, n)| n > 0)
    .collect()
}

/// "1 critical, 2 high" for the non-zero counts of a report, or "none".
pub(crate) fn counts_phrase(report: &Report) -> String {
    let c = &report.counts;
    let parts: Vec<String> = [
        (c.critical, "critical"),
        (c.high, "high"),
        (c.medium, "medium"),
        (c.low, "low"),
        (c.info, "info"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, name)| format!("{n} {name}"))
    .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// One line about a package manifest: name and version, dependencies by scope, and the
/// install scripts and entry points it declares.
pub(crate) fn package_line(package: &PackageInfo) -> String {
    let mut line = package.ecosystem.clone();
    match (&package.name, &package.version) {
        (Some(name), Some(version)) => line.push_str(&format!(" {name} {version}")),
        (Some(name), None) => line.push_str(&format!(" {name}")),
        (None, Some(version)) => line.push_str(&format!(" (unnamed) {version}")),
        (None, None) => line.push_str(" (unnamed)"),
    }
    line.push_str(&format!(" ({})", package.manifest));
    let mut scopes: BTreeMap<&str, usize> = BTreeMap::new();
    for dependency in &package.dependencies {
        *scopes.entry(dependency.scope.as_str()).or_default() += 1;
    }
    let noun = if package.dependencies.len() == 1 {
        "dependency"
    } else {
        "dependencies"
    };
    line.push_str(&format!(": {} {noun}", package.dependencies.len()));
    if !scopes.is_empty() {
        let parts: Vec<String> = scopes.iter().map(|(s, n)| format!("{n} {s}")).collect();
        line.push_str(&format!(" ({})", parts.join(", ")));
    }
    if !package.install_scripts.is_empty() {
        line.push_str(&format!(
            "; install scripts: {}",
            package.install_scripts.join("; ")
        ));
    }
    if !package.entry_points.is_empty() {
        line.push_str(&format!(
            "; entry points: {}",
            package.entry_points.join(", ")
        ));
    }
    line
}

/// A byte count for humans (`1.2 MB`).
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::SkipReason;

    fn entry(path: &str, reason: SkipReason) -> SkippedEntry {
        SkippedEntry {
            path: path.to_string(),
            reason,
            detail: None,
        }
    }

    #[test]
    fn skipped_entries_group_by_reason_with_content_hiding_reasons_first() {
        let mut skipped = vec![
            entry("a", SkipReason::Symlink),
            entry("b", SkipReason::Excluded),
        ];
        skipped.extend((0..7).map(|i| entry(&format!("../x{i}"), SkipReason::PathTraversal)));
        let groups = skip_groups(&skipped);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["path_traversal", "excluded", "symlink"]);
        assert!(groups[0].hides_content && !groups[1].hides_content);
        assert_eq!(
            groups[0].summary(),
            "7 entries skipped (path_traversal): ../x0, ../x1, ../x2, ../x3, ../x4 and 2 more"
        );
        assert_eq!(groups[2].summary(), "1 entry skipped (symlink): a");
    }

    #[test]
    fn status_notes_are_capped() {
        let few: Vec<String> = (0..3).map(|i| i.to_string()).collect();
        assert_eq!(cap_notes(few.clone()), few);
        let many: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let capped = cap_notes(many);
        assert_eq!(capped.len(), MAX_STATUS_NOTES);
        assert_eq!(capped[MAX_STATUS_NOTES - 2], "10");
        assert!(capped[MAX_STATUS_NOTES - 1].starts_with("… and 19 more"));
    }

    #[test]
    fn locations_leave_out_unknown_lines_and_columns() {
        let mut loc = Location::point("a/b.ts", 3, 7);
        assert_eq!(location_label(&loc), "a/b.ts:3:7");
        loc.column = 0;
        assert_eq!(location_label(&loc), "a/b.ts:3");
        loc.line = 0;
        assert_eq!(location_label(&loc), "a/b.ts");
    }

    #[test]
    fn package_lines_summarise_manifests() {
        let package = PackageInfo {
            ecosystem: "npm".into(),
            name: Some("x".into()),
            version: None,
            manifest: "package.json".into(),
            dependencies: vec![
                assay_core::Dependency {
                    name: "a".into(),
                    requirement: None,
                    scope: "runtime".into(),
                },
                assay_core::Dependency {
                    name: "b".into(),
                    requirement: Some("^1".into()),
                    scope: "dev".into(),
                },
            ],
            install_scripts: vec!["postinstall: node x.js".into()],
            entry_points: Vec::new(),
        };
        assert_eq!(
            package_line(&package),
            "npm x (package.json): 2 dependencies (1 dev, 1 runtime); \
             install scripts: postinstall: node x.js"
        );
    }

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_234_567), "1.2 MB");
        assert_eq!(human_bytes(2_000), "2.0 KB");
    }
}
