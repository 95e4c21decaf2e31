//! Each format, parsed from a realistic fixture, field by field.

use assay_advisory::deps;

use crate::{assert_rows, bytes, find, parsed, row};

/// The 1-based line of the first line of fixture `relative` that contains `needle`.
fn line_of(relative: &str, needle: &str) -> u32 {
    let text = String::from_utf8(bytes(relative)).unwrap();
    let index = text
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {relative}"));
    u32::try_from(index + 1).unwrap()
}

const SHA: &str = "4f3c5e0d2b1a9876543210fedcba9876543210ab";

#[test]
fn package_lock_v3_installs_paths_flags_links_aliases_and_sources() {
    let path = "npm-v3/package-lock.json";
    let deps = parsed(path);
    let git = format!("git:git+ssh://git@github.com/acme/tiny-helper.git#{SHA}");
    assert_rows(
        &deps,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.0.4"),
                true,
                "runtime",
                "registry",
            ),
            // Declared by the `packages/shared` workspace, hoisted to the root.
            row("bytes", Some("3.1.2"), true, "runtime", "registry"),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row("fsevents", Some("2.3.3"), true, "optional", "registry"),
            row("iconv-lite", Some("0.4.24"), false, "dev", "registry"),
            row("iconv-lite", Some("0.6.3"), false, "runtime", "registry"),
            row(
                "local-utils",
                Some("0.3.0"),
                true,
                "runtime",
                "path:../local-utils",
            ),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            // The alias `string-width-cjs` installs the real `string-width`.
            row("string-width", Some("4.2.3"), true, "runtime", "registry"),
            row(
                "tarball-only",
                Some("0.1.0"),
                false,
                "optional",
                "url:https://downloads.acme.example/builds/tarball-only-0.1.0.tgz",
            ),
            row("tiny-helper", Some("2.1.0"), true, "runtime", &git),
            row("typescript", Some("5.6.3"), true, "dev", "registry"),
            row("zod", Some("3.23.8"), false, "runtime", "registry"),
        ],
    );
    let zod = find(&deps, "zod");
    assert_eq!(zod.line, Some(line_of(path, "\"node_modules/zod\"")));
    assert_eq!(zod.declared_in, path);
    assert_eq!(zod.ecosystem, "npm");
    assert!(!zod.version_from_range);
    let nested = deps
        .iter()
        .find(|d| d.version.as_deref() == Some("0.6.3"))
        .unwrap();
    assert_eq!(
        nested.line,
        Some(line_of(path, "raw-body/node_modules/iconv-lite"))
    );
}

#[test]
fn package_lock_v1_walks_the_nested_tree() {
    let path = "npm-v1/package-lock.json";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row("ansi-regex", Some("5.0.1"), false, "runtime", "registry"),
            row("debug", Some("2.6.9"), false, "runtime", "registry"),
            row("express", Some("4.17.1"), false, "runtime", "registry"),
            row(
                "left-pad",
                None,
                false,
                "runtime",
                "git:github:acme/left-pad#0123456789abcdef0123456789abcdef01234567",
            ),
            row("mocha", Some("10.2.0"), false, "dev", "registry"),
            row("ms", Some("2.0.0"), false, "runtime", "registry"),
            row("ms", Some("2.1.3"), false, "runtime", "registry"),
            row("strip-ansi", Some("6.0.1"), false, "runtime", "registry"),
            row(
                "vendored",
                None,
                false,
                "runtime",
                "path:vendor/vendored-1.0.0.tgz",
            ),
        ],
    );
    let nested = deps
        .iter()
        .find(|d| d.version.as_deref() == Some("2.0.0"))
        .unwrap();
    assert_eq!(nested.line, Some(line_of(path, "\"ms\": {")));
}

#[test]
fn npm_shrinkwrap_reads_like_a_v2_lockfile() {
    assert_rows(
        &parsed("npm-shrinkwrap/npm-shrinkwrap.json"),
        vec![
            row("eslint-plugin-x", Some("1.0.2"), true, "dev", "registry"),
            row("ws", Some("8.17.1"), true, "runtime", "registry"),
        ],
    );
}

