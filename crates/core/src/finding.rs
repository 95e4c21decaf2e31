use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Aivss, Confidence, Family, Location, Severity};

/// A piece of evidence backing a finding: a labelled, already-redacted value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// What this is, e.g. `decoded tag characters` or `matched phrase`.
    pub label: String,
    /// The value, never containing a secret in the clear.
    pub value: String,
}

impl Evidence {
    /// Builds an evidence item.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Evidence {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// One step of a data-flow path (source → … → sink), for SARIF `codeFlows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FlowStep {
    /// Where the step is.
    pub location: Location,
    /// What happens there, e.g. `tool parameter "path"`.
    pub message: String,
}

/// One problem found in the scanned server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Rule id, e.g. `AS101`.
    pub rule_id: String,
    /// Rule name, e.g. `hidden-instruction-markup`.
    pub rule_name: String,
    /// Short title.
    pub title: String,
    /// Rule family.
    pub family: Family,
    /// Effective severity (after `assay.toml` overrides).
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// CWE ids such as `CWE-78`.
    pub cwe: Vec<String>,
    /// OWASP MCP Top 10 id, e.g. `MCP03:2025`.
    pub owasp_mcp: String,
    /// Where it is.
    pub location: Location,
    /// The offending source line(s), trimmed and redacted.
    pub snippet: String,
    /// The tool, prompt or resource the finding concerns, if any.
    pub tool: Option<String>,
    /// What is wrong here, specifically.
    pub message: String,
    /// How to fix it.
    pub remediation: String,
    /// Supporting evidence (decoded payloads, matched phrases, redacted secrets).
    pub evidence: Vec<Evidence>,
    /// Data-flow path for taint findings, source first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
    /// Stable identity for baselines: see [`fingerprint`].
    pub fingerprint: String,
    /// AIVSS score of this finding (filled in by scoring).
    pub aivss: Option<Aivss>,
}

/// A stable fingerprint: the hash of rule id, path, tool name and the whitespace-normalised
/// snippet. Line numbers are left out so that edits elsewhere in a file do not change it.
pub fn fingerprint(rule_id: &str, path: &str, tool: Option<&str>, snippet: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, path, tool.unwrap_or("")] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    for word in snippet.split_whitespace() {
        hasher.update(word.as_bytes());
        hasher.update([b' ']);
    }
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_whitespace_but_not_content() {
        let a = fingerprint("AS101", "a.ts", Some("t"), "foo  bar\n baz");
        let b = fingerprint("AS101", "a.ts", Some("t"), "foo bar baz");
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("AS102", "a.ts", Some("t"), "foo bar baz"));
        assert_ne!(a, fingerprint("AS101", "b.ts", Some("t"), "foo bar baz"));
        assert_ne!(a, fingerprint("AS101", "a.ts", None, "foo bar baz"));
        assert_eq!(a.len(), 32);
    }
}
