//! `AS502` credential-store-harvesting: code that reads the credential stores of the
//! machine it runs on (SSH keys, cloud CLI credentials, registry tokens, browser password
//! databases, wallets, the keychain).

use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use super::signals::{Store, may_name_store, store_in};
use crate::code_patterns::apis::{EXEC, FILE_READ, HOME_DIR, NETWORK, python_open_writes};
use crate::code_patterns::flow::{Derived, assigned_before, mentions};
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct CredentialStoreHarvesting;

static META: RuleMeta = RuleMeta {
    id: "AS502",
    name: "credential-store-harvesting",
    title: "Reads credential stores of the host",
    family: Family::Malicious,
    severity: Severity::High,
    cwe: &[522, 200],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N",
    summary: "Finds file reads (and shell commands) whose path names a credential store \
        under the user's home directory — `~/.ssh/id_*`, `~/.aws/credentials`, \
        `~/.config/gcloud`, `~/.azure`, `~/.kube/config`, `~/.npmrc`, `~/.pypirc`, \
        `~/.netrc`, `~/.git-credentials`, `~/.docker/config.json` — or a store that is \
        sensitive wherever it is: browser `Login Data`/`Local State`/`key4.db`, wallet \
        files and extension stores, `security find-generic-password`. The path may be \
        built with `os.homedir()`/`expanduser`/`Path.home()` and passed through local \
        variables. A store matching the file's declared purpose (a Kubernetes client \
        reading `~/.kube/config`, an SSH library reading `~/.ssh`) is still reported, at \
        medium severity; a read in a file that also sends network requests is critical.",
    why: "An MCP server runs with the developer's full user rights. Reading SSH keys, \
        cloud and registry tokens or browser passwords is what credential-stealing \
        packages do first; a server has almost never a reason to touch them.",
    remediation: "Remove the read. If the server genuinely needs a credential, take it \
        from an explicit configuration value or environment variable the user sets for \
        this server, scoped to what it needs; document why.",
    references: &[
        "https://attack.mitre.org/techniques/T1552/001/",
        "https://attack.mitre.org/techniques/T1555/003/",
        "https://cwe.mitre.org/data/definitions/522.html",
    ],
    examples: &[
        Example::flags(
            "src/index.js",
            "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\n\nconst key = fs.readFileSync(path.join(os.homedir(), \".ssh\", \"id_rsa\"), \"utf8\");\n",
        ),
        Example::flags(
            "server.py",
            "import os\n\n\ndef _load():\n    with open(os.path.expanduser(\"~/.aws/credentials\")) as f:\n        return f.read()\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n)\n\nfunc loadTokens() []byte {\n\thome, _ := os.UserHomeDir()\n\tp := filepath.Join(home, \".npmrc\")\n\tdata, _ := os.ReadFile(p)\n\treturn data\n}\n",
        ),
        Example::flags(
            "src/util.ts",
            "import { execSync } from \"node:child_process\";\n\nexport const secret = execSync(\"security find-generic-password -s 'Chrome Safe Storage' -w\").toString();\n",
        ),
        Example::allows(
            "src/config.ts",
            "import { readFileSync } from \"node:fs\";\nimport { join } from \"node:path\";\n\n// The project's own .npmrc template, shipped with the package.\nconst template = readFileSync(join(__dirname, \"..\", \"templates\", \".npmrc\"), \"utf8\");\n",
        ),
        Example::allows(
            "server.py",
            "import os\n\nSSH_DIR = os.path.expanduser(\"~/.ssh\")\n\n\ndef has_keys() -> bool:\n    return os.path.isdir(SSH_DIR)\n",
        ),
        Example::allows(
            "docs.go",
            "package main\n\n// Usage: configure your key in ~/.ssh/config and run the server.\nconst usage = \"Put your key in ~/.ssh and restart\"\n\nfunc main() { println(usage) }\n",
        ),
    ],
};