#[test]
fn package_json_ranges_become_lowest_versions() {
    let path = "npm-manifest/package.json";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.2.0"),
                true,
                "runtime",
                "registry",
            ),
            row(
                "archive-dep",
                None,
                true,
                "runtime",
                "url:https://downloads.acme.example/archive-dep-1.0.0.tgz",
            ),
            row("chalk", Some("4.1.2"), true, "runtime", "registry"),
            row("dotenv", None, true, "runtime", "registry"),
            row("express", Some("4.18.0"), true, "runtime", "registry"),
            // Credentials in the URL are not kept.
            row(
                "internal-lib",
                None,
                true,
                "runtime",
                "git:git+https://git.acme.example/tools/internal-lib.git#v1.0.0",
            ),
            row("left-pad", None, true, "runtime", "registry"),
            row("react", Some("18.0.0"), true, "peer", "registry"),
            row("sibling", None, true, "runtime", "path:../sibling"),
            row("vitest", Some("2.1.8"), true, "dev", "registry"),
            row("zod", Some("3.22.0"), true, "runtime", "registry"),
        ],
    );
    let zod = find(&deps, "zod");
    assert!(zod.version_from_range);
    assert_eq!(zod.requirement.as_deref(), Some(">=3.22.0 <4"));
    assert_eq!(zod.line, Some(line_of(path, "\"zod\"")));
    assert!(
        !find(&deps, "vitest").version_from_range,
        "an exact version is not a range"
    );
    assert!(!find(&deps, "chalk").version_from_range);
    assert_eq!(
        find(&deps, "chalk").requirement.as_deref(),
        Some("npm:chalk@4.1.2")
    );
}

#[test]
fn yarn_classic_entries_with_aliases_git_and_files() {
    let path = "yarn-classic/yarn.lock";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.0.4"),
                false,
                "runtime",
                "registry",
            ),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row(
                "local-utils",
                Some("0.3.0"),
                false,
                "runtime",
                "path:../local-utils",
            ),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            row("string-width", Some("4.2.3"), false, "runtime", "registry"),
            row(
                "tiny-helper",
                Some("2.1.0"),
                false,
                "runtime",
                "git:acme/tiny-helper#v2.1.0",
            ),
            row("typescript", Some("5.6.3"), false, "runtime", "registry"),
            row("zod", Some("3.23.8"), false, "runtime", "registry"),
        ],
    );
    assert_eq!(find(&deps, "zod").line, Some(line_of(path, "zod@^3.23.8:")));
}

#[test]
fn yarn_berry_resolutions_workspaces_and_patches() {
    let path = "yarn-berry/yarn.lock";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.0.4"),
                true,
                "runtime",
                "registry",
            ),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            row("string-width", Some("4.2.3"), true, "runtime", "registry"),
            row(
                "tiny-helper",
                Some("2.1.0"),
                true,
                "runtime",
                &format!("git:https://github.com/acme/tiny-helper.git#{SHA}"),
            ),
            // The patched copy collapses into the registry package.
            row("typescript", Some("5.6.3"), true, "runtime", "registry"),
            row("zod", Some("3.23.8"), false, "runtime", "registry"),
        ],
    );
    assert_eq!(
        find(&deps, "raw-body").line,
        Some(line_of(path, "\"raw-body@npm:^3.0.0\":"))
    );
}

#[test]
fn pnpm_v9_importers_packages_and_snapshot_graph() {
    let path = "pnpm-v9/pnpm-lock.yaml";
    let deps = parsed(path);
    let codeload = format!("url:https://codeload.github.com/acme/tiny-helper/tar.gz/{SHA}");
    assert_rows(
        &deps,
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("1.0.4"),
                true,
                "runtime",
                "registry",
            ),
            // Reached only through vitest, a development dependency.
            row("@types/node", Some("22.9.0"), false, "dev", "registry"),
            row("bytes", Some("3.1.2"), true, "runtime", "registry"),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row("fsevents", Some("2.3.3"), false, "dev", "registry"),
            row("string-width", Some("4.2.3"), true, "runtime", "registry"),
            row("tiny-helper", Some("2.1.0"), true, "runtime", &codeload),
            row("vitest", Some("2.1.8"), true, "dev", "registry"),
            // Both the SDK and vitest use zod: runtime wins.
            row("zod", Some("3.23.8"), false, "runtime", "registry"),
        ],
    );
    assert_eq!(
        find(&deps, "zod").line,
        Some(line_of(path, "  zod@3.23.8:"))
    );
}

