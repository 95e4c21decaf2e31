//! `AS407` typosquat-name: the package, or a direct dependency, imitates a popular name.

use assay_core::{Evidence, Family, Finding, Location, RuleMeta, Severity, TyposquatCandidate};

use super::DependencyFacts;
use super::finding;
use crate::registry::{Rule, new_finding};

/// The rule.
pub struct TyposquatName;

static META: RuleMeta = RuleMeta {
    id: "AS407",
    name: "typosquat-name",
    title: "Name imitates a popular package",
    family: Family::SupplyChain,
    severity: Severity::Medium,
    cwe: &[506, 1357],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Compares the scanned package's name and its direct dependencies' names with \
        bundled lists of popular npm and PyPI packages and well-known MCP servers and SDKs: \
        one edit away (two for long names), look-alike characters (`0`/`o`, `l`/`1`, \
        `rn`/`m`, Unicode confusables), separator games (`left-pad`/`leftpad`, npm only — \
        PyPI treats `-`, `_` and `.` alike) and scope look-alikes \
        (`@modeIcontextprotocol/sdk`, an unscoped copy of a scoped name). Names that are \
        themselves popular are never reported. The package itself imitating a popular \
        name is high; a dependency doing so is medium.",
    why: "Typosquats are the most common way malicious packages reach developers: a name \
        one keystroke from a popular package, or an MCP server named like the official \
        one, gets installed by people — and by agents — who meant the real thing.",
    remediation: "Check that the name is the package you meant (compare publisher, \
        repository and download counts with the popular one) and depend on the real \
        package instead.",
    references: &[
        "https://owasp.org/www-project-mcp-top-10/",
        "https://github.com/ossf/malicious-packages",
    ],
    examples: &[],
};

impl Rule for TyposquatName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_dependencies(&self, facts: &DependencyFacts<'_>, out: &mut Vec<Finding>) {
        for candidate in facts.typosquats {
            if let Some(package) = facts.package_named(&candidate.ecosystem, &candidate.name) {
                let mut f = new_finding(
                    &META,
                    Location::point(&package.manifest, 1, 1),
                    candidate.name.clone(),
                    format!(
                        "The scanned package `{}` imitates the popular `{}`",
                        candidate.name, candidate.resembles
                    ),
                );
                f.severity = Severity::High;
                f.evidence.push(technique(candidate));
                out.push(f);
                continue;
            }
            for dependency in facts
                .dependencies_on(&candidate.ecosystem, &candidate.name)
                .into_iter()
                .filter(|d| d.direct)
            {
                let mut f = finding::about(
                    &META,
                    dependency,
                    format!(
                        "Dependency `{}` imitates the popular `{}`",
                        candidate.name, candidate.resembles
                    ),
                );
                f.evidence.push(technique(candidate));
                out.push(f);
            }
        }
    }
}

fn technique(candidate: &TyposquatCandidate) -> Evidence {
    let how = match candidate.technique.as_str() {
        "edit-distance" => format!("{} edit(s) away", candidate.distance),
        "confusable" => "look-alike characters".to_string(),
        "separator" => "same name with different separators".to_string(),
        "scope" => "look-alike or missing npm scope".to_string(),
        other => other.to_string(),
    };
    Evidence::new("resembles", format!("{} ({how})", candidate.resembles))
}
