//! What the public statistics are made of: [`crate::Store::stats`] counts public scans
//! only, and describes each package by its latest public result (as the registry does),
//! so that rescans do not count a package twice.

use std::collections::BTreeMap;

use crate::model::StatusCounts;

/// Aggregates over public scans. Private scans never contribute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublicStats {
    /// Public jobs by status (every job, rescans included).
    pub scans: StatusCounts,
    /// Packages with a succeeded public result.
    pub packages: u64,
    /// The mean score of the packages' latest results (`None` without packages).
    pub average_score: Option<f64>,
    /// Packages per grade of their latest result (`A` … `F`; absent grades are left out).
    pub grades: BTreeMap<String, u64>,
    /// Findings per effective severity in the packages' latest results.
    pub severities: BTreeMap<String, u64>,
    /// Findings per rule family in the packages' latest results.
    pub families: BTreeMap<String, u64>,
    /// The rules found in the most packages (then with the most findings, then by id).
    pub top_rules: Vec<RuleTally>,
}

/// How often one rule fired across the packages' latest public results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTally {
    /// The rule id (`AS101`).
    pub rule_id: String,
    /// Its family (`metadata`).
    pub family: String,
    /// Packages whose latest result has at least one finding of the rule.
    pub packages: u64,
    /// Its findings in all of them.
    pub findings: u64,
}
