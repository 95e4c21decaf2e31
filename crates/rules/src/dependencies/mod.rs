//! AS404–AS407: what the package depends on, judged against the advisory database and
//! lists of popular names. These rules see facts, not files: the engine resolves the
//! dependencies (lockfiles, manifests, packages installed in an image), matches them
//! against the local OSV database and the typosquat lists (the `advisory` crate), and
//! hands the results here as [`DependencyFacts`]. Without an advisory database the
//! advisory rules have nothing to report, and the report says the check was skipped.
//!
//! | rule | finds |
//! |---|---|
//! | `AS404` [`VulnerableDependency`] | dependencies at versions with published advisories |
//! | `AS405` [`PackageAdvisory`] | the scanned package's own version has advisories |
//! | `AS406` [`MaliciousPackage`] | the package or a dependency is a known malicious package (OSV `MAL-`) |
//! | `AS407` [`TyposquatName`] | the package or a direct dependency imitates a popular name |

mod facts;
mod finding;
mod imports;
mod malicious_package;
mod package_advisory;
mod typosquat_name;
mod vulnerable_dependency;

pub use facts::{DependencyFacts, HandlerImports};
pub use imports::imported_packages;
pub use malicious_package::MaliciousPackage;
pub use package_advisory::PackageAdvisory;
pub use typosquat_name::TyposquatName;
pub use vulnerable_dependency::VulnerableDependency;

use assay_core::Finding;

use crate::Rule;
use crate::registry::RuleSet;

/// Every rule of this group.
pub static RULES: &[&dyn Rule] = &[
    &VulnerableDependency,
    &PackageAdvisory,
    &MaliciousPackage,
    &TyposquatName,
];

/// Runs the dependency rules over the facts.
pub fn analyze_dependencies(facts: &DependencyFacts<'_>, rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules.rules() {
        rule.check_dependencies(facts, &mut findings);
    }
    crate::analyze::finish(&mut findings);
    findings
}
