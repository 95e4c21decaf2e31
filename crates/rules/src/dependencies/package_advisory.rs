//! `AS405` package-advisory: the scanned package's own version has advisories.

use assay_core::{Evidence, Family, Finding, Location, RuleMeta, Severity};

use super::DependencyFacts;
use super::vulnerable_dependency::{advisory_evidence, message, worst_severity};
use crate::registry::{Rule, new_finding};

/// The rule.
pub struct PackageAdvisory;

static META: RuleMeta = RuleMeta {
    id: "AS405",
    name: "package-advisory",
    title: "The server itself has a published vulnerability",
    family: Family::SupplyChain,
    severity: Severity::High,
    cwe: &[1395],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Matches the scanned package's own name and version (from its `package.json`, \
        `pyproject.toml` or `setup.cfg`, or the version a registry target resolved to) \
        against the local OSV advisory database: the release being vetted is one an \
        advisory covers. The severity is the worst advisory's; the evidence lists every \
        advisory with its affected range and first fixed version.",
    why: "Advisories for MCP servers describe exactly the flaws agents trigger — command \
        injection through tool arguments, path containment bypasses, SSRF, OAuth URL \
        handling — and a published advisory means the exploit is known. Installing an \
        affected release hands that flaw to every prompt the agent reads.",
    remediation: "Install the first fixed release (or later) instead, and pin it in the \
        client configuration.",
    references: &[
        "https://osv.dev/",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[],
};

impl Rule for PackageAdvisory {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_dependencies(&self, facts: &DependencyFacts<'_>, out: &mut Vec<Finding>) {
        let advisories: Vec<_> = facts
            .package_advisories
            .iter()
            .filter(|a| !a.malicious)
            .collect();
        let Some(first) = advisories.first() else {
            return;
        };
        let manifest = facts
            .package_named(&first.ecosystem, &first.package)
            .map_or("", |p| p.manifest.as_str());
        let mut f = new_finding(
            &META,
            Location::point(manifest, 1, 1),
            format!("{}@{}", first.package, first.version),
            message(first, &advisories),
        );
        f.severity = worst_severity(&advisories, META.severity);
        f.evidence.push(Evidence::new(
            "package",
            format!("{} {} ({})", first.package, first.version, first.ecosystem),
        ));
        f.evidence
            .extend(advisories.iter().map(|a| advisory_evidence(a)));
        out.push(f);
    }
}
