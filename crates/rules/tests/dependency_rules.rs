//! Tests of the `AS404`–`AS407` dependency rules: metadata, and each rule on facts as the
//! engine builds them (dependencies from lockfiles, advisory matches, typosquat
//! candidates, what tool-handler files import).

mod rule_family_common;

use assay_core::{
    AdvisoryMatch, Confidence, DependencySource, Family, Finding, PackageInfo, ResolvedDependency,
    Severity, TyposquatCandidate,
};
use assay_rules::dependencies::{self, DependencyFacts, HandlerImports};
use assay_rules::registry::RuleSet;
use rule_family_common::check_metadata_fields;

fn dep(name: &str, version: &str, direct: bool, scope: &str) -> ResolvedDependency {
    ResolvedDependency {
        ecosystem: "npm".into(),
        name: name.into(),
        version: Some(version.into()),
        requirement: None,
        version_from_range: false,
        direct,
        scope: scope.into(),
        source: DependencySource::Registry,
        declared_in: "package-lock.json".into(),
        line: Some(12),
    }
}

fn advisory(id: &str, name: &str, version: &str, severity: Option<Severity>) -> AdvisoryMatch {
    AdvisoryMatch {
        ecosystem: "npm".into(),
        package: name.into(),
        version: version.into(),
        id: id.into(),
        aliases: vec![format!("CVE-2025-{}", id.len())],
        summary: Some("Prototype pollution in parser".into()),
        severity,
        cvss_vector: None,
        affected: vec![">=1.0.0, <1.4.2".into()],
        fixed: Some("1.4.2".into()),
        malicious: id.starts_with("MAL-"),
        references: vec!["https://osv.dev/vulnerability/x".into()],
    }
}

fn package(name: &str, version: &str) -> PackageInfo {
    PackageInfo {
        ecosystem: "npm".into(),
        name: Some(name.into()),
        version: Some(version.into()),
        manifest: "package.json".into(),
        dependencies: Vec::new(),
        install_scripts: Vec::new(),
        entry_points: Vec::new(),
    }
}

#[derive(Default)]
struct Facts {
    dependencies: Vec<ResolvedDependency>,
    advisories: Vec<AdvisoryMatch>,
    packages: Vec<PackageInfo>,
    package_advisories: Vec<AdvisoryMatch>,
    typosquats: Vec<TyposquatCandidate>,
    imports: Vec<HandlerImports>,
}

impl Facts {
    fn run(&self) -> Vec<Finding> {
        let facts = DependencyFacts::new(
            &self.dependencies,
            &self.advisories,
            &self.packages,
            &self.package_advisories,
            &self.typosquats,
            &self.imports,
        );
        dependencies::analyze_dependencies(&facts, &RuleSet::all())
    }
}

fn evidence<'f>(finding: &'f Finding, label: &str) -> Vec<&'f str> {
    finding
        .evidence
        .iter()
        .filter(|e| e.label == label)
        .map(|e| e.value.as_str())
        .collect()
}

#[test]
fn rule_metadata_is_complete() {
    check_metadata_fields(dependencies::RULES, Family::SupplyChain, 4);
}

#[test]
fn vulnerable_dependencies_group_advisories_and_say_who_imports_them() {
    let facts = Facts {
        dependencies: vec![
            dep("parse-thing", "1.2.0", true, "runtime"),
            dep("safe-thing", "2.0.0", true, "runtime"),
        ],
        advisories: vec![
            advisory("GHSA-aaaa", "parse-thing", "1.2.0", Some(Severity::Medium)),
            advisory(
                "GHSA-bbbb",
                "parse-thing",
                "1.2.0",
                Some(Severity::Critical),
            ),
        ],
        imports: vec![HandlerImports {
            path: "src/index.ts".into(),
            tools: vec!["parse".into()],
            imports: vec!["parse-thing".into(), "@modelcontextprotocol/sdk".into()],
        }],
        ..Facts::default()
    };
    let findings = facts.run();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.rule_id, "AS404");
    assert_eq!(f.severity, Severity::Critical, "worst advisory wins");
    assert_eq!(f.location.path, "package-lock.json");
    assert_eq!(f.location.line, 12);
    assert_eq!(f.snippet, "parse-thing@1.2.0");
    assert!(f.message.contains("GHSA-aaaa") && f.message.contains("GHSA-bbbb"));
    assert!(f.message.contains("fixed in 1.4.2"), "{}", f.message);
    assert_eq!(evidence(f, "advisory").len(), 2);
    assert_eq!(
        evidence(f, "imported by tool handlers"),
        ["src/index.ts (tools: parse)"]
    );
}