#[test]
fn pnpm_v6_flags_peers_and_git_packages() {
    let codeload = format!("url:https://codeload.github.com/acme/tiny-helper/tar.gz/{SHA}");
    assert_rows(
        &parsed("pnpm-v6/pnpm-lock.yaml"),
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("0.6.0"),
                true,
                "runtime",
                "registry",
            ),
            row("bytes", Some("3.1.2"), false, "runtime", "registry"),
            row("content-type", Some("1.0.5"), false, "runtime", "registry"),
            row("fsevents", Some("2.3.3"), true, "optional", "registry"),
            row("js-tokens", Some("4.0.0"), false, "runtime", "registry"),
            row("loose-envify", Some("1.4.0"), false, "runtime", "registry"),
            row("raw-body", Some("3.0.0"), false, "runtime", "registry"),
            row("react", Some("18.2.0"), false, "runtime", "registry"),
            row("react-dom", Some("18.2.0"), true, "runtime", "registry"),
            row("scheduler", Some("0.23.0"), false, "runtime", "registry"),
            row("tiny-helper", Some("2.1.0"), true, "runtime", &codeload),
            row("typescript", Some("5.3.3"), true, "dev", "registry"),
            row("zod", Some("3.22.4"), false, "runtime", "registry"),
        ],
    );
}

#[test]
fn pnpm_v5_slash_keys_and_underscore_peers() {
    assert_rows(
        &parsed("pnpm-v5/pnpm-lock.yaml"),
        vec![
            row(
                "@modelcontextprotocol/sdk",
                Some("0.5.0"),
                true,
                "runtime",
                "registry",
            ),
            row("js-tokens", Some("4.0.0"), false, "runtime", "registry"),
            row("loose-envify", Some("1.4.0"), false, "runtime", "registry"),
            row("object-assign", Some("4.1.1"), false, "runtime", "registry"),
            row("react", Some("17.0.2"), false, "runtime", "registry"),
            row("react-dom", Some("17.0.2"), true, "runtime", "registry"),
            row("scheduler", Some("0.20.2"), false, "runtime", "registry"),
            row("typescript", Some("4.9.4"), true, "dev", "registry"),
            row("zod", Some("3.20.2"), false, "runtime", "registry"),
        ],
    );
}

#[test]
fn requirements_pins_ranges_hashes_urls_and_markers() {
    let path = "requirements/requirements.txt";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "acme-auth",
                None,
                true,
                "runtime",
                "git:git+https://git.acme.example/platform/acme-auth.git#v3.1.0",
            ),
            row("anyio", Some("4.4.0"), true, "runtime", "registry"),
            row(
                "fastjson",
                Some("2.1.0"),
                true,
                "runtime",
                "url:https://downloads.acme.example/wheels/fastjson-2.1.0-py3-none-any.whl",
            ),
            row("httpx", Some("0.27.0"), true, "runtime", "registry"),
            row(
                "internal_tools",
                None,
                true,
                "runtime",
                "path:/opt/wheels/internal_tools-0.9.0.tar.gz",
            ),
            row("mcp", Some("1.2.0"), true, "runtime", "registry"),
            row("pydantic", Some("2.7"), true, "runtime", "registry"),
            row("requests", None, true, "runtime", "registry"),
            row("Starlette", Some("0.37.2"), true, "runtime", "registry"),
            row("uvicorn", Some("0.30.1"), true, "runtime", "registry"),
        ],
    );
    assert!(find(&deps, "pydantic").version_from_range);
    assert_eq!(
        find(&deps, "pydantic").requirement.as_deref(),
        Some(">=2.7,<3")
    );
    assert!(!find(&deps, "mcp").version_from_range);
    assert_eq!(find(&deps, "mcp").line, Some(line_of(path, "mcp[cli]")));
    assert_eq!(
        find(&deps, "anyio").line,
        Some(line_of(path, "anyio==4.4.0"))
    );
    let includes = deps::includes(path, &bytes(path));
    assert_eq!(includes.len(), 1);
    assert_eq!(includes[0].path, "requirements/constraints.txt");
    assert_eq!(includes[0].kind, deps::IncludeKind::Constraints);
}

