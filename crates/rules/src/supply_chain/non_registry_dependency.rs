//! `AS403` non-registry-dependency: dependencies installed from git repositories,
//! archive URLs or local paths instead of the ecosystem's registry, and pip options
//! that add package indexes (dependency confusion).

use std::ops::Range;

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::source::{self, Source};
use crate::container::finding;
use crate::manifest::{self, jsonc, requirements};
use crate::registry::{FileContext, Rule};
use crate::secrets::find_in_value;
use crate::text::redact_in;

/// The rule.
pub struct NonRegistryDependency;

static META: RuleMeta = RuleMeta {
    id: "AS403",
    name: "non-registry-dependency",
    title: "Dependency installed from outside the registry",
    family: Family::SupplyChain,
    severity: Severity::Medium,
    cwe: &[829, 494],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds dependencies that bypass the registry: npm `git+…`, `github:`, \
        `owner/repo`, archive-URL, `file:` and `link:` specs; Python direct references \
        (`name @ git+https://…`, `name @ https://…whl`), Poetry `git`/`url`/`path` tables \
        and requirement-file URLs; `--index-url`, `--extra-index-url`, `--find-links` and \
        `--trusted-host` options; `go.mod` `replace` directives to forks or local paths. \
        Git sources pinned to a commit and local paths are low, moving refs and archive \
        URLs medium, plain-http sources high. Development-only dependencies are low.",
    why: "Registry releases are immutable, versioned and covered by advisories and \
        malware scanning; a branch, a URL or a fork is none of these, so what gets \
        installed can change after review. Extra package indexes let anyone who registers \
        a private package's name on the public index take over the install (dependency \
        confusion).",
    remediation: "Depend on released registry versions. If a fork is unavoidable, \
        publish it under its own name or pin the exact commit; replace `--extra-index-url` \
        with a single index (a proxy that serves both) and drop `--trusted-host`.",
    references: &[
        "https://docs.npmjs.com/cli/configuring-npm/package-json#git-urls-as-dependencies",
        "https://peps.python.org/pep-0440/#direct-references",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "package.json",
            "{\n  \"name\": \"mcp-search\",\n  \"dependencies\": {\n    \"@modelcontextprotocol/sdk\": \"^1.12.0\",\n    \"search-core\": \"github:someone/search-core#main\"\n  }\n}\n",
        ),
        Example::flags(
            "requirements.txt",
            "mcp>=1.9\n--extra-index-url https://pkgs.internal.test/simple\ninternal-tools==2.0\n",
        ),
        Example::flags(
            "pyproject.toml",
            "[project]\nname = \"mcp-db\"\nversion = \"0.3.0\"\ndependencies = [\n  \"mcp>=1.9\",\n  \"dbkit @ git+https://git.host.test/acme/dbkit.git@develop\",\n]\n",
        ),
        Example::allows(
            "package.json",
            "{\n  \"name\": \"mcp-search\",\n  \"dependencies\": {\n    \"@modelcontextprotocol/sdk\": \"^1.12.0\",\n    \"zod\": \"3.25.0\",\n    \"undici\": \"latest\",\n    \"string-width-cjs\": \"npm:string-width@^4.2.0\"\n  }\n}\n",
        ),
        Example::allows(
            "requirements.txt",
            "# pinned\nmcp==1.9.4\nhttpx>=0.27,<1 ; python_version >= \"3.10\"\n-r requirements-base.txt\n",
        ),
        Example::allows(
            "go.mod",
            "module example.test/mcp-git\n\ngo 1.23\n\nrequire (\n\tgithub.com/mark3labs/mcp-go v0.31.0\n)\n",
        ),
    ],
};

/// npm dependency tables; development dependencies never reach users.
const NPM_TABLES: &[(&str, bool)] = &[
    ("dependencies", false),
    ("optionalDependencies", false),
    ("peerDependencies", false),
    ("devDependencies", true),
];

impl Rule for NonRegistryDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        if file.text.len() > manifest::MAX_MANIFEST_BYTES {
            return;
        }
        let name = file.path.rsplit('/').next().unwrap_or(file.path);
        match name {
            "package.json" => check_npm(file, out),
            "pyproject.toml" | "setup.cfg" | "setup.py" => check_python_manifest(file, out),
            "go.mod" => check_go(file, out),
            _ if requirements::is_requirements_file(file.path) => check_requirements(file, out),
            _ => {}
        }
    }
}

/// Reports dependency `name` from `source` at `range`, written as `spec`.
fn report(
    file: &FileContext<'_>,
    range: Range<usize>,
    name: &str,
    spec: &str,
    source: &Source,
    dev_only: bool,
) -> Finding {
    let (severity, why) = source.judge();
    let mut f = finding::at(
        &META,
        file,
        range,
        format!("Dependency `{name}` comes from {why}"),
    );
    f.severity = if dev_only { Severity::Low } else { severity };
    f.evidence
        .push(Evidence::new("source", redact_credentials(spec)));
    if dev_only {
        f.evidence.push(Evidence::new(
            "scope",
            "development dependency: not installed by users",
        ));
    }
    f.snippet = redact_credentials(&f.snippet);
    f
}

