//! `AS706` auto-approve-enabled: settings that let an agent call MCP tools without
//! asking — per-server `autoApprove` / `alwaysAllow` lists, Gemini's `"trust": true`,
//! VS Code's `chat.tools.autoApprove`, Claude Code's `bypassPermissions` mode and
//! `enableAllProjectMcpServers`.

use std::ops::Range;

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::config::{self, Server};
use super::server_finding;
use crate::container::finding;
use crate::manifest::jsonc::{Node, Value};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct AutoApproveEnabled;

static META: RuleMeta = RuleMeta {
    id: "AS706",
    name: "auto-approve-enabled",
    title: "MCP tool calls approved automatically",
    family: Family::ClientConfig,
    severity: Severity::Medium,
    cwe: &[862, 1188],
    owasp_mcp: "MCP02:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds per-server `autoApprove` and `alwaysAllow` lists (Cline, Roo Code, \
        Windsurf and others) — high when they hold `*` or tools that write, delete, run \
        commands or send data, low for read-only tool names — `autoApprove: true` and \
        Gemini CLI's `\"trust\": true` (high), and client-wide bypasses: VS Code's \
        `chat.tools.autoApprove` (high), Claude Code's `defaultMode: \
        \"bypassPermissions\"` (high) and `enableAllProjectMcpServers` (medium).",
    why: "The confirmation prompt is the last control between a prompt injection — in a \
        web page, an issue, a file the agent reads — and a tool call that deletes data, \
        runs a command or exfiltrates secrets. Auto-approval turns every injected \
        instruction into an action.",
    remediation: "Remove auto-approval for tools that change state, run code or reach the \
        network; keep it, if at all, for a short list of read-only tools. Leave \
        client-wide approval bypasses off outside disposable sandboxes.",
    references: &[
        "https://modelcontextprotocol.io/specification/2025-06-18/server/tools#security-considerations",
        "https://cwe.mitre.org/data/definitions/862.html",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "cline_mcp_settings.json",
            "{\n  \"mcpServers\": {\n    \"fs\": {\n      \"command\": \"node\",\n      \"args\": [\"/opt/fs-mcp/index.js\"],\n      \"autoApprove\": [\"read_file\", \"write_file\", \"delete_file\"]\n    }\n  }\n}\n",
        ),
        Example::flags(
            ".gemini/settings.json",
            "{\n  \"mcpServers\": {\n    \"shell\": { \"command\": \"node\", \"args\": [\"shell-mcp.js\"], \"trust\": true }\n  }\n}\n",
        ),
        Example::flags(
            ".roo/mcp.json",
            "{\n  \"mcpServers\": {\n    \"gh\": { \"command\": \"node\", \"args\": [\"gh.js\"], \"alwaysAllow\": [\"*\"] }\n  }\n}\n",
        ),
        Example::allows(
            "cline_mcp_settings.json",
            "{\n  \"mcpServers\": {\n    \"fs\": { \"command\": \"node\", \"args\": [\"/opt/fs-mcp/index.js\"], \"autoApprove\": [], \"disabled\": false }\n  }\n}\n",
        ),
        Example::allows(
            ".gemini/settings.json",
            "{\n  \"mcpServers\": {\n    \"shell\": { \"command\": \"node\", \"args\": [\"shell-mcp.js\"], \"trust\": false }\n  }\n}\n",
        ),
        Example::allows(
            ".vscode/settings.json",
            "{\n  \"chat.tools.autoApprove\": false,\n  \"editor.tabSize\": 2\n}\n",
        ),
    ],
};

/// Words in tool names that mean the tool changes state, runs code or sends data.
const RISKY_TOOL_WORDS: &[&str] = &[
    "write", "delete", "remove", "rm", "exec", "execute", "run", "shell", "command", "bash",
    "terminal", "kill", "push", "create", "update", "edit", "move", "rename", "send", "post",
    "deploy", "drop", "insert", "modify", "install", "patch", "merge", "commit", "upload", "eval",
    "put", "set", "publish", "transfer", "pay",
];

