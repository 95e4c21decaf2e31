//! `AS404` vulnerable-dependency: a dependency at a version an OSV advisory covers.

use std::collections::BTreeMap;

use assay_core::{AdvisoryMatch, Evidence, Family, Finding, RuleMeta, Severity};

use super::DependencyFacts;
use super::finding::{self, add_reachability, dev_only};
use crate::registry::Rule;

/// The rule.
pub struct VulnerableDependency;

static META: RuleMeta = RuleMeta {
    id: "AS404",
    name: "vulnerable-dependency",
    title: "Dependency with a known vulnerability",
    family: Family::SupplyChain,
    severity: Severity::High,
    cwe: &[1395, 937],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Matches every dependency — from lockfiles (package-lock, yarn, pnpm, poetry, \
        uv, Pipfile.lock, go.sum, Cargo.lock), manifests (lowest version a range allows, \
        marked as a hint) and packages installed in an image — against the local OSV \
        advisory database (`assay db update`), with each ecosystem's version ordering. \
        One finding per dependency lists every advisory (id, aliases, affected range, \
        first fixed version); its severity is the worst advisory's (CVSS where the record \
        has one, else its label); development-only dependencies, and versions only \
        inferred from a manifest range (no lockfile), are low severity and the latter low \
        confidence; the evidence says whether a file that declares MCP tools imports the \
        package.",
    why: "An MCP server runs with the agent's files, shell and tokens: a known-vulnerable \
        library in it (a path traversal in an archive extractor, a prototype pollution in \
        a parser, an SSRF in an HTTP client) is reachable by whatever the model passes to \
        the tools, and published exploits exist for it.",
    remediation: "Upgrade the dependency to the first fixed version (or later) and \
        regenerate the lockfile; for a transitive dependency, upgrade the direct \
        dependency that pulls it in, or pin it with npm `overrides` / pip constraints.",
    references: &[
        "https://osv.dev/",
        "https://ossf.github.io/osv-schema/",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[],
};

impl Rule for VulnerableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_dependencies(&self, facts: &DependencyFacts<'_>, out: &mut Vec<Finding>) {
        let mut grouped: BTreeMap<(&str, &str, &str), Vec<&AdvisoryMatch>> = BTreeMap::new();
        for advisory in facts.advisories.iter().filter(|a| !a.malicious) {
            grouped
                .entry((&advisory.ecosystem, &advisory.package, &advisory.version))
                .or_default()
                .push(advisory);
        }
        for ((ecosystem, package, version), advisories) in grouped {
            for dependency in facts.dependencies_at(ecosystem, package, version) {
                let mut f = finding::about(&META, dependency, message(advisories[0], &advisories));
                f.severity = worst_severity(&advisories, META.severity);
                // Only developers install it, or no lockfile pins it and the range
                // merely admits the affected version (installs usually get a newer
                // one): a hint, not a finding to block on.
                if dev_only(dependency) || dependency.version_from_range {
                    f.severity = Severity::Low;
                }
                for advisory in &advisories {
                    f.evidence.push(advisory_evidence(advisory));
                }
                add_reachability(&mut f, facts, dependency);
                out.push(f);
            }
        }
    }
}

/// The worst severity among `advisories`, counting one without a severity as `default`.
pub(super) fn worst_severity(advisories: &[&AdvisoryMatch], default: Severity) -> Severity {
    advisories
        .iter()
        .map(|a| a.severity.unwrap_or(default))
        .max()
        .unwrap_or(default)
}

/// `name@1.2.3` has N known vulnerabilities: GHSA-… (CVE-…): summary; fixed in 1.2.4.
pub(super) fn message(first: &AdvisoryMatch, advisories: &[&AdvisoryMatch]) -> String {
    let ids: Vec<String> = advisories.iter().map(|a| display_id(a)).collect();
    let fixed = advisories
        .iter()
        .filter_map(|a| a.fixed.as_deref())
        .max_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    let summary = match advisories {
        [only] => only
            .summary
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    format!(
        "`{}@{}` is affected by {}{summary}{}",
        first.package,
        first.version,
        ids.join(", "),
        fixed
            .map(|f| format!("; fixed in {f}"))
            .unwrap_or_else(|| "; no fixed version is published".into())
    )
}

fn display_id(advisory: &AdvisoryMatch) -> String {
    let cve = advisory.aliases.iter().find(|a| a.starts_with("CVE-"));
    match cve {
        Some(cve) => format!("{} ({cve})", advisory.id),
        None => advisory.id.clone(),
    }
}

/// One evidence line per advisory: id, severity, range, fix, first link.
pub(super) fn advisory_evidence(advisory: &AdvisoryMatch) -> Evidence {
    let mut parts = vec![display_id(advisory)];
    if let Some(severity) = advisory.severity {
        parts.push(format!("severity {severity}"));
    }
    if !advisory.affected.is_empty() {
        parts.push(format!("affected {}", advisory.affected.join(" or ")));
    }
    if let Some(fixed) = &advisory.fixed {
        parts.push(format!("fixed in {fixed}"));
    }
    if let Some(link) = advisory.references.first() {
        parts.push(link.clone());
    }
    Evidence::new("advisory", parts.join("; "))
}