/// `spec` with any credential in it (a token in a git URL) redacted.
fn redact_credentials(spec: &str) -> String {
    match find_in_value("url", spec) {
        Some(hit) => redact_in(spec, &spec[hit.secret]),
        None => spec.to_string(),
    }
}

fn check_npm(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let Some(root) = jsonc::parse(file.text) else {
        return;
    };
    for (table, dev_only) in NPM_TABLES {
        for member in root
            .get(table)
            .map(jsonc::Node::members)
            .unwrap_or_default()
        {
            let Some(spec) = member.value.as_str() else {
                continue;
            };
            if let Some(source) = source::npm(spec) {
                out.push(report(
                    file,
                    member.key_span.start..member.value.span.end,
                    &member.key,
                    spec,
                    &source,
                    *dev_only,
                ));
            }
        }
    }
}

fn check_python_manifest(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    let Some(info) = manifest::read(file.path, file.text) else {
        return;
    };
    let mut searched_from = 0;
    for dep in &info.dependencies {
        let Some(requirement) = dep.requirement.as_deref() else {
            continue;
        };
        let Some(source) = source::python(requirement) else {
            continue;
        };
        let location = requirement.trim_start_matches('@').trim();
        let range = find_from(file.text, location, searched_from)
            .or_else(|| find_from(file.text, &dep.name, 0))
            .unwrap_or(0..0);
        searched_from = range.end;
        out.push(report(
            file,
            range,
            &dep.name,
            location,
            &source,
            dep.scope == "dev",
        ));
    }
}

/// The range of the first occurrence of `needle` at or after `from`.
fn find_from(text: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    let at = text.get(from..)?.find(needle)? + from;
    Some(at..at + needle.len())
}

fn check_requirements(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    for line in requirements::read(file.text) {
        match line.entry {
            requirements::Entry::Requirement(dep) => {
                if let Some(requirement) = dep.requirement.as_deref()
                    && let Some(source) = source::python(requirement)
                {
                    let location = requirement.trim_start_matches('@').trim();
                    out.push(report(file, line.span, &dep.name, location, &source, false));
                }
            }
            requirements::Entry::Direct {
                name,
                source: location,
                ..
            } => {
                if let Some(source) = source::python(&location) {
                    let name = name.unwrap_or_else(|| {
                        let path = location.split(['#', '?']).next().unwrap_or(&location);
                        path.rsplit('/').next().unwrap_or(path).to_string()
                    });
                    out.push(report(file, line.span, &name, &location, &source, false));
                }
            }
            requirements::Entry::Source { option, value } => {
                out.push(index_option(file, line.span, option, &value));
            }
        }
    }
}

/// A pip option that changes where packages come from.
fn index_option(file: &FileContext<'_>, range: Range<usize>, option: &str, value: &str) -> Finding {
    let (severity, message) = match option {
        "extra-index-url" => (
            Severity::Medium,
            "adds a second package index: a name published on either index can win (dependency confusion)",
        ),
        "index-url" => (Severity::Low, "replaces the default package index"),
        "find-links" => (
            Severity::Low,
            "installs archives found at a URL or directory",
        ),
        _ => (
            Severity::Medium,
            "disables TLS certificate checks for a package host",
        ),
    };
    let plaintext = value.starts_with("http://");
    let mut f = finding::at(&META, file, range, format!("`--{option}` {message}"));
    f.severity = if plaintext { Severity::High } else { severity };
    f.evidence
        .push(Evidence::new(option, redact_credentials(value)));
    if plaintext {
        f.evidence.push(Evidence::new(
            "transport",
            "plain http: packages can be substituted in transit",
        ));
    }
    f.snippet = redact_credentials(&f.snippet);
    f
}

fn check_go(file: &FileContext<'_>, out: &mut Vec<Finding>) {
    for replace in manifest::go_replaces(file.text) {
        let (severity, why) = if replace.is_local() {
            (
                Severity::Low,
                "a local directory (applies to builds from this repository)",
            )
        } else {
            (
                Severity::Medium,
                "another module: a fork replaces the reviewed dependency",
            )
        };
        let target = match &replace.new_version {
            Some(v) => format!("{} {v}", replace.new),
            None => replace.new.clone(),
        };
        let mut f = finding::at(
            &META,
            file,
            replace.span.clone(),
            format!("`replace` swaps module `{}` for {why}", replace.old),
        );
        f.severity = severity;
        f.evidence.push(Evidence::new("replacement", target));
        out.push(f);
    }
}