#[test]
fn development_requirement_files_are_dev_scoped() {
    let deps = parsed("requirements/requirements-dev.txt");
    assert_rows(
        &deps,
        vec![
            row("pytest", Some("8.3.2"), true, "dev", "registry"),
            row("ruff", Some("0.5"), true, "dev", "registry"),
        ],
    );
}

#[test]
fn pyproject_pep621_dependencies_extras_groups_and_build() {
    let path = "pyproject-pep621/pyproject.toml";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "acme-auth",
                None,
                true,
                "runtime",
                "git:git+https://github.com/acme/acme-auth.git#v3.1.0",
            ),
            row("hatchling", Some("1.25"), true, "build", "registry"),
            row("httpx", Some("0.27"), true, "runtime", "registry"),
            row("mcp", Some("1.2.0"), true, "runtime", "registry"),
            row("pydantic", Some("2.8.2"), true, "runtime", "registry"),
            row("pytest", Some("8.3"), true, "dev", "registry"),
            row("redis", Some("5.0"), true, "optional", "registry"),
            row("ruff", Some("0.6.9"), true, "dev", "registry"),
            row("tomli", None, true, "runtime", "registry"),
        ],
    );
    assert_eq!(
        find(&deps, "httpx").line,
        Some(line_of(path, "httpx>=0.27"))
    );
    assert_eq!(
        find(&deps, "hatchling").line,
        Some(line_of(path, "hatchling"))
    );
}

#[test]
fn pyproject_poetry_tables_groups_and_sources() {
    let path = "pyproject-poetry/pyproject.toml";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "acme-auth",
                None,
                true,
                "runtime",
                "git:https://github.com/acme/acme-auth.git#v3.1.0",
            ),
            row("anyio", Some("4.4.0"), true, "runtime", "registry"),
            row("black", Some("24.8"), true, "dev", "registry"),
            row("Jinja2", Some("3.1"), true, "runtime", "registry"),
            row("mcp", Some("1.1.2"), true, "runtime", "registry"),
            row("notes-core", None, true, "runtime", "path:../notes-core"),
            row("numpy", None, true, "runtime", "registry"),
            row("numpy", Some("2.0"), true, "runtime", "registry"),
            row("orjson", Some("3.10.7"), true, "optional", "registry"),
            row("poetry-core", Some("1.9.0"), true, "build", "registry"),
            row("pytest", Some("8.3.2"), true, "dev", "registry"),
            row("sqlalchemy", Some("2.0.30"), true, "runtime", "registry"),
            row("uvloop", None, true, "runtime", "registry"),
        ],
    );
    assert_eq!(find(&deps, "mcp").requirement.as_deref(), Some("^1.1.2"));
    assert!(find(&deps, "mcp").version_from_range);
    assert!(!find(&deps, "anyio").version_from_range);
    assert_eq!(
        find(&deps, "sqlalchemy").line,
        Some(line_of(path, "sqlalchemy ="))
    );
}

#[test]
fn poetry_lock_groups_optional_and_sources() {
    let path = "poetry-lock/poetry.lock";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "acme-auth",
                Some("3.1.0"),
                false,
                "runtime",
                "git:https://github.com/acme/acme-auth.git#9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
            ),
            row("anyio", Some("4.4.0"), false, "runtime", "registry"),
            row("idna", Some("3.7"), false, "runtime", "registry"),
            row(
                "notes-core",
                Some("0.1.0"),
                false,
                "runtime",
                "path:../notes-core",
            ),
            row("orjson", Some("3.10.7"), false, "optional", "registry"),
            row("pytest", Some("8.3.2"), false, "dev", "registry"),
            row("sniffio", Some("1.3.1"), false, "runtime", "registry"),
        ],
    );
    let text = String::from_utf8(bytes(path)).unwrap();
    let idna_header = text.lines().position(|l| l == "name = \"idna\"").unwrap();
    assert_eq!(
        find(&deps, "idna").line,
        Some(u32::try_from(idna_header).unwrap())
    );
}

