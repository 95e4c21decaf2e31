//! The run's `tool.driver.rules[]`: one reporting descriptor per enabled rule, plus one for
//! any rule a finding or suppression names that the caller did not pass metadata for (so
//! every `ruleIndex` points somewhere).

use std::collections::BTreeMap;

use assay_core::{Confidence, Family, Finding, Report, RuleMeta, Severity};
use serde_json::{Map, Value, json};

use crate::catalog::{explain_rule, rule_body_markdown, rule_doc_url};
use crate::facts::{precision, sarif_level, security_severity};

/// Where a rule's descriptor comes from.
enum Source<'a> {
    /// Its full metadata.
    Meta(&'static RuleMeta),
    /// The first finding of it (the caller passed no metadata).
    Finding(&'a Finding),
    /// Only a suppressed finding names it.
    Bare,
}

/// What results need to know about a rule.
pub(super) struct RuleEntry {
    /// Index in `rules[]`.
    pub(super) index: usize,
    /// Default severity, when known.
    pub(super) severity: Option<Severity>,
    /// Title, when known.
    pub(super) title: Option<String>,
}

/// The descriptors, sorted by rule id, and an index from id to entry.
pub(super) struct RuleTable {
    /// The `rules[]` array.
    pub(super) descriptors: Vec<Value>,
    entries: BTreeMap<String, RuleEntry>,
}

impl RuleTable {
    /// Builds the table for a report from the enabled rules' metadata.
    pub(super) fn new(report: &Report, rules: &[&'static RuleMeta]) -> Self {
        let mut sources: BTreeMap<&str, Source<'_>> = BTreeMap::new();
        for meta in rules {
            sources.entry(meta.id).or_insert(Source::Meta(meta));
        }
        for finding in &report.findings {
            sources
                .entry(&finding.rule_id)
                .or_insert(Source::Finding(finding));
        }
        for suppressed in &report.suppressed {
            sources.entry(&suppressed.rule_id).or_insert(Source::Bare);
        }
        let mut best_confidence: BTreeMap<&str, Confidence> = BTreeMap::new();
        for finding in &report.findings {
            let best = best_confidence
                .entry(&finding.rule_id)
                .or_insert(finding.confidence);
            *best = (*best).max(finding.confidence);
        }

        let mut descriptors = Vec::with_capacity(sources.len());
        let mut entries = BTreeMap::new();
        for (index, (id, source)) in sources.into_iter().enumerate() {
            let confidence = best_confidence.get(id).copied();
            let (descriptor, severity, title) = match source {
                Source::Meta(meta) => (
                    meta_descriptor(meta, confidence),
                    Some(meta.severity),
                    Some(meta.title.to_string()),
                ),
                Source::Finding(finding) => (
                    finding_descriptor(finding, confidence),
                    Some(finding.severity),
                    Some(finding.title.clone()),
                ),
                Source::Bare => (json!({ "id": id }), None, None),
            };
            descriptors.push(descriptor);
            entries.insert(
                id.to_string(),
                RuleEntry {
                    index,
                    severity,
                    title,
                },
            );
        }
        RuleTable {
            descriptors,
            entries,
        }
    }

    /// The entry of a rule id (every id of the report has one).
    pub(super) fn get(&self, rule_id: &str) -> Option<&RuleEntry> {
        self.entries.get(rule_id)
    }
}

/// `[family, CWE ids…, OWASP id, "security"]`, without duplicates or empty strings.
fn tags(family: Family, cwe: &[String], owasp: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let candidates = std::iter::once(family.as_str().to_string())
        .chain(cwe.iter().cloned())
        .chain(std::iter::once(owasp.to_string()))
        .chain(std::iter::once("security".to_string()));
    for tag in candidates {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// The rule `properties` bag shared by both kinds of descriptor.
fn properties(
    tags: Vec<String>,
    severity: Severity,
    confidence: Option<Confidence>,
) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("tags".into(), json!(tags));
    properties.insert(
        "security-severity".into(),
        json!(format!("{:.1}", security_severity(severity))),
    );
    if let Some(confidence) = confidence {
        properties.insert("precision".into(), json!(precision(confidence)));
    }
    properties
}

/// The full descriptor of a rule from its metadata.
fn meta_descriptor(meta: &RuleMeta, confidence: Option<Confidence>) -> Value {
    let mut properties = properties(
        tags(meta.family, &meta.cwe_ids(), meta.owasp_mcp),
        meta.severity,
        confidence,
    );
    if !meta.cvss_vector.is_empty() {
        properties.insert("cvss_vector".into(), json!(meta.cvss_vector));
    }
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": { "text": meta.title },
        "fullDescription": { "text": meta.summary },
        "help": {
            "text": explain_rule(meta, false),
            "markdown": rule_body_markdown(meta),
        },
        "helpUri": rule_doc_url(meta.id, meta.name),
        "defaultConfiguration": { "level": sarif_level(meta.severity) },
        "properties": properties,
    })
}

/// A descriptor built from a finding, for a rule the caller passed no metadata for.
fn finding_descriptor(finding: &Finding, confidence: Option<Confidence>) -> Value {
    json!({
        "id": finding.rule_id,
        "name": finding.rule_name,
        "shortDescription": { "text": finding.title },
        "helpUri": rule_doc_url(&finding.rule_id, &finding.rule_name),
        "defaultConfiguration": { "level": sarif_level(finding.severity) },
        "properties": properties(
            tags(finding.family, &finding.cwe, &finding.owasp_mcp),
            finding.severity,
            confidence,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_unique_and_end_with_security() {
        let cwe = vec!["CWE-78".to_string(), "CWE-78".to_string()];
        assert_eq!(
            tags(Family::Code, &cwe, "MCP05:2025"),
            ["code", "CWE-78", "MCP05:2025", "security"]
        );
        assert_eq!(tags(Family::Secrets, &[], ""), ["secrets", "security"]);
    }
}
