//! `AS202` argument-injection: tool input can inject options into a command.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS202",
    name: "argument-injection",
    title: "Tool input can inject options into a command",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[88],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter is passed as a leading argument of a program run without a shell (git, curl, tar, rg, find, kubectl, ssh…) with no `--` separator and no check that it does not start with a dash.",
    why: "Argument arrays stop shell injection but not option injection: a value like `--upload-pack=touch /tmp/pwned` (git), `-o /etc/cron.d/x` (curl) or `--pre=sh` (rg) turns a read-only tool into code execution or arbitrary file writes.",
    remediation: "Put `--` before every positional argument that comes from a tool parameter, reject values that start with `-`, and prefer allowlists of expected values (branch names, file names) validated with a strict pattern.",
    references: &["https://cwe.mitre.org/data/definitions/88.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { execFile } from "node:child_process";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  execFile("git", ["log", input]);
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
    return subprocess.run(["rg", value, "."], capture_output=True, text=True).stdout
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
		_, _ = exec.Command("git", "show", input).Output()
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
  execFile("git", ["log", "--", input]);
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
    if value.startswith("-"):
        raise ValueError("bad pattern")
    return subprocess.run(["rg", value, "."], capture_output=True, text=True).stdout
"#,
        ),
        Example::allows(
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
		_, _ = exec.Command("git", "show", "--", input).Output()
		return mcp.NewToolResultText("done"), nil
	})
	server.ServeStdio(s)
}
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Argument],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a command's arguments where it can be read as an option",
};

taint_rule!(
    ArgumentInjection,
    "Tool input can inject options into a command."
);