#[test]
fn poetry_lock_v1_categories() {
    assert_rows(
        &parsed("poetry-lock/legacy/poetry.lock"),
        vec![
            row("certifi", Some("2020.12.5"), false, "runtime", "registry"),
            row("pytest", Some("6.2.4"), false, "dev", "registry"),
            row("requests", Some("2.25.1"), false, "runtime", "registry"),
        ],
    );
}

#[test]
fn uv_lock_project_roots_graph_scopes_and_sources() {
    assert_rows(
        &parsed("uv-lock/uv.lock"),
        vec![
            row(
                "acme-auth",
                Some("3.1.0"),
                true,
                "runtime",
                "git:https://github.com/acme/acme-auth.git#9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
            ),
            row("anyio", Some("4.4.0"), false, "runtime", "registry"),
            row("colorama", Some("0.4.6"), false, "dev", "registry"),
            row("idna", Some("3.7"), false, "runtime", "registry"),
            row("iniconfig", Some("2.0.0"), false, "dev", "registry"),
            row("mcp", Some("1.2.0"), true, "runtime", "registry"),
            row("pydantic", Some("2.8.2"), false, "runtime", "registry"),
            row("pytest", Some("8.3.2"), true, "dev", "registry"),
            row(
                "redis-lite",
                Some("0.1.0"),
                true,
                "optional",
                "path:vendor/redis-lite",
            ),
            row("sniffio", Some("1.3.1"), false, "runtime", "registry"),
            row(
                "typer",
                Some("0.12.5"),
                false,
                "runtime",
                "url:https://downloads.acme.example/typer-0.12.5-py3-none-any.whl",
            ),
        ],
    );
}

#[test]
fn pipfile_lock_default_develop_and_vcs() {
    let path = "pipfile-lock/Pipfile.lock";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "acme-auth",
                None,
                false,
                "runtime",
                "git:https://github.com/acme/acme-auth.git#9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
            ),
            row("certifi", Some("2024.7.4"), false, "runtime", "registry"),
            row("local-lib", None, false, "runtime", "path:./libs/local-lib"),
            row("pytest", Some("8.3.2"), false, "dev", "registry"),
            row("requests", Some("2.32.3"), false, "runtime", "registry"),
        ],
    );
    assert_eq!(
        find(&deps, "requests").line,
        Some(line_of(path, "\"requests\""))
    );
}

#[test]
fn go_mod_requires_indirect_and_replacements() {
    let path = "go/go.mod";
    let deps = parsed(path);
    assert_rows(
        &deps,
        vec![
            row(
                "github.com/acme-forks/forked",
                Some("v1.2.1-acme.1"),
                true,
                "runtime",
                "registry",
            ),
            row(
                "github.com/acme/shared",
                None,
                true,
                "runtime",
                "path:../shared",
            ),
            row(
                "github.com/google/uuid",
                Some("v1.6.0"),
                true,
                "runtime",
                "registry",
            ),
            row(
                "github.com/mark3labs/mcp-go",
                Some("v0.8.3"),
                true,
                "runtime",
                "registry",
            ),
            row(
                "github.com/yosida95/uritemplate/v3",
                Some("v3.0.2"),
                false,
                "runtime",
                "registry",
            ),
            row(
                "golang.org/x/net",
                Some("v0.23.0"),
                false,
                "runtime",
                "registry",
            ),
            row(
                "golang.org/x/text",
                Some("v0.14.0"),
                false,
                "runtime",
                "registry",
            ),
            row(
                "gopkg.in/yaml.v3",
                Some("v3.0.1"),
                true,
                "runtime",
                "registry",
            ),
        ],
    );
    assert_eq!(
        find(&deps, "golang.org/x/net").line,
        Some(line_of(path, "golang.org/x/net"))
    );
    assert_eq!(find(&deps, "github.com/google/uuid").ecosystem, "Go");
}

