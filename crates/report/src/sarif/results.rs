//! SARIF `results[]`: one result per finding, then one per suppressed finding (carrying a
//! `suppressions` entry so code-scanning tools show it as dismissed).

use assay_core::{Finding, FlowStep, SuppressedFinding, SuppressionKind};
use serde_json::{Map, Value, json};

use super::location::location;
use super::rules::RuleTable;
use crate::facts::{precision, sarif_level, security_severity, suppression_label};

/// The key of Assay's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "assay/v1";

/// Adds `ruleIndex` when the table knows the rule.
fn insert_rule(result: &mut Map<String, Value>, rules: &RuleTable, rule_id: &str) {
    result.insert("ruleId".into(), json!(rule_id));
    if let Some(entry) = rules.get(rule_id) {
        result.insert("ruleIndex".into(), json!(entry.index));
    }
}

/// A `codeFlows` entry for a data-flow path, source first.
fn code_flow(flow: &[FlowStep]) -> Value {
    let locations: Vec<Value> = flow
        .iter()
        .filter_map(|step| location(&step.location, None, Some(&step.message)))
        .map(|location| json!({ "location": location }))
        .collect();
    json!({ "threadFlows": [{ "locations": locations }] })
}

/// The result of one unsuppressed finding.
pub(super) fn finding_result(finding: &Finding, rules: &RuleTable) -> Value {
    let mut result = Map::new();
    insert_rule(&mut result, rules, &finding.rule_id);
    result.insert("level".into(), json!(sarif_level(finding.severity)));
    result.insert("message".into(), json!({ "text": finding.message }));
    let locations: Vec<Value> = location(&finding.location, Some(&finding.snippet), None)
        .into_iter()
        .collect();
    result.insert("locations".into(), json!(locations));
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: finding.fingerprint }),
    );
    let has_flow = finding
        .flow
        .iter()
        .any(|step| !step.location.path.is_empty());
    if has_flow {
        result.insert("codeFlows".into(), json!([code_flow(&finding.flow)]));
    }
    if let Some(aivss) = &finding.aivss {
        result.insert("rank".into(), json!(round1(aivss.score * 10.0)));
    }
    result.insert("properties".into(), finding_properties(finding));
    Value::Object(result)
}

/// One decimal, so that float noise never reaches the output.
fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The `properties` bag of a finding's result.
fn finding_properties(finding: &Finding) -> Value {
    let mut properties = Map::new();
    properties.insert("title".into(), json!(finding.title));
    properties.insert("severity".into(), json!(finding.severity));
    properties.insert("confidence".into(), json!(finding.confidence));
    properties.insert("precision".into(), json!(precision(finding.confidence)));
    properties.insert("family".into(), json!(finding.family));
    if let Some(tool) = &finding.tool {
        properties.insert("tool".into(), json!(tool));
    }
    let security_severity = finding
        .aivss
        .as_ref()
        .map_or_else(|| security_severity(finding.severity), |a| a.score);
    properties.insert(
        "security-severity".into(),
        json!(format!("{security_severity:.1}")),
    );
    if let Some(aivss) = &finding.aivss {
        let factors: Map<String, Value> = aivss
            .factors
            .iter()
            .map(|(name, value)| (name.clone(), json!(value)))
            .collect();
        properties.insert(
            "aivss".into(),
            json!({
                "score": aivss.score,
                "cvss_vector": aivss.cvss_vector,
                "cvss_base": aivss.cvss_base,
                "aars": aivss.aars,
                "factors": factors,
                "thm": aivss.thm,
            }),
        );
    }
    if !finding.evidence.is_empty() {
        properties.insert("evidence".into(), json!(finding.evidence));
    }
    properties.insert("remediation".into(), json!(finding.remediation));
    if !finding.cwe.is_empty() {
        properties.insert("cwe".into(), json!(finding.cwe));
    }
    if !finding.owasp_mcp.is_empty() {
        properties.insert("owasp_mcp".into(), json!(finding.owasp_mcp));
    }
    Value::Object(properties)
}

/// SARIF's name for where a suppression is kept.
fn suppression_kind(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::Inline => "inSource",
        SuppressionKind::Config | SuppressionKind::Baseline => "external",
    }
}

/// The result of a suppressed finding.
pub(super) fn suppressed_result(suppressed: &SuppressedFinding, rules: &RuleTable) -> Value {
    let entry = rules.get(&suppressed.rule_id);
    let mut result = Map::new();
    insert_rule(&mut result, rules, &suppressed.rule_id);
    let level = entry
        .and_then(|e| e.severity)
        .map_or("warning", sarif_level);
    result.insert("level".into(), json!(level));
    let what = entry
        .and_then(|e| e.title.clone())
        .unwrap_or_else(|| format!("{} finding", suppressed.rule_id));
    let text = format!(
        "{what} (suppressed by {})",
        suppression_label(suppressed.kind)
    );
    result.insert("message".into(), json!({ "text": text }));
    let locations: Vec<Value> = location(&suppressed.location, None, None)
        .into_iter()
        .collect();
    result.insert("locations".into(), json!(locations));
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: suppressed.fingerprint }),
    );
    let mut suppression = Map::new();
    suppression.insert("kind".into(), json!(suppression_kind(suppressed.kind)));
    if let Some(reason) = suppressed.reason.as_deref().filter(|r| !r.is_empty()) {
        suppression.insert("justification".into(), json!(reason));
    }
    suppression.insert("properties".into(), json!({ "mechanism": suppressed.kind }));
    result.insert("suppressions".into(), json!([suppression]));
    Value::Object(result)
}
