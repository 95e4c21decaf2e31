//! `assay scan` on remote targets, through the real binary: what is refused before any
//! download (credential type mismatches, internal addresses, malformed targets), and
//! that credentials never appear in what the binary prints.

mod common;

use common::*;

const GITHUB_TOKEN: &str = "ghp_assayTestToken0123456789abcdefABCDEF";

fn assert_refused(out: &std::process::Output, code_name: &str) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{err}");
    assert!(
        err.starts_with(&format!("assay: error [{code_name}]")),
        "expected {code_name}: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains(GITHUB_TOKEN), "token echoed: {err}");
    assert!(out.stdout.is_empty(), "no report for a refused target");
}

#[test]
fn a_token_for_another_target_type_is_refused_before_any_download() {
    let tmp = tempfile::tempdir().unwrap();
    // Recognised by its prefix; the registry (a closed port) is never contacted.
    let out = assay_env(
        tmp.path(),
        &["scan", "pypi:requests==2.0.0", "--token", GITHUB_TOKEN],
        &[("ASSAY_PYPI_INDEX", "http://127.0.0.1:9/simple")],
    );
    assert_refused(&out, "CREDENTIAL_TYPE_MISMATCH");
    // Stated with --token-type (from the environment, as CI would pass it).
    let out = assay_env(
        tmp.path(),
        &["scan", "npm:left-pad@1.3.0", "--token-type", "docker"],
        &[("ASSAY_TOKEN", GITHUB_TOKEN)],
    );
    assert_refused(&out, "CREDENTIAL_TYPE_MISMATCH");
    // A local target takes no credentials at all.
    std::fs::create_dir(tmp.path().join("srv")).unwrap();
    let out = assay(tmp.path(), &["scan", "./srv", "--token", GITHUB_TOKEN]);
    assert_refused(&out, "CREDENTIAL_TYPE_MISMATCH");
    assert!(!tmp.path().join(".assay-cache").exists(), "nothing fetched");
}

#[test]
fn internal_addresses_are_refused_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    for (target, env) in [
        ("left-pad", ("ASSAY_NPM_REGISTRY", "http://127.0.0.1:9")),
        (
            "pypi:six",
            ("ASSAY_PYPI_INDEX", "http://169.254.169.254/simple"),
        ),
        ("git+http://10.0.0.1:9/repo.git", ("UNUSED", "")),
        ("oci://127.0.0.1:9/team/server:1.0", ("UNUSED", "")),
    ] {
        let out = assay_env(tmp.path(), &["scan", target], &[env]);
        assert_refused(&out, "PRIVATE_NETWORK_REFUSED");
        assert!(stderr(&out).contains("--allow-private-network"));
    }
    // Allowed, the same loopback registry is contacted (and found closed).
    let out = assay_env(
        tmp.path(),
        &["scan", "left-pad", "--allow-private-network"],
        &[("ASSAY_NPM_REGISTRY", "http://127.0.0.1:9")],
    );
    assert_refused(&out, "NETWORK_ERROR");
}

#[test]
fn malformed_targets_list_the_accepted_forms() {
    let tmp = tempfile::tempdir().unwrap();
    for target in [
        "ftp://example.org/x",
        "npm:Not A Name",
        "github:only-owner",
        "docker:image@sha256:short",
    ] {
        let out = assay(tmp.path(), &["scan", target]);
        assert_refused(&out, "INVALID_TARGET");
        assert!(stderr(&out).contains("accepted forms"), "{}", stderr(&out));
    }
    // Credentials in a URL are refused, and not echoed.
    let out = assay(
        tmp.path(),
        &[
            "scan",
            &format!("git+https://x:{GITHUB_TOKEN}@git.example.org/r.git"),
        ],
    );
    assert_refused(&out, "INVALID_TARGET");
    let out = assay(tmp.path(), &["scan", "./x", "--ref", "v1"]);
    assert_refused(&out, "INVALID_TARGET");
    let out = assay(
        tmp.path(),
        &["scan", "github:o/r", "--base-path", "a/../../b"],
    );
    assert_refused(&out, "INVALID_TARGET");
}

#[test]
fn a_local_base_path_scans_only_that_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("mono");
    write_vulnerable_server(&repo.join("packages/server"));
    std::fs::create_dir_all(repo.join("packages/other")).unwrap();
    std::fs::write(
        repo.join("packages/other/leak.js"),
        format!("const token = \"{}\";\n", synthetic_github_token()),
    )
    .unwrap();
    let out = assay(
        tmp.path(),
        &[
            "scan",
            "mono",
            "--base-path",
            "packages/server",
            "--format",
            "json",
        ],
    );
    let report = json(&out);
    assert_eq!(report["target"]["base_path"], "packages/server");
    let paths: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap().to_string())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths.iter().all(|p| p.starts_with("packages/server/")),
        "{paths:?}"
    );
    // Nothing outside the base path is read or listed as skipped.
    assert!(
        report["skipped"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let out = assay(
        tmp.path(),
        &["scan", "mono", "--base-path", "packages/missing"],
    );
    assert_refused(&out, "REMOTE_NOT_FOUND");
}