#[test]
fn go_sum_lists_downloaded_module_versions_only() {
    let path = "go/go.sum";
    let deps = parsed(path);
    let names: Vec<(&str, &str)> = deps
        .iter()
        .map(|d| (d.name.as_str(), d.version.as_deref().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("github.com/acme-forks/forked", "v1.2.1-acme.1"),
            ("github.com/google/uuid", "v1.6.0"),
            ("github.com/mark3labs/mcp-go", "v0.8.3"),
            ("github.com/yosida95/uritemplate/v3", "v3.0.2"),
            ("golang.org/x/net", "v0.23.0"),
            ("golang.org/x/text", "v0.14.0"),
            ("golang.org/x/tools", "v0.19.0"),
            ("gopkg.in/yaml.v3", "v3.0.1"),
        ]
    );
    assert!(deps.iter().all(|d| !d.direct));
    assert_eq!(
        find(&deps, "golang.org/x/net").line,
        Some(line_of(path, "golang.org/x/net v0.23.0 h1"))
    );
}

#[test]
fn cargo_lock_v4_sources_and_direct_crates() {
    let deps = parsed("cargo/Cargo.lock");
    assert_rows(
        &deps,
        vec![
            row("bytes", Some("1.7.1"), false, "runtime", "registry"),
            row(
                "rmcp",
                Some("0.1.5"),
                true,
                "runtime",
                "git:https://github.com/modelcontextprotocol/rust-sdk#1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
            ),
            row("serde", Some("1.0.210"), true, "runtime", "registry"),
            row("tokio", Some("1.38.0"), true, "runtime", "registry"),
            row("tokio", Some("1.40.0"), true, "runtime", "registry"),
        ],
    );
    assert!(deps.iter().all(|d| d.ecosystem == "crates.io"));
}

#[test]
fn cargo_lock_v1_references_with_sources() {
    assert_rows(
        &parsed("cargo-v1/Cargo.lock"),
        vec![row("smallvec", Some("1.6.0"), true, "runtime", "registry")],
    );
}

#[test]
fn installed_packages_in_images() {
    assert_rows(
        &parsed("image/app/node_modules/zod/package.json"),
        vec![row("zod", Some("3.23.8"), false, "runtime", "registry")],
    );
    assert_rows(
        &parsed("image/app/node_modules/@types/node/package.json"),
        vec![row(
            "@types/node",
            Some("22.9.0"),
            false,
            "runtime",
            "registry",
        )],
    );
    assert_rows(
        &parsed(
            "image/app/node_modules/@modelcontextprotocol/sdk/node_modules/raw-body/package.json",
        ),
        vec![row("raw-body", Some("3.0.0"), false, "runtime", "registry")],
    );
    let metadata = "image/usr/lib/python3.12/site-packages/mcp-1.2.0.dist-info/METADATA";
    let deps = parsed(metadata);
    assert_rows(
        &deps,
        vec![row("mcp", Some("1.2.0"), false, "runtime", "registry")],
    );
    assert_eq!(deps[0].ecosystem, "PyPI");
    // A package.json deeper inside a package is not an installed package.
    let inner = "image/app/node_modules/zod/lib/package.json";
    assert!(!deps::is_dependency_file(inner));
    assert!(deps::parse(inner, &bytes(inner)).is_none());
}

#[test]
fn file_names_decide_what_is_read() {
    for path in [
        "package-lock.json",
        "a/npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "web/package.json",
        "requirements.txt",
        "requirements-dev.txt",
        "requirements/base.txt",
        "pyproject.toml",
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
        "go.mod",
        "go.sum",
        "Cargo.lock",
        "node_modules/@scope/pkg/package.json",
        "lib/python3.12/site-packages/x-1.0.dist-info/METADATA",
    ] {
        assert!(deps::is_dependency_file(path), "{path}");
    }
    for path in [
        "README.md",
        "package.json.bak",
        "docs/notes.txt",
        "Pipfile",
        "Cargo.toml",
        "node_modules/pkg/dist/package.json",
        "node_modules/.bin/package.json",
        "METADATA",
        "x.egg-info/METADATA",
    ] {
        assert!(!deps::is_dependency_file(path), "{path}");
        assert!(deps::parse(path, b"{}").is_none(), "{path}");
    }
}
