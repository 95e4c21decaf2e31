//! Plain data shared by every Assay crate.
//!
//! This crate holds no I/O and no analysis: only the vocabulary the other layers speak —
//! [`Finding`], [`RuleMeta`], [`Inventory`], [`Report`] and friends. Everything here is
//! serde-serialisable and carries a JSON Schema (via `schemars`) so that the report format
//! is a versioned, checked contract.

mod cancel;
mod chars;
mod dirs;
mod finding;
mod inventory;
mod limits;
mod location;
mod package;
mod progress;
mod report;
mod rule;
mod score;
mod severity;
mod supply;

pub use cancel::{Cancel, Cancelled};
pub use chars::is_invisible;
pub use dirs::{data_dir, data_dir_from};
pub use finding::{Evidence, Finding, FlowStep, fingerprint};
pub use inventory::{
    Annotations, Instructions, Inventory, Parameter, Prompt, Resource, SurfaceKind, Tool,
};
pub use limits::{LimitHit, LimitKind, SkipReason, SkippedEntry};
pub use location::Location;
pub use package::{Dependency, PackageInfo};
pub use progress::ProgressEvent;
pub use report::{
    FindingCounts, ImageInfo, Report, ReportTool, Resolution, SCHEMA_VERSION, ScanStats,
    SuppressedFinding, SuppressionKind, TargetInfo, UnusedSuppression,
};
pub use rule::{Example, ExampleKind, Family, RuleMeta};
pub use score::{Aivss, Deduction, FamilyScore, Grade, ScoreSummary};
pub use severity::{Confidence, Severity};
pub use supply::{
    AdvisoryMatch, DependencyCheck, DependencySource, ResolvedDependency, TyposquatCandidate,
    osv_ecosystem, package_url,
};