/// A path built under the home directory or written with `~`.
static ABSOLUTE_HOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"`](?:~|/root|/home/[^/'"`]+|/Users/[^/'"`]+|C:\\\\Users\\\\[^\\'"`]+)[/\\]"#)
        .expect("valid regex")
});

/// Browser profile directories (browser store names are generic words otherwise).
static BROWSER_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)google[/\\ ]?chrome|chromium|bravesoftware|microsoft[/\\ ]edge|mozilla[/\\]firefox|user data|opera software|\bProfiles\b")
        .expect("valid regex")
});

impl Rule for CredentialStoreHarvesting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        super::signals::store_needles()
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        if !may_name_store(file.text) {
            return;
        }
        let Some(code) = file.code() else {
            return;
        };
        let reads: Vec<_> = FILE_READ.calls(code).chain(EXEC.calls(code)).collect();
        if reads.is_empty() {
            return;
        }
        let assigns = code.assignments();
        let home = Derived::compute(code, assigns, |rhs| HOME_DIR.is_match(rhs), |_| false);
        let anchored = |range: std::ops::Range<usize>| {
            let text = &code.code[range.clone()];
            HOME_DIR.is_match(text)
                || ABSOLUTE_HOME.is_match(text)
                || home.mentioned(code, range).is_some()
        };
        let names_store = |range: std::ops::Range<usize>| -> Option<&'static Store> {
            code.strings_in(range)
                .find_map(|s| store_in(code.string_body(s)))
        };
        let browser_context = BROWSER_DIR.is_match(&code.code);
        let qualifies = |store: &Store, range: std::ops::Range<usize>| {
            if store.home_only {
                anchored(range)
            } else if store.label.starts_with("browser") {
                browser_context
            } else {
                true
            }
        };
        let network = NETWORK.matches(code.language, &code.code);
        let mut hits = Vec::new();
        for call in reads {
            if python_open_writes(code, &call) == Some(true) {
                continue;
            }
            // The path is in the arguments, or for a method (`p.read_text()`,
            // `(home / ".aws").open()`) also in its receiver.
            let receiver = call
                .is_method(code)
                .then(|| code.receiver(call.callee.start));
            let path = match receiver.flatten() {
                Some(receiver) => receiver.start..call.args.end,
                None => call.args.clone(),
            };
            let direct = names_store(path.clone()).filter(|s| qualifies(s, path.clone()));
            // A variable naming the store reaches the read; the home directory may be in
            // either place (`for (f of [".aws/credentials"]) read(join(homedir(), f))`).
            let via = || {
                assigned_before(assigns, path.start).find_map(|a| {
                    let store = names_store(a.rhs.clone())
                        .filter(|s| qualifies(s, a.rhs.clone()) || qualifies(s, path.clone()))?;
                    let mentioned = a
                        .names
                        .iter()
                        .any(|n| mentions(&code.code[path.clone()], n));
                    mentioned.then_some(store)
                })
            };
            let Some(store) = direct.or_else(via) else {
                continue;
            };
            let purpose = store.purpose.iter().find(|lib| code.code.contains(*lib));
            let callee = call.shown(code);
            let mut hit = Hit::new(
                &META,
                path.start.min(call.callee.start),
                call.args.end + 1,
                format!("`{callee}` reads {}", store.label),
            );
            if let Some(lib) = purpose {
                hit = Hit {
                    message: format!(
                        "{} (the file uses `{lib}`, whose purpose may need it; reported so a reviewer can confirm)",
                        hit.message
                    ),
                    ..hit
                        .severity(Severity::Medium)
                        .confidence(Confidence::Medium)
                };
            } else if network {
                hit = Hit {
                    message: format!(
                        "{}, in a file that also sends network requests",
                        hit.message
                    ),
                    ..hit.severity(Severity::Critical)
                };
            }
            hits.push(hit);
        }
        emit(&META, file, hits, OutsideProduction::OneStepLower, out);
    }
}
