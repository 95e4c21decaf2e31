//! `AS406` malicious-package: the package or a dependency is a known malicious package.

use assay_core::{AdvisoryMatch, Family, Finding, Location, RuleMeta, Severity};

use super::DependencyFacts;
use super::finding;
use super::vulnerable_dependency::advisory_evidence;
use crate::registry::{Rule, new_finding};

/// The rule.
pub struct MaliciousPackage;

static META: RuleMeta = RuleMeta {
    id: "AS406",
    name: "malicious-package",
    title: "Known malicious package",
    family: Family::SupplyChain,
    severity: Severity::Critical,
    cwe: &[506],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Reports the scanned package, or any dependency at any depth, that an OSV \
        malicious-package record (`MAL-…`, from the OpenSSF malicious-packages feed) \
        names at the version found. Always critical: these are packages published to \
        steal credentials, install backdoors or mine, not packages with bugs.",
    why: "A malicious package runs its payload at install time or on import, with the \
        rights of the agent that launched the server: its files, its shell and every token \
        in its environment.",
    remediation: "Do not install it. Remove the dependency (or the server), rotate every \
        credential the machine that installed it could read, and check for persistence.",
    references: &[
        "https://github.com/ossf/malicious-packages",
        "https://osv.dev/",
    ],
    examples: &[],
};

impl Rule for MaliciousPackage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_dependencies(&self, facts: &DependencyFacts<'_>, out: &mut Vec<Finding>) {
        for advisory in facts.package_advisories.iter().filter(|a| a.malicious) {
            let manifest = facts
                .package_named(&advisory.ecosystem, &advisory.package)
                .map_or("", |p| p.manifest.as_str());
            let mut f = new_finding(
                &META,
                Location::point(manifest, 1, 1),
                format!("{}@{}", advisory.package, advisory.version),
                message(advisory, "The scanned package"),
            );
            f.evidence.push(advisory_evidence(advisory));
            out.push(f);
        }
        for advisory in facts.advisories.iter().filter(|a| a.malicious) {
            for dependency in
                facts.dependencies_at(&advisory.ecosystem, &advisory.package, &advisory.version)
            {
                let mut f = finding::about(&META, dependency, message(advisory, "Dependency"));
                // Whatever the scope: a dev dependency's install scripts run on the
                // developer's machine.
                f.severity = Severity::Critical;
                f.evidence.push(advisory_evidence(advisory));
                out.push(f);
            }
        }
    }
}

fn message(advisory: &AdvisoryMatch, subject: &str) -> String {
    format!(
        "{subject} `{}@{}` is a known malicious package ({}){}",
        advisory.package,
        advisory.version,
        advisory.id,
        advisory
            .summary
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default()
    )
}
