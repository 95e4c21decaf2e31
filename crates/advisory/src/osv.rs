//! The OSV schema (<https://ossf.github.io/osv-schema/>), the parts Assay uses. Unknown
//! fields are ignored; records are attacker-influenced data only in the sense that a
//! mirror could serve anything, so every collection is read without trusting sizes.

use serde::{Deserialize, Serialize};

/// One OSV record (`GHSA-…`, `PYSEC-…`, `GO-…`, `RUSTSEC-…`, `MAL-…`, `CVE-…`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The record's id.
    pub id: String,
    /// RFC 3339 time of the last modification.
    #[serde(default)]
    pub modified: String,
    /// RFC 3339 time of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Set when the record was withdrawn: such records are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability (`CVE-…`, `GHSA-…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity scores (`CVSS_V3`, `CVSS_V4`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    /// The affected packages and versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    /// Links (advisories, fixes, reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// Database-specific data (GitHub's `severity` label lives here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

impl Record {
    /// Whether this is a malicious-package record (OSV's `MAL-` ids).
    pub fn is_malicious(&self) -> bool {
        self.id.starts_with("MAL-")
    }
}

/// A severity score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4` or `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector (or label).
    pub score: String,
}

/// One affected package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Version ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Ecosystem-specific data (e.g. Go's affected `imports` and symbols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<serde_json::Value>,
    /// Database-specific data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

/// A package in an ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// OSV ecosystem name: `npm`, `PyPI`, `Go`, `crates.io`, … (possibly with a
    /// `:suffix`, as in `Debian:12`).
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
    /// Package URL, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// A version range: a list of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The events, in the record's order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One range event: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The version the vulnerability was introduced in (`0` means the beginning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The first version that is no longer affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The last version that is affected (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// An upper limit on the range (exclusive); rarely used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `REPORT`, `WEB`, `PACKAGE`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_realistic_record_and_ignores_unknown_fields() {
        let json = r#"{
          "schema_version": "1.6.0",
          "id": "GHSA-xxxx-yyyy-zzzz",
          "modified": "2025-07-02T10:00:00Z",
          "published": "2025-07-01T00:00:00Z",
          "aliases": ["CVE-2025-53110"],
          "summary": "Path containment bypass",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N"}],
          "affected": [{
            "package": {"ecosystem": "npm", "name": "@modelcontextprotocol/server-filesystem"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2025.7.1"}]}],
            "database_specific": {"source": "x"}
          }],
          "references": [{"type": "ADVISORY", "url": "https://example.org/a"}],
          "unknown": {"nested": [1, 2]}
        }"#;
        let record: Record = serde_json::from_str(json).unwrap();
        assert_eq!(record.aliases, ["CVE-2025-53110"]);
        let affected = &record.affected[0];
        assert_eq!(affected.package.as_ref().unwrap().ecosystem, "npm");
        assert_eq!(
            affected.ranges[0].events[1].fixed.as_deref(),
            Some("2025.7.1")
        );
        assert!(!record.is_malicious());
    }
}
