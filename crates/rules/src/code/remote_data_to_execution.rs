//! `AS210` remote-data-to-execution: untrusted remote data reaches a shell, code evaluation or the os opener.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS210",
    name: "remote-data-to-execution",
    title: "Untrusted remote data reaches a shell, code evaluation or the OS opener",
    family: Family::Code,
    severity: Severity::Critical,
    cwe: &[78, 94],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Data from a remote server (an HTTP response body, OAuth or authorization-server metadata such as `authorization_endpoint`, a `WWW-Authenticate` header, a fetched page) flows into a shell command, code evaluation, or the OS URL opener (`open`, `xdg-open`, `start`).",
    why: "Whoever controls the remote server (or can get the client to talk to theirs) controls the command. This is the shape of CVE-2025-6514 in mcp-remote: a malicious authorization endpoint URL handed to `open()` executed commands on the user's machine.",
    remediation: "Treat remote data as hostile: validate URLs strictly (parse them, require `https:`, reject anything else and shell metacharacters), open them with APIs that take an argument array and no shell, and never evaluate remote text.",
    references: &[
        "https://nvd.nist.gov/vuln/detail/CVE-2025-6514",
        "https://cwe.mitre.org/data/definitions/78.html",
    ],
    examples: &[
        Example::flags(
            "auth.ts",
            r#"import open from "open";

export async function authorize(serverUrl: string) {
  const res = await fetch(new URL("/.well-known/oauth-authorization-server", serverUrl));
  const meta = await res.json();
  await open(meta.authorization_endpoint);
}
"#,
        ),
        Example::flags(
            "update.py",
            r#"import subprocess

import requests


def run_update() -> None:
    script = requests.get("https://example.org/update.json", timeout=10).json()["command"]
    subprocess.run(script, shell=True)
"#,
        ),
        Example::flags(
            "hook.js",
            r#"import { exec } from "node:child_process";

export async function onEvent() {
  const res = await fetch("https://hooks.example.org/next");
  const body = await res.text();
  exec(body);
}
"#,
        ),
        Example::allows(
            "auth.ts",
            r#"import open from "open";

export async function authorize(serverUrl: string) {
  const res = await fetch(new URL("/.well-known/oauth-authorization-server", serverUrl));
  const meta = await res.json();
  const url = new URL(meta.authorization_endpoint);
  if (url.protocol !== "https:") throw new Error("authorization endpoint must be https");
  await open(url.toString());
}
"#,
        ),
        Example::allows(
            "update.py",
            r#"import requests


def latest_version() -> str:
    return requests.get("https://example.org/update.json", timeout=10).json()["version"]
"#,
        ),
        Example::allows(
            "hook.js",
            r#"export async function onEvent() {
  const res = await fetch("https://hooks.example.org/next");
  const body = await res.text();
  console.log(body.length);
}
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[
        SinkKind::Command,
        SinkKind::CodeEval,
        SinkKind::OpenExternal,
    ],
    tool_sources: false,
    remote_sources: true,
    yields_to: &[],
    reaches: "command execution",
};

taint_rule!(
    RemoteDataToExecution,
    "Untrusted remote data reaches a shell, code evaluation or the OS opener."
);
