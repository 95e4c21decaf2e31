//! `AS701` unpinned-launcher: a server launched by a package runner or `docker run`
//! that fetches whatever version is current — no exact version, only `latest`, or no
//! image digest or tag — often with `-y` so nothing asks first.

use assay_core::{Confidence, Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::launch::{self, Pin};
use super::{for_each_server, server_finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct UnpinnedLauncher;

static META: RuleMeta = RuleMeta {
    id: "AS701",
    name: "unpinned-launcher",
    title: "MCP server launched from an unpinned package",
    family: Family::ClientConfig,
    severity: Severity::Medium,
    cwe: &[1357, 494],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds client configuration servers started with `npx`, `bunx`, `pnpm dlx`, \
        `yarn dlx`, `npm exec`, `uvx`, `uv tool run` or `pipx run` on a package without \
        an exact version (`pkg`, `pkg@latest`, a git branch), or with `docker run` on an \
        image without a tag or digest (or `:latest`). Version ranges are low severity. \
        `-y`/`--yes` is reported as aggravating evidence; with an exact version it is not \
        reported (the registry serves that version immutably, so skipping the prompt \
        installs exactly what was reviewed). Local paths are ignored.",
    why: "Every start of the client fetches and runs the newest release: one compromised \
        maintainer account or a hijacked package name turns into code execution on every \
        machine with this config, with the agent's credentials, and nothing prompts.",
    remediation: "Pin an exact version (`npx -y @scope/server@1.4.2`, `uvx tool==0.6.2`, \
        `docker run … image@sha256:…`) and update it deliberately after review.",
    references: &[
        "https://docs.npmjs.com/cli/commands/npx",
        "https://docs.astral.sh/uv/guides/tools/",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"]\n    }\n  }\n}\n",
        ),
        Example::flags(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"fetch\": { \"command\": \"uvx\", \"args\": [\"mcp-server-fetch\"] }\n  }\n}\n",
        ),
        Example::flags(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"search\": {\n      \"type\": \"stdio\",\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"acme/search-mcp:latest\"]\n    }\n  }\n}\n",
        ),
        Example::allows(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"]\n    }\n  }\n}\n",
        ),
        Example::allows(
            ".mcp.json",
            "{\n  \"mcpServers\": {\n    \"git\": { \"command\": \"uvx\", \"args\": [\"--from\", \"mcp-server-git==0.6.2\", \"mcp-server-git\"] },\n    \"local\": { \"command\": \"node\", \"args\": [\"./build/index.js\"] }\n  }\n}\n",
        ),
        Example::allows(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"search\": {\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"acme/search-mcp@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\"]\n    }\n  }\n}\n",
        ),
    ],
};

impl Rule for UnpinnedLauncher {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        for_each_server(file, |server| {
            let argv = server.argv();
            if let Some(run) = launch::package_launch(&argv) {
                let spec = run.package.text.as_str();
                let spec = spec
                    .split_once('=')
                    .filter(|(f, _)| f.starts_with('-'))
                    .map_or(spec, |(_, v)| v);
                let pin = if run.python {
                    launch::python_pin(spec)
                } else {
                    launch::npm_pin(spec)
                };
                let (severity, what) = match pin {
                    Some(Pin::None) => (
                        Severity::Medium,
                        "no fixed version: whatever is current when the client starts runs",
                    ),
                    Some(Pin::Range) => (
                        Severity::Low,
                        "a version range: new releases in the range run",
                    ),
                    Some(Pin::Exact) | None => return,
                };
                let mut f = server_finding(
                    &META,
                    file,
                    server,
                    run.package.span.clone(),
                    format!(
                        "Server `{}` runs `{spec}` with `{}` — {what}",
                        server.name, run.runner
                    ),
                );
                f.severity = severity;
                f.evidence.push(Evidence::new("package", spec));
                if run.auto_yes {
                    f.evidence.push(Evidence::new(
                        "auto-install",
                        "`-y`/`--yes`: installed without a prompt",
                    ));
                }
                out.push(f);
            } else if let Some(run) = launch::container_launch(&argv) {
                let Some(image) = run.image else {
                    return;
                };
                if launch::image_pin(&image.text) != Pin::None || image.text.starts_with('$') {
                    return;
                }
                let mut f = server_finding(
                    &META,
                    file,
                    server,
                    image.span.clone(),
                    format!(
                        "Server `{}` runs image `{}` with `{} run` — no tag or digest: whatever `latest` is runs",
                        server.name, image.text, run.engine
                    ),
                );
                f.evidence.push(Evidence::new("image", image.text.clone()));
                if image.text.contains("${") {
                    f.confidence = Confidence::Low;
                }
                out.push(f);
            }
        });
    }
}
