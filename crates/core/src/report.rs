use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    AdvisoryMatch, DependencyCheck, Finding, Inventory, LimitHit, Location, PackageInfo,
    ResolvedDependency, ScoreSummary, Severity, SkippedEntry,
};

/// Version of the JSON report format. Bump the major part on any breaking change.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// The complete result of one scan. Apart from `generated_at` and `stats.duration_ms`, the
/// same input always produces the same report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// [`SCHEMA_VERSION`] of this document.
    pub schema_version: String,
    /// The scanner that produced it.
    pub tool: ReportTool,
    /// When the report was produced (RFC 3339, UTC).
    pub generated_at: String,
    /// What was scanned.
    pub target: TargetInfo,
    /// False when a limit was hit, entries were rejected or an analyser failed: the
    /// findings may then be missing some problems, and the CLI exits with code 3.
    pub complete: bool,
    /// Limits that were hit.
    pub limits_hit: Vec<LimitHit>,
    /// Entries that were not analysed, and why.
    pub skipped: Vec<SkippedEntry>,
    /// Analyser errors (a file that could not be analysed, with the reason).
    pub errors: Vec<String>,
    /// Counters.
    pub stats: ScanStats,
    /// Package manifests found in the snapshot.
    pub packages: Vec<PackageInfo>,
    /// Every dependency resolved from lockfiles, manifests and installed packages.
    #[serde(default)]
    pub dependencies: Vec<ResolvedDependency>,
    /// Whether the dependency check against the advisory database ran.
    #[serde(default)]
    pub dependency_check: DependencyCheck,
    /// Advisories matching the dependencies or the package itself (the findings
    /// `AS404`–`AS406` are made from these).
    #[serde(default)]
    pub advisories: Vec<AdvisoryMatch>,
    /// The MCP surface: tools, prompts, resources, instructions.
    pub inventory: Inventory,
    /// Score and grade.
    pub score: ScoreSummary,
    /// Unsuppressed findings by severity.
    pub counts: FindingCounts,
    /// Unsuppressed findings, sorted by severity (worst first), then location.
    pub findings: Vec<Finding>,
    /// Findings silenced by an inline comment, `assay.toml` or the baseline.
    pub suppressed: Vec<SuppressedFinding>,
    /// Ignores and baseline entries that matched nothing (stale noise control).
    pub unused_suppressions: Vec<UnusedSuppression>,
}

/// Identifies the scanner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReportTool {
    /// Always `assay`.
    pub name: String,
    /// Engine version.
    pub version: String,
    /// Number of rules that were enabled.
    pub rules_enabled: u32,
}

/// What was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetInfo {
    /// The target as the user typed it.
    pub input: String,
    /// `directory`, `archive`, `npm`, `pypi`, `git` or `oci`.
    pub kind: String,
    /// A canonical id for the target, pinned to what was resolved: `local:<name>`,
    /// `npm:@scope/name@1.2.3`, `pypi:name==1.2`, `github:owner/repo@<commit>`,
    /// `git:<url>@<commit>`, `docker:org/image@sha256:…`.
    pub canonical_id: String,
    /// `sha256:` digest of the snapshot's content (sorted paths and file hashes).
    pub digest: String,
    /// Where a remote target was resolved to (absent for local targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolution>,
    /// The subdirectory scanned (`--base-path`, or a `/tree/<ref>/<dir>` URL), relative
    /// to the artifact's root; finding paths stay relative to that root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_path: Option<String>,
}

/// What a remote target resolved to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Resolution {
    /// The concrete package version (npm, PyPI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The commit id (git).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The digest the artifact was verified against: npm's `dist.integrity` as
    /// `sha512:<hex>`, PyPI's `sha256:<hex>`, an image manifest's `sha256:<hex>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_digest: Option<String>,
    /// The artifact's file name (`name-1.2.3.tgz`, `name-1.2.tar.gz`) or the image
    /// platform (`linux/amd64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// What an OCI image runs, from its config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageInfo>,
}

/// An OCI image's run configuration and where its application was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ImageInfo {
    /// `User` from the config (`""` or absent means root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `Entrypoint`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    /// `Cmd`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cmd: Vec<String>,
    /// `WorkingDir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// `ExposedPorts` (`8080/tcp`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<String>,
    /// Names of the `Env` variables (values are not copied into the report; secrets in
    /// them are reported as findings, redacted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_names: Vec<String>,
    /// The directories of the image that were scanned as the application.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_roots: Vec<String>,
}

/// Counters about the scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScanStats {
    /// Files analysed.
    pub files: u64,
    /// Bytes analysed.
    pub bytes: u64,
    /// Files analysed per language (`javascript`, `typescript`, `python`, `go`, `other`).
    pub languages: BTreeMap<String, u64>,
    /// Wall-clock duration in milliseconds.
    pub duration_ms: u64,
}

/// Unsuppressed findings by severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindingCounts {
    /// Critical.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
    /// Low.
    pub low: u32,
    /// Info.
    pub info: u32,
    /// All of them.
    pub total: u32,
}

impl FindingCounts {
    /// Counts the findings by severity.
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = FindingCounts::default();
        for finding in findings {
            match finding.severity {
                Severity::Critical => counts.critical += 1,
                Severity::High => counts.high += 1,
                Severity::Medium => counts.medium += 1,
                Severity::Low => counts.low += 1,
                Severity::Info => counts.info += 1,
            }
            counts.total += 1;
        }
        counts
    }
}

/// How a finding was silenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionKind {
    /// An `assay-ignore: ID reason` comment in the source.
    Inline,
    /// A rule ignore or path exclude in `assay.toml`.
    Config,
    /// A fingerprint in the baseline file.
    Baseline,
}

/// A finding that was silenced, kept for auditability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuppressedFinding {
    /// Rule id.
    pub rule_id: String,
    /// Where the finding was.
    pub location: Location,
    /// Its fingerprint.
    pub fingerprint: String,
    /// How it was silenced.
    pub kind: SuppressionKind,
    /// The reason given, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An ignore or baseline entry that matched no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnusedSuppression {
    /// Which mechanism.
    pub kind: SuppressionKind,
    /// What the entry says (e.g. `assay-ignore: AS101` or a fingerprint).
    pub entry: String,
    /// Where the entry is, for inline comments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}
