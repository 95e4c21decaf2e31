//! The dependency check through the real binary: `assay db import` of OSV records, then
//! scans that match lockfiles against them (findings, report fields, the CycloneDX SBOM),
//! a scan without a database that says it skipped the match, and a broken lockfile that
//! makes the scan incomplete without stopping it.

mod common;

use std::path::Path;

use common::*;

fn case(id: &str, variant: &str) -> String {
    repo_root()
        .join("corpus/cases")
        .join(id)
        .join(variant)
        .display()
        .to_string()
}

fn import_corpus_advisories(cwd: &Path) {
    let advisories = repo_root().join("corpus/advisories");
    let out = assay(cwd, &["db", "import", advisories.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_locked_vulnerable_sdk_is_reported_and_its_fix_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    import_corpus_advisories(tmp.path());

    let report = scan_json(
        tmp.path(),
        &case("ts-sdk-lockfile-dns-rebinding", "vulnerable"),
    );
    assert_eq!(
        report["dependency_check"]["status"], "ran",
        "{:#}",
        report["dependency_check"]
    );
    assert!(
        report["dependency_check"]["database_records"]
            .as_u64()
            .unwrap()
            >= 3
    );
    let sdk = report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "@modelcontextprotocol/sdk")
        .expect("the SDK is listed");
    assert_eq!(sdk["version"], "1.12.0");
    assert_eq!(sdk["direct"], true);
    assert_eq!(sdk["declared_in"], "package-lock.json");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "AS404")
        .expect("AS404 reported");
    assert_eq!(finding["severity"], "high");
    assert_eq!(finding["location"]["path"], "package-lock.json");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("GHSA-w48q-cv73-mx4w")
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("fixed in 1.24.0")
    );
    // src/index.ts declares tools and imports the SDK: the reachability hint says so.
    assert!(
        finding["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["label"] == "imported by tool handlers"
                && e["value"].as_str().unwrap().starts_with("src/index.ts")),
        "{finding:#}"
    );
    assert_eq!(report["advisories"][0]["id"], "GHSA-w48q-cv73-mx4w");

    let fixed = scan_json(tmp.path(), &case("ts-sdk-lockfile-dns-rebinding", "fixed"));
    assert!(rule_ids(&fixed).iter().all(|id| id != "AS404"));
    assert!(fixed["advisories"].as_array().unwrap().is_empty());

    // The SBOM carries the same facts.
    let out = assay(
        tmp.path(),
        &[
            "scan",
            &case("ts-sdk-lockfile-dns-rebinding", "vulnerable"),
            "--format",
            "cyclonedx",
        ],
    );
    let bom = json(&out);
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["vulnerabilities"][0]["id"], "GHSA-w48q-cv73-mx4w");
    assert_eq!(
        bom["vulnerabilities"][0]["affects"][0]["ref"],
        "pkg:npm/%40modelcontextprotocol/sdk@1.12.0"
    );
}

#[test]
fn without_a_database_the_match_is_skipped_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let report = scan_json(
        tmp.path(),
        &case("ts-sdk-lockfile-dns-rebinding", "vulnerable"),
    );
    let check = &report["dependency_check"];
    assert_eq!(check["status"], "skipped");
    assert!(
        check["reason"]
            .as_str()
            .unwrap()
            .contains("assay db update"),
        "{check:#}"
    );
    // Dependencies are still listed, and no AS404 is invented.
    assert!(!report["dependencies"].as_array().unwrap().is_empty());
    assert!(rule_ids(&report).iter().all(|id| id != "AS404"));
    // --no-advisories skips it even when a database exists.
    import_corpus_advisories(tmp.path());
    let out = assay(
        tmp.path(),
        &[
            "scan",
            &case("ts-sdk-lockfile-dns-rebinding", "vulnerable"),
            "--format",
            "json",
            "--no-advisories",
        ],
    );
    assert_eq!(json(&out)["dependency_check"]["status"], "skipped");
}

#[test]
fn a_broken_lockfile_makes_the_scan_incomplete_but_not_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let srv = tmp.path().join("srv");
    write_vulnerable_server(&srv);
    std::fs::write(
        srv.join("package-lock.json"),
        "{\"lockfileVersion\": 3, \"packages\": [",
    )
    .unwrap();
    let out = assay(tmp.path(), &["scan", "srv", "--format", "json"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["complete"], false);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].as_str().unwrap().starts_with("package-lock.json"));
    // The rest of the scan still ran.
    assert!(rule_ids(&report).iter().any(|id| id == "AS101"));
}
