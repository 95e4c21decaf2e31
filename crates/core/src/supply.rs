//! Supply-chain facts: resolved dependencies, advisory matches, typosquat candidates,
//! and whether the dependency check ran. Produced by the `advisory` crate, turned into
//! findings by the `AS4xx` rules, listed in the report and the CycloneDX SBOM.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Severity;

/// A dependency, from a lockfile or a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct ResolvedDependency {
    /// OSV ecosystem name: `npm`, `PyPI`, `Go` or `crates.io`.
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
    /// The exact version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The requirement as declared (`^1.2.0`, `>=2,<3`), when declared in a manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    /// True when `version` is only the lowest version the requirement allows (no
    /// lockfile pinned it): matches against it are hints, not facts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub version_from_range: bool,
    /// Declared by the package itself (not pulled in by another dependency).
    pub direct: bool,
    /// `runtime`, `dev`, `optional`, `peer` or `build`.
    pub scope: String,
    /// Where it is installed from.
    pub source: DependencySource,
    /// The lockfile or manifest it was read from (snapshot path).
    pub declared_in: String,
    /// The line in that file, when known (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl ResolvedDependency {
    /// The package URL (`pkg:npm/%40scope/name@1.2.3`, `pkg:pypi/name@1.2`,
    /// `pkg:golang/…`, `pkg:cargo/…`), see [`package_url`].
    pub fn purl(&self) -> String {
        package_url(&self.ecosystem, &self.name, self.version.as_deref())
    }
}

/// The package URL of `name` (at `version`) in an OSV `ecosystem`.
pub fn package_url(ecosystem: &str, name: &str, version: Option<&str>) -> String {
    let kind = match ecosystem {
        "npm" => "npm",
        "PyPI" => "pypi",
        "Go" => "golang",
        "crates.io" => "cargo",
        other => other,
    };
    let name = match kind {
        "npm" => name.replace('@', "%40"),
        "pypi" => name.to_ascii_lowercase().replace('_', "-"),
        _ => name.to_string(),
    };
    match version {
        Some(version) => format!("pkg:{kind}/{name}@{version}"),
        None => format!("pkg:{kind}/{name}"),
    }
}

/// The OSV ecosystem name of a manifest's ecosystem as [`crate::PackageInfo`] spells it
/// (`npm`, `pypi`, `go`).
pub fn osv_ecosystem(manifest_ecosystem: &str) -> Option<&'static str> {
    match manifest_ecosystem {
        "npm" => Some("npm"),
        "pypi" => Some("PyPI"),
        "go" => Some("Go"),
        _ => None,
    }
}

/// Where a dependency is installed from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DependencySource {
    /// The ecosystem's registry.
    Registry,
    /// A git repository.
    Git {
        /// The repository URL (credentials removed).
        url: String,
        /// The branch, tag or commit, when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// An archive URL.
    Url {
        /// The URL (credentials removed).
        url: String,
    },
    /// A local path.
    Path {
        /// The path.
        path: String,
    },
}

/// An advisory that affects a dependency, or the scanned package itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryMatch {
    /// OSV ecosystem of the affected package.
    pub ecosystem: String,
    /// The affected package.
    pub package: String,
    /// The version found.
    pub version: String,
    /// The advisory's id (`GHSA-…`, `PYSEC-…`, `MAL-…`).
    pub id: String,
    /// Other ids (`CVE-…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Severity from the record's CVSS vector or label, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The record's CVSS vector, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    /// The affected ranges, as text (`>=1.0.0, <1.4.2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<String>,
    /// The first version that fixes it, for the range the version is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// An OSV malicious-package record (`MAL-…`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub malicious: bool,
    /// Advisory links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A dependency (or the package itself) whose name imitates a popular package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TyposquatCandidate {
    /// OSV ecosystem.
    pub ecosystem: String,
    /// The suspicious name.
    pub name: String,
    /// The popular name it resembles.
    pub resembles: String,
    /// `edit-distance`, `confusable`, `separator`, `scope` or `combo`.
    pub technique: String,
    /// Edit distance between the two names (0 for pure confusables/separators).
    pub distance: u32,
}

/// Whether the dependency check ran, and against what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DependencyCheck {
    /// `ran` or `skipped`.
    pub status: String,
    /// Why it was skipped, or what limited it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the advisory database was last built (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_built_at: Option<String>,
    /// Advisory records in the database.
    #[serde(default)]
    pub database_records: u64,
    /// Dependencies checked.
    #[serde(default)]
    pub dependencies_checked: u64,
}
