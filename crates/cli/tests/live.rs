//! Opt-in smoke test against the real public registries, as configured on this machine
//! (npm's and pip's own configuration; no registry address is written here):
//!
//!   ASSAY_LIVE_TESTS=1 cargo test -p assay-cli --test live
//!
//! Scans one small, long-published package from each and checks that it resolved,
//! downloaded, verified and was read. Off by default: CI has no business depending on a
//! public registry being up.

mod common;

use common::*;

fn live() -> bool {
    let on = std::env::var("ASSAY_LIVE_TESTS").as_deref() == Ok("1");
    if !on {
        eprintln!("skipping live registry smoke test: set ASSAY_LIVE_TESTS=1");
    }
    on
}

fn scan_live(target: &str) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let out = assay(tmp.path(), &["scan", target, "--format", "json"]);
    assert!(
        matches!(code(&out), 0 | 1),
        "{target}: exit {} {}",
        code(&out),
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(report["complete"], true, "{report:#}");
    assert!(report["stats"]["files"].as_u64().unwrap() > 0);
    // A second scan is served from the cache and reports the same snapshot.
    let again = json(&assay(tmp.path(), &["scan", target, "--format", "json"]));
    assert_eq!(again["target"], report["target"]);
    report
}

#[test]
fn scans_a_real_npm_package() {
    if !live() {
        return;
    }
    let report = scan_live("npm:is-number@7.0.0");
    assert_eq!(report["target"]["kind"], "npm");
    assert_eq!(report["target"]["canonical_id"], "npm:is-number@7.0.0");
    let digest = report["target"]["resolved"]["artifact_digest"]
        .as_str()
        .unwrap();
    assert!(digest.starts_with("sha512:"), "{digest}");
}

#[test]
fn scans_a_real_pypi_project() {
    if !live() {
        return;
    }
    let report = scan_live("pypi:six==1.16.0");
    assert_eq!(report["target"]["kind"], "pypi");
    assert_eq!(report["target"]["canonical_id"], "pypi:six==1.16.0");
    let digest = report["target"]["resolved"]["artifact_digest"]
        .as_str()
        .unwrap();
    assert!(digest.starts_with("sha256:"), "{digest}");
}
