use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Severity;

/// A rule family: the hundreds digit of a rule id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// `AS1xx`: tool, prompt and resource metadata (tool poisoning).
    Metadata,
    /// `AS2xx`: handler code (taint to dangerous sinks).
    Code,
    /// `AS3xx`: transport and authentication.
    Transport,
    /// `AS4xx`: supply chain.
    SupplyChain,
    /// `AS5xx`: malicious-behaviour indicators.
    Malicious,
    /// `AS6xx`: leaked secrets.
    Secrets,
    /// `AS7xx`: MCP client configuration files.
    ClientConfig,
    /// `AS8xx`: container images.
    Container,
}

impl Family {
    /// Every family in id order.
    pub const ALL: [Family; 8] = [
        Family::Metadata,
        Family::Code,
        Family::Transport,
        Family::SupplyChain,
        Family::Malicious,
        Family::Secrets,
        Family::ClientConfig,
        Family::Container,
    ];

    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Metadata => "metadata",
            Family::Code => "code",
            Family::Transport => "transport",
            Family::SupplyChain => "supply-chain",
            Family::Malicious => "malicious",
            Family::Secrets => "secrets",
            Family::ClientConfig => "client-config",
            Family::Container => "container",
        }
    }

    /// The id prefix of the family's rules, e.g. `AS1`.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Family::Metadata => "AS1",
            Family::Code => "AS2",
            Family::Transport => "AS3",
            Family::SupplyChain => "AS4",
            Family::Malicious => "AS5",
            Family::Secrets => "AS6",
            Family::ClientConfig => "AS7",
            Family::Container => "AS8",
        }
    }

    /// A human title for tables and docs.
    pub fn title(self) -> &'static str {
        match self {
            Family::Metadata => "Tool, prompt and resource metadata",
            Family::Code => "Handler code",
            Family::Transport => "Transport and authentication",
            Family::SupplyChain => "Supply chain",
            Family::Malicious => "Malicious behaviour",
            Family::Secrets => "Secrets",
            Family::ClientConfig => "Client configuration",
            Family::Container => "Container image",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an [`Example`] must produce a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExampleKind {
    /// The rule must fire on this example.
    TruePositive,
    /// The rule must stay silent on this example.
    FalsePositive,
}

/// A small input a rule is tested against by a generic test, shown in its docs.
///
/// For metadata rules (`AS1xx`) `code` is the text of one tool document; for file rules it
/// is the content of a file named `file`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Example {
    /// Whether the rule must fire.
    pub kind: ExampleKind,
    /// The file name the example is analysed as (its extension picks the language).
    pub file: &'static str,
    /// The example's text.
    pub code: &'static str,
}

impl Example {
    /// An input the rule must flag.
    pub const fn flags(file: &'static str, code: &'static str) -> Self {
        Example {
            kind: ExampleKind::TruePositive,
            file,
            code,
        }
    }

    /// An input the rule must not flag.
    pub const fn allows(file: &'static str, code: &'static str) -> Self {
        Example {
            kind: ExampleKind::FalsePositive,
            file,
            code,
        }
    }
}

/// Everything known about a rule without running it. This drives the docs, the rule
/// catalog, SARIF `rules[]` and the scoring defaults; there is no second copy anywhere.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    /// Stable id, e.g. `AS101`. Never reused once published.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `hidden-instruction-markup`.
    pub name: &'static str,
    /// One-line title used as a finding's title.
    pub title: &'static str,
    /// The family (must agree with the id's hundreds digit).
    pub family: Family,
    /// Default severity (may be overridden in `assay.toml`).
    pub severity: Severity,
    /// CWE numbers, most specific first.
    pub cwe: &'static [u32],
    /// OWASP MCP Top 10 (2025) id, e.g. `MCP03:2025`.
    pub owasp_mcp: &'static str,
    /// Default CVSS v4.0 base vector used for AIVSS scoring.
    pub cvss_vector: &'static str,
    /// What it finds.
    pub summary: &'static str,
    /// Why it matters for an agent.
    pub why: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
    /// Further reading.
    pub references: &'static [&'static str],
    /// True- and false-positive examples run by a generic test.
    pub examples: &'static [Example],
}

impl RuleMeta {
    /// The CWE ids formatted as `CWE-78`.
    pub fn cwe_ids(&self) -> Vec<String> {
        self.cwe.iter().map(|n| format!("CWE-{n}")).collect()
    }
}
