//! `assay scan` of a remote target end to end, through the real binary, against a real
//! `git daemon` on loopback: parse → fetch → read → analyse → report, with the resolved
//! commit in the report, `--ref` and `--base-path` applied, and the cache serving a
//! repeated scan of the same commit with the server gone.

mod common;
#[path = "../../source/tests/support/mod.rs"]
mod support;

use common::*;
use support::{git, git_daemon, tool};

#[test]
fn scans_a_monorepo_package_from_a_git_server_then_from_the_cache() {
    let Some(git_path) = tool("ASSAY_TEST_GIT") else {
        return;
    };
    let served = tempfile::tempdir().unwrap();
    // `github:team/mono` is fetched as `<base>/team/mono.git`.
    let repo = served.path().join("team/mono.git");
    std::fs::create_dir_all(&repo).unwrap();
    git(&git_path, &repo, &["init", "-q", "-b", "main"]);
    write_vulnerable_server(&repo.join("packages/server"));
    std::fs::create_dir_all(repo.join("packages/other")).unwrap();
    std::fs::write(
        repo.join("packages/other/leak.js"),
        format!("const token = \"{}\";\n", synthetic_github_token()),
    )
    .unwrap();
    git(&git_path, &repo, &["add", "-A"]);
    git(&git_path, &repo, &["commit", "-q", "-m", "server"]);
    git(&git_path, &repo, &["tag", "v1.0.0"]);
    let server = git_daemon(&git_path, served.path());
    let github = format!("git://127.0.0.1:{}", server.port);

    let work = tempfile::tempdir().unwrap();
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "github:team/mono", "--format", "json"];
        args.extend_from_slice(extra);
        assay_env(work.path(), &args, &[("ASSAY_GITHUB_URL", &github)])
    };

    // Internal addresses are refused unless allowed.
    let refused = scan(&["--ref", "v1.0.0"]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(stderr(&refused).contains("PRIVATE_NETWORK_REFUSED"));

    let out = scan(&[
        "--ref",
        "v1.0.0",
        "--base-path",
        "packages/server",
        "--allow-private-network",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    let target = &report["target"];
    assert_eq!(target["kind"], "git");
    let commit = target["resolved"]["commit"].as_str().unwrap().to_string();
    assert_eq!(commit.len(), 40, "{target:#}");
    assert_eq!(target["canonical_id"], format!("github:team/mono@{commit}"));
    assert_eq!(target["base_path"], "packages/server");
    let ids = rule_ids(&report);
    assert!(ids.iter().any(|id| id == "AS101"), "{ids:?}");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("packages/server/")),
        "only the base path is analysed: {report:#}"
    );

    // The same commit again, by id, with the server gone: served from the cache.
    drop(server);
    let again = scan(&[
        "--ref",
        &commit,
        "--base-path",
        "packages/server",
        "--allow-private-network",
    ]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let again = json(&again);
    assert_eq!(again["target"]["digest"], target["digest"]);
    assert_eq!(again["findings"], report["findings"]);
}
