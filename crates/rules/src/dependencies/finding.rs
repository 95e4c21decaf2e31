//! Findings about a dependency: located at the line of the lockfile or manifest that
//! declares it, with what the rules share as evidence (scope, directness, whether a
//! tool handler imports it).

use assay_core::{Confidence, Evidence, Finding, Location, ResolvedDependency, RuleMeta};

use super::DependencyFacts;
use crate::registry::new_finding;

/// `name@version` (or `name` with its requirement), the snippet of a dependency finding.
pub fn spec(dependency: &ResolvedDependency) -> String {
    match (&dependency.version, &dependency.requirement) {
        (Some(version), _) => format!("{}@{version}", dependency.name),
        (None, Some(requirement)) => format!("{} {requirement}", dependency.name),
        (None, None) => dependency.name.clone(),
    }
}

/// A finding of `meta` about `dependency`, at its declaration.
pub fn about(
    meta: &RuleMeta,
    dependency: &ResolvedDependency,
    message: impl Into<String>,
) -> Finding {
    let location = Location::point(&dependency.declared_in, dependency.line.unwrap_or(1), 1);
    let mut finding = new_finding(meta, location, spec(dependency), message);
    finding.evidence.push(Evidence::new(
        "dependency",
        format!(
            "{} {} dependency ({}), declared in {}",
            if dependency.direct {
                "direct"
            } else {
                "transitive"
            },
            dependency.scope,
            dependency.ecosystem,
            dependency.declared_in
        ),
    ));
    if dependency.version_from_range {
        finding.confidence = Confidence::Low;
        finding.evidence.push(Evidence::new(
            "version",
            format!(
                "no lockfile pins it: {} is the lowest version `{}` allows; the installed version may differ",
                dependency.version.as_deref().unwrap_or("?"),
                dependency.requirement.as_deref().unwrap_or("")
            ),
        ));
    }
    finding
}

/// Adds the reachability hint: which tool-declaring files import the dependency.
pub fn add_reachability(
    finding: &mut Finding,
    facts: &DependencyFacts<'_>,
    dependency: &ResolvedDependency,
) {
    let importers = facts.importers_of(dependency);
    let hint = if importers.is_empty() {
        "no file that declares MCP tools imports it directly".to_string()
    } else {
        importers
            .iter()
            .map(|h| format!("{} (tools: {})", h.path, h.tools.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let label = if importers.is_empty() {
        "reachability"
    } else {
        "imported by tool handlers"
    };
    finding.evidence.push(Evidence::new(label, hint));
}

/// Whether only developers install the dependency.
pub fn dev_only(dependency: &ResolvedDependency) -> bool {
    matches!(dependency.scope.as_str(), "dev" | "build")
}
