//! AIVSS (OWASP AI Vulnerability Scoring System, v0.5 formula) for one finding:
//!
//! ```text
//! AIVSS = ((CVSS v4.0 base + AARS) / 2) × ThM
//! ```
//!
//! * **CVSS v4.0 base** comes from the rule's default vector ([`assay_core::RuleMeta::cvss_vector`]).
//!   When `assay.toml` overrides a rule's severity, the canonical vector of that severity
//!   ([`severity_vector`]) is used instead, so the override moves the score.
//! * **AARS** is the sum of the ten agentic amplification factors (each 0, 0.5 or 1)
//!   that the finding's context supports — see [`factors`].
//! * **ThM** is the threat multiplier by exploit maturity — see [`thm`].

use assay_core::{Aivss, Confidence, Family, Finding, Severity};

/// Canonical CVSS v4.0 base vectors per severity, used when a severity is overridden.
pub fn severity_vector(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
        Severity::High => "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
        Severity::Medium => "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
        Severity::Low => "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
        Severity::Info => "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
    }
}

/// The CVSS v4.0 base score of `vector`, or `None` when it does not parse.
pub fn cvss_base(vector: &str) -> Option<f64> {
    vector
        .parse::<cvss::v4::Vector>()
        .ok()
        .map(|v| v.score().value())
}

/// The ten AIVSS agentic amplification factors, in the order reports list them.
pub const FACTOR_NAMES: [&str; 10] = [
    "autonomy",
    "tool_use",
    "multi_agent",
    "non_determinism",
    "self_modification",
    "dynamic_identity",
    "persistent_memory",
    "natural_language_input",
    "contextual_awareness",
    "opacity",
];

/// The amplification factors a finding's context supports, as (name, value) with value
/// 0.5 (partly) or 1.0 (fully); factors that don't apply are left out.
///
/// * `autonomy` — the agent reaches the problem without a human: 1.0 when the finding is
///   tied to a tool (agents call tools on their own), 0.5 for other metadata and code
///   findings.
/// * `tool_use` — the problem sits in, or is reachable through, a tool: 1.0 with a tool,
///   0.5 for other metadata/code/malicious findings.
/// * `multi_agent` — tool metadata enters the context shared with every other connected
///   server, so poisoned text can steer other servers' tools: 0.5 for metadata findings.
/// * `non_determinism` — whether a model obeys injected text varies run to run: 0.5 for
///   metadata findings.
/// * `dynamic_identity` — a leaked credential lets anyone act as its owner: 1.0 for
///   secrets found in production code, 0.5 elsewhere.
/// * `natural_language_input` — the payload is natural language the model reads: 1.0
///   for metadata findings, 0.5 for code findings (tool arguments are model-written).
/// * `contextual_awareness` — the text is placed where the model decides what to do
///   (descriptions are read at every `tools/list`): 0.5 for metadata findings.
/// * `opacity` — clients rarely show tool metadata to users, so its effect is hidden:
///   0.5 for metadata findings.
/// * `self_modification`, `persistent_memory` — not established by static analysis.
pub fn factors(finding: &Finding) -> Vec<(String, f64)> {
    let has_tool = finding.tool.is_some();
    let metadata = finding.family == Family::Metadata;
    let code_like = matches!(
        finding.family,
        Family::Metadata | Family::Code | Family::Malicious
    );
    let mut out = Vec::new();
    let mut add = |name: &str, value: f64| {
        if value > 0.0 {
            out.push((name.to_string(), value));
        }
    };
    add(
        "autonomy",
        if has_tool && code_like {
            1.0
        } else if code_like {
            0.5
        } else {
            0.0
        },
    );
    add(
        "tool_use",
        if has_tool {
            1.0
        } else if code_like {
            0.5
        } else {
            0.0
        },
    );
    add("multi_agent", if metadata { 0.5 } else { 0.0 });
    add("non_determinism", if metadata { 0.5 } else { 0.0 });
    add(
        "dynamic_identity",
        match (finding.family, finding.confidence) {
            (Family::Secrets, Confidence::High) => 1.0,
            (Family::Secrets, _) => 0.5,
            _ => 0.0,
        },
    );
    add(
        "natural_language_input",
        match finding.family {
            Family::Metadata => 1.0,
            Family::Code => 0.5,
            _ => 0.0,
        },
    );
    add("contextual_awareness", if metadata { 0.5 } else { 0.0 });
    add("opacity", if metadata { 0.5 } else { 0.0 });
    out
}

/// Threat multiplier by exploit maturity: 1.0 when the finding is itself an attack in
/// progress (malicious-behaviour indicators), 0.97 when the payload is concrete and
/// usable as is (metadata poisoning, live secrets), 0.91 otherwise (a weakness whose
/// exploitation is unreported).
pub fn thm(finding: &Finding) -> f64 {
    match finding.family {
        Family::Malicious => 1.0,
        Family::Metadata | Family::Secrets => 0.97,
        _ => 0.91,
    }
}

/// Scores one finding. `vector` is the rule's default vector, replaced by the severity's
/// canonical vector when the finding's severity differs from the rule's default
/// (`severity_adjusted`) or the vector does not parse.
pub fn score_finding(finding: &Finding, vector: &str, severity_adjusted: bool) -> Aivss {
    let vector = if severity_adjusted || cvss_base(vector).is_none() {
        severity_vector(finding.severity)
    } else {
        vector
    };
    let base = cvss_base(vector).unwrap_or(0.0);
    let factors = factors(finding);
    let aars: f64 = factors.iter().map(|(_, v)| v).sum();
    let thm = thm(finding);
    let score = if finding.severity == Severity::Info {
        0.0
    } else {
        round1(((base + aars) / 2.0) * thm)
    };
    Aivss {
        score,
        cvss_vector: vector.to_string(),
        cvss_base: base,
        aars,
        factors,
        thm,
    }
}

fn round1(x: f64) -> f64 {
    (x.clamp(0.0, 10.0) * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_vectors_lie_in_their_bands() {
        for severity in Severity::ALL {
            let base = cvss_base(severity_vector(severity)).expect("parses");
            let (low, high) = band(severity);
            assert!((low..=high).contains(&base), "{severity}: {base}");
        }
    }

    /// CVSS v4.0 qualitative severity bands.
    fn band(severity: Severity) -> (f64, f64) {
        match severity {
            Severity::Critical => (9.0, 10.0),
            Severity::High => (7.0, 8.9),
            Severity::Medium => (4.0, 6.9),
            Severity::Low => (0.1, 3.9),
            Severity::Info => (0.0, 0.0),
        }
    }

    /// CVSS v4.0 qualitative bands: a rule's default vector must agree with its default
    /// severity, or scores and severities would tell different stories.
    #[test]
    fn every_rule_vector_parses_and_matches_its_severity() {
        let mut wrong = Vec::new();
        for rule in assay_rules::all_rules() {
            let meta = rule.meta();
            let (low, high) = band(meta.severity);
            match cvss_base(meta.cvss_vector) {
                Some(base) if (low..=high).contains(&base) => {}
                base => wrong.push(format!(
                    "{} ({}): {} scores {base:?}",
                    meta.id, meta.severity, meta.cvss_vector
                )),
            }
        }
        assert!(
            wrong.is_empty(),
            "vectors out of their severity band:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn factor_names_are_the_documented_ten() {
        assert_eq!(FACTOR_NAMES.len(), 10);
    }
}
