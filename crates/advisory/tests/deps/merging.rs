//! `merge` and `extract`: lockfiles win over manifests, manifests mark direct
//! dependencies, duplicates collapse, order is deterministic.

use std::collections::BTreeMap;

use assay_advisory::deps::{self, merge};
use assay_core::ResolvedDependency;

use crate::{assert_rows, bytes, find, parsed, row};

fn files(paths: &[&str]) -> Vec<(String, Vec<ResolvedDependency>)> {
    paths.iter().map(|p| (p.to_string(), parsed(p))).collect()
}

#[test]
fn yarn_lock_versions_win_and_the_manifest_marks_direct_and_dev() {
    let merged = merge(files(&[
        "yarn-classic/package.json",
        "yarn-classic/yarn.lock",
    ]));
    assert_rows(
        &merged,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.0.4"),
                true,
                "runtime",
                "registry",
            ),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row(
                "local-utils",
                Some("0.3.0"),
                true,
                "runtime",
                "path:../local-utils",
            ),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            row("string-width", Some("4.2.3"), true, "runtime", "registry"),
            row(
                "tiny-helper",
                Some("2.1.0"),
                true,
                "runtime",
                "git:acme/tiny-helper#v2.1.0",
            ),
            // yarn.lock does not record scopes; package.json lists typescript as dev.
            row("typescript", Some("5.6.3"), true, "dev", "registry"),
            row("zod", Some("3.23.8"), false, "runtime", "registry"),
        ],
    );
    let sdk = find(&merged, "@modelcontextprotocol/sdk");
    assert_eq!(sdk.declared_in, "yarn-classic/yarn.lock");
    assert_eq!(
        sdk.requirement.as_deref(),
        Some("^1.0.0"),
        "the manifest lends its requirement"
    );
    assert!(!sdk.version_from_range);
}

#[test]
fn a_lockfile_that_records_scopes_keeps_them() {
    let merged = merge(files(&["npm-v3/package-lock.json", "npm-v3/package.json"]));
    assert_rows(
        &merged,
        crate::rows(&parsed("npm-v3/package-lock.json"))
            .into_iter()
            .collect(),
    );
    assert!(
        merged
            .iter()
            .all(|d| d.declared_in == "npm-v3/package-lock.json")
    );
}

#[test]
fn workspace_manifests_belong_to_the_root_lockfile() {
    let lock = (
        "npm-v3/package-lock.json".to_string(),
        parsed("npm-v3/package-lock.json"),
    );
    let workspace = (
        "npm-v3/packages/shared/package.json".to_string(),
        deps::parse(
            "npm-v3/packages/shared/package.json",
            br#"{"dependencies": {"bytes": "^3.1.0", "left-pad": "1.3.0"}}"#,
        )
        .unwrap()
        .unwrap(),
    );
    let merged = merge(vec![workspace, lock]);
    let bytes_dep = find(&merged, "bytes");
    assert_eq!(bytes_dep.version.as_deref(), Some("3.1.2"));
    assert_eq!(bytes_dep.declared_in, "npm-v3/package-lock.json");
    // Not in the lockfile: kept as declared rather than dropped.
    let left_pad = find(&merged, "left-pad");
    assert_eq!(left_pad.declared_in, "npm-v3/packages/shared/package.json");
    assert_eq!(left_pad.version.as_deref(), Some("1.3.0"));
}

#[test]
fn poetry_lock_and_pyproject_in_one_directory() {
    let lock = ("svc/poetry.lock".to_string(), {
        let mut d = parsed("poetry-lock/poetry.lock");
        d.iter_mut()
            .for_each(|d| d.declared_in = "svc/poetry.lock".into());
        d
    });
    let manifest = (
        "svc/pyproject.toml".to_string(),
        deps::parse(
            "svc/pyproject.toml",
            &bytes("pyproject-poetry/pyproject.toml"),
        )
        .unwrap()
        .unwrap(),
    );
    let merged = merge(vec![manifest, lock]);
    let direct: Vec<(&str, Option<&str>, &str, &str)> = merged
        .iter()
        .filter(|d| d.direct)
        .map(|d| {
            (
                d.name.as_str(),
                d.version.as_deref(),
                d.scope.as_str(),
                d.declared_in.as_str(),
            )
        })
        .collect();
    assert_eq!(
        direct,
        [
            ("acme-auth", Some("3.1.0"), "runtime", "svc/poetry.lock"),
            ("anyio", Some("4.4.0"), "runtime", "svc/poetry.lock"),
            ("black", Some("24.8"), "dev", "svc/pyproject.toml"),
            ("Jinja2", Some("3.1"), "runtime", "svc/pyproject.toml"),
            ("mcp", Some("1.1.2"), "runtime", "svc/pyproject.toml"),
            ("notes-core", Some("0.1.0"), "runtime", "svc/poetry.lock"),
            ("numpy", None, "runtime", "svc/pyproject.toml"),
            ("numpy", Some("2.0"), "runtime", "svc/pyproject.toml"),
            // poetry.lock records the extra as optional; the lock's scope stays.
            ("orjson", Some("3.10.7"), "optional", "svc/poetry.lock"),
            ("poetry-core", Some("1.9.0"), "build", "svc/pyproject.toml"),
            ("pytest", Some("8.3.2"), "dev", "svc/poetry.lock"),
            (
                "sqlalchemy",
                Some("2.0.30"),
                "runtime",
                "svc/pyproject.toml"
            ),
            ("uvloop", None, "runtime", "svc/pyproject.toml"),
        ]
    );
    assert!(!find(&merged, "idna").direct);
}