#[test]
fn development_and_range_inferred_versions_are_tempered() {
    let mut ranged = dep("parse-thing", "1.2.0", true, "runtime");
    ranged.version_from_range = true;
    ranged.requirement = Some("^1.2.0".into());
    ranged.declared_in = "package.json".into();
    let facts = Facts {
        dependencies: vec![dep("lint-thing", "0.1.0", true, "dev"), ranged],
        advisories: vec![
            advisory("GHSA-cccc", "lint-thing", "0.1.0", Some(Severity::High)),
            advisory("GHSA-aaaa", "parse-thing", "1.2.0", Some(Severity::High)),
        ],
        ..Facts::default()
    };
    let findings = facts.run();
    let dev = findings
        .iter()
        .find(|f| f.snippet.starts_with("lint-thing"))
        .unwrap();
    assert_eq!(dev.severity, Severity::Low);
    let ranged = findings
        .iter()
        .find(|f| f.snippet.starts_with("parse-thing"))
        .unwrap();
    assert_eq!(
        ranged.severity,
        Severity::Low,
        "a range merely admits the version"
    );
    assert_eq!(ranged.confidence, Confidence::Low);
    assert!(evidence(ranged, "version")[0].contains("^1.2.0"));
    assert_eq!(
        evidence(ranged, "reachability"),
        ["no file that declares MCP tools imports it directly"]
    );
}

#[test]
fn the_package_itself_and_malicious_records() {
    let facts = Facts {
        packages: vec![package("files-mcp", "1.0.0")],
        package_advisories: vec![advisory("GHSA-self", "files-mcp", "1.0.0", None)],
        dependencies: vec![dep("evil-helper", "0.0.1", false, "dev")],
        advisories: vec![advisory("MAL-2025-1", "evil-helper", "0.0.1", None)],
        ..Facts::default()
    };
    let findings = facts.run();
    let own = findings.iter().find(|f| f.rule_id == "AS405").unwrap();
    assert_eq!(own.location.path, "package.json");
    assert_eq!(
        own.severity,
        Severity::High,
        "no severity in the record: the rule's"
    );
    let mal = findings.iter().find(|f| f.rule_id == "AS406").unwrap();
    assert_eq!(mal.severity, Severity::Critical, "even as a dev dependency");
    assert!(mal.message.contains("MAL-2025-1"));
    assert!(
        findings.iter().all(|f| f.rule_id != "AS404"),
        "malicious is not also a vulnerability"
    );
}

#[test]
fn typosquats_of_the_package_and_its_direct_dependencies() {
    let candidate = |name: &str, resembles: &str| TyposquatCandidate {
        ecosystem: "npm".into(),
        name: name.into(),
        resembles: resembles.into(),
        technique: "edit-distance".into(),
        distance: 1,
    };
    let facts = Facts {
        packages: vec![package("@modeicontextprotocol/server-filesystem", "1.0.0")],
        dependencies: vec![
            dep("loadsh", "4.17.21", true, "runtime"),
            dep("crossenv", "7.0.0", false, "runtime"),
        ],
        typosquats: vec![
            candidate(
                "@modeicontextprotocol/server-filesystem",
                "@modelcontextprotocol/server-filesystem",
            ),
            candidate("loadsh", "lodash"),
            candidate("crossenv", "cross-env"),
        ],
        ..Facts::default()
    };
    let findings = facts.run();
    let ids: Vec<(&str, Severity)> = findings
        .iter()
        .map(|f| (f.snippet.as_str(), f.severity))
        .collect();
    assert!(ids.contains(&("@modeicontextprotocol/server-filesystem", Severity::High)));
    assert!(ids.contains(&("loadsh@4.17.21", Severity::Medium)));
    assert!(
        !ids.iter().any(|(s, _)| s.starts_with("crossenv")),
        "transitive names are not reported: {ids:?}"
    );
}
