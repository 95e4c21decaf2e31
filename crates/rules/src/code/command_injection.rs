//! `AS201` command-injection: tool input reaches a shell command.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS201",
    name: "command-injection",
    title: "Tool input reaches a shell command",
    family: Family::Code,
    severity: Severity::Critical,
    cwe: &[78, 77],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter flows, unsanitised, into a command line run by a shell (`exec`, `execSync`, `spawn` with `shell: true`, `os.system`, `subprocess` with `shell=True`, `exec.Command(\"sh\", \"-c\", …)`).",
    why: "The model fills tool parameters from whatever is in its context, including text an attacker planted in a web page, an issue or a file. A parameter that reaches a shell lets that text run any command with the server's privileges: read the user's keys, install malware, move laterally.",
    remediation: "Never build shell command lines from tool input. Run the program directly with an argument array and no shell (`execFile(\"git\", [\"log\", \"--\", ref])`, `subprocess.run([\"git\", \"log\", \"--\", ref])`, `exec.Command(\"git\", \"log\", \"--\", ref)`), validate the input against an allowlist, and put `--` before positional arguments.",
    references: &["https://cwe.mitre.org/data/definitions/78.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { exec } from "node:child_process";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  exec(`ls -la ${input}`);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"import subprocess
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return subprocess.run(f"ping -c 1 {value}", shell=True, capture_output=True, text=True).stdout
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"os/exec"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		_, _ = exec.Command("sh", "-c", "dig "+input).Output()
		return mcp.NewToolResultText("done"), nil
	})
	server.ServeStdio(s)
}
"#,
        ),
        Example::allows(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { execFile } from "node:child_process";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  execFile("ls", ["-la", "--", input]);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import subprocess
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return subprocess.run(["ping", "-c", "1", "--", value], capture_output=True, text=True).stdout
"#,
        ),
        Example::allows(
            "server.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { execSync } from "node:child_process";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", {}, async () => {
  execSync("uptime");
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Command],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a shell command",
};

taint_rule!(CommandInjection, "Tool input reaches a shell command.");