impl Rule for AutoApproveEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(config) = config::read(file) else {
            return;
        };
        for server in config.servers() {
            check_server(file, &server, out);
        }
        check_client_settings(file, &config.root, out);
    }
}

fn check_server(file: &FileContext<'_>, server: &Server<'_>, out: &mut Vec<Finding>) {
    for key in ["autoApprove", "alwaysAllow"] {
        let Some(member) = server.entry.member(key) else {
            continue;
        };
        let range = member.key_span.start..member.value.span.end;
        let (severity, what, tools) = match &member.value.value {
            Value::Bool(true) => (Severity::High, "every tool".to_string(), Vec::new()),
            Value::Array(items) if !items.is_empty() => {
                let tools: Vec<String> = items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect();
                let risky: Vec<&String> =
                    tools.iter().filter(|t| *t == "*" || is_risky(t)).collect();
                if tools.iter().any(|t| t == "*") {
                    (
                        Severity::High,
                        "every tool (`*`)".to_string(),
                        tools.clone(),
                    )
                } else if risky.is_empty() {
                    (
                        Severity::Low,
                        format!("{} read-only tool(s)", tools.len()),
                        tools.clone(),
                    )
                } else {
                    let names: Vec<&str> = risky.iter().map(|s| s.as_str()).collect();
                    (
                        Severity::High,
                        format!("tools that change state or run code ({})", names.join(", ")),
                        tools.clone(),
                    )
                }
            }
            _ => continue,
        };
        let mut f = server_finding(
            &META,
            file,
            server,
            range,
            format!(
                "Server `{}` auto-approves {what} through `{key}`",
                server.name
            ),
        );
        f.severity = severity;
        if !tools.is_empty() {
            f.evidence.push(Evidence::new(key, tools.join(", ")));
        }
        out.push(f);
    }
    if let Some(member) = server.entry.member("trust")
        && member.value.as_bool() == Some(true)
    {
        let mut f = server_finding(
            &META,
            file,
            server,
            member.key_span.start..member.value.span.end,
            format!(
                "Server `{}` is trusted: every tool call runs without confirmation",
                server.name
            ),
        );
        f.severity = Severity::High;
        out.push(f);
    }
}

/// Client-wide approval bypasses.
fn check_client_settings(file: &FileContext<'_>, root: &Node, out: &mut Vec<Finding>) {
    let mut report = |range: Range<usize>, severity: Severity, message: &str| {
        let mut f = finding::at(&META, file, range, message);
        f.severity = severity;
        out.push(f);
    };
    if let Some(member) = root.member("chat.tools.autoApprove")
        && member.value.as_bool() == Some(true)
    {
        report(
            member.key_span.start..member.value.span.end,
            Severity::High,
            "`chat.tools.autoApprove` runs every tool of every server without confirmation",
        );
    }
    if let Some(mode) = root
        .get("permissions")
        .and_then(|p| p.member("defaultMode"))
        && mode.value.as_str() == Some("bypassPermissions")
    {
        report(
            mode.key_span.start..mode.value.span.end,
            Severity::High,
            "`defaultMode: bypassPermissions` skips every permission prompt, MCP tools included",
        );
    }
    if let Some(member) = root.member("enableAllProjectMcpServers")
        && member.value.as_bool() == Some(true)
    {
        report(
            member.key_span.start..member.value.span.end,
            Severity::Medium,
            "`enableAllProjectMcpServers` starts every server a repository's `.mcp.json` declares without asking",
        );
    }
}

/// True when a tool name contains a word of [`RISKY_TOOL_WORDS`].
fn is_risky(tool: &str) -> bool {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in tool.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase();
        current.push(c.to_ascii_lowercase());
    }
    words.push(current);
    words.iter().any(|w| RISKY_TOOL_WORDS.contains(&w.as_str()))
}