#[test]
fn go_mod_selects_versions_and_go_sum_adds_the_rest() {
    let merged = merge(files(&["go/go.sum", "go/go.mod"]));
    let got: Vec<(&str, &str, bool, &str)> = merged
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.version.as_deref().unwrap_or("-"),
                d.direct,
                d.declared_in.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "github.com/acme-forks/forked",
                "v1.2.1-acme.1",
                true,
                "go/go.mod"
            ),
            ("github.com/acme/shared", "-", true, "go/go.mod"),
            ("github.com/google/uuid", "v1.6.0", true, "go/go.mod"),
            ("github.com/mark3labs/mcp-go", "v0.8.3", true, "go/go.mod"),
            (
                "github.com/yosida95/uritemplate/v3",
                "v3.0.2",
                false,
                "go/go.mod"
            ),
            ("golang.org/x/net", "v0.23.0", false, "go/go.mod"),
            ("golang.org/x/text", "v0.14.0", false, "go/go.mod"),
            ("golang.org/x/tools", "v0.19.0", false, "go/go.sum"),
            ("gopkg.in/yaml.v3", "v3.0.1", true, "go/go.mod"),
        ]
    );
}

#[test]
fn installed_packages_pair_with_the_manifest_beside_node_modules() {
    let merged = merge(files(&[
        "image/app/node_modules/zod/package.json",
        "image/app/node_modules/@types/node/package.json",
        "image/app/node_modules/@modelcontextprotocol/sdk/node_modules/raw-body/package.json",
        "image/app/package.json",
        "image/usr/lib/python3.12/site-packages/mcp-1.2.0.dist-info/METADATA",
    ]));
    assert_rows(
        &merged,
        vec![
            row("@types/node", Some("22.9.0"), true, "dev", "registry"),
            row("mcp", Some("1.2.0"), false, "runtime", "registry"),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            row("zod", Some("3.23.8"), true, "runtime", "registry"),
        ],
    );
}

#[test]
fn duplicates_collapse_across_projects_and_order_is_deterministic() {
    let mut second = parsed("yarn-berry/yarn.lock");
    second
        .iter_mut()
        .for_each(|d| d.declared_in = "other/yarn.lock".into());
    let inputs = vec![
        (
            "yarn-berry/yarn.lock".to_string(),
            parsed("yarn-berry/yarn.lock"),
        ),
        ("other/yarn.lock".to_string(), second),
        (
            "pnpm-v9/pnpm-lock.yaml".to_string(),
            parsed("pnpm-v9/pnpm-lock.yaml"),
        ),
        ("go/go.mod".to_string(), parsed("go/go.mod")),
    ];
    let forward = merge(inputs.clone());
    let mut reversed_inputs = inputs;
    reversed_inputs.reverse();
    assert_eq!(forward, merge(reversed_inputs));
    let zods: Vec<&ResolvedDependency> = forward.iter().filter(|d| d.name == "zod").collect();
    assert_eq!(zods.len(), 1, "{zods:?}");
    assert_eq!(
        zods[0].declared_in, "other/yarn.lock",
        "the first file by path"
    );
    let sdk: Vec<&ResolvedDependency> = forward
        .iter()
        .filter(|d| d.name == "@modelcontextprotocol/sdk")
        .collect();
    assert_eq!(sdk.len(), 1, "1.0.4 appears in three lockfiles");
    let keys: Vec<(String, String, Option<String>)> = forward
        .iter()
        .map(|d| (d.ecosystem.clone(), d.name.clone(), d.version.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn extract_follows_includes_in_the_snapshot_and_reports_broken_files() {
    let snapshot: BTreeMap<&str, &[u8]> = [
        (
            "svc/requirements.txt",
            &b"-r common/base.txt\n-c pins.txt\nrequests>=2.0\n-r missing.txt\n"[..],
        ),
        (
            "svc/common/base.txt",
            b"mcp==1.2.0\n-r ../requirements.txt\n",
        ),
        ("svc/pins.txt", b"requests==2.32.3\nnot-required==1.0\n"),
        ("web/package.json", b"{\"dependencies\": {\"zod\": \"^3\"\n"),
        ("web/index.js", b"console.log(1)"),
    ]
    .into_iter()
    .collect();
    let found = deps::extract(snapshot.keys().copied(), |path| {
        snapshot.get(path).map(|b| b.to_vec())
    });
    assert_rows(
        &found.dependencies,
        vec![
            row("mcp", Some("1.2.0"), true, "runtime", "registry"),
            row("requests", Some("2.32.3"), true, "runtime", "registry"),
        ],
    );
    assert_eq!(
        find(&found.dependencies, "mcp").declared_in,
        "svc/common/base.txt"
    );
    assert!(
        !find(&found.dependencies, "requests").version_from_range,
        "pinned by the constraints file"
    );
    assert_eq!(
        found.files,
        [
            "svc/requirements.txt",
            "web/package.json",
            "svc/common/base.txt"
        ]
    );
    assert_eq!(found.errors.len(), 1);
    assert_eq!(found.errors[0].0, "web/package.json");
    assert!(
        found.errors[0]
            .1
            .to_string()
            .starts_with("line 2: invalid JSON"),
        "{}",
        found.errors[0].1
    );
}
