use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Family;

/// A package grade derived from the 0–100 score. Bands are defined in the engine's
/// scoring module and documented in `docs/scoring.md`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Grade {
    /// Best.
    A,
    /// Good.
    B,
    /// Fair.
    C,
    /// Poor.
    D,
    /// Failing.
    F,
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        };
        f.write_str(s)
    }
}

/// The AIVSS (OWASP AI Vulnerability Scoring System v0.5) score of one finding:
/// `((CVSS v4.0 base + AARS) / 2) × ThM`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Aivss {
    /// Final score, 0.0–10.0, one decimal.
    pub score: f64,
    /// The CVSS v4.0 base vector used.
    pub cvss_vector: String,
    /// Its CVSS v4.0 base score.
    pub cvss_base: f64,
    /// Agentic AI Risk Score: the sum of the amplification factors, 0–10.
    pub aars: f64,
    /// The amplification factors that applied, by name, with their value (0.5 or 1.0).
    pub factors: Vec<(String, f64)>,
    /// Threat multiplier by exploit maturity.
    pub thm: f64,
}

/// One line of the "why not 100" explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Deduction {
    /// Points this finding (or group of findings) took off the score.
    pub points: f64,
    /// Rule id.
    pub rule_id: String,
    /// How many findings of that rule this line stands for.
    pub count: u32,
    /// Human explanation.
    pub reason: String,
}

/// The score of one rule family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FamilyScore {
    /// The family.
    pub family: Family,
    /// 0–100.
    pub score: u8,
    /// Grade for that score.
    pub grade: Grade,
    /// Number of unsuppressed findings in the family.
    pub findings: u32,
}

/// The package's score and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScoreSummary {
    /// 0–100; 100 means nothing was found.
    pub score: u8,
    /// Letter grade.
    pub grade: Grade,
    /// Version of the scoring formula (bumped whenever the formula changes).
    pub formula_version: u32,
    /// Why the score is not 100, worst first.
    pub deductions: Vec<Deduction>,
    /// Per-family sub-scores (every family, including clean ones).
    pub families: Vec<FamilyScore>,
}
