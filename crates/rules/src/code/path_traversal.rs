//! `AS204` path-traversal: tool input reaches a filesystem path without a correct containment check.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS204",
    name: "path-traversal",
    title: "Tool input reaches a filesystem path without a correct containment check",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[22, 59],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter is used as (part of) a path that is read, written, listed or deleted, with no containment check, or with a broken one: a `startsWith(root)` prefix test without a separator (`/data-evil` passes for `/data`), a check on the unresolved path, or no symlink resolution.",
    why: "`../../.ssh/id_rsa`, an absolute path or a symlink planted in the allowed directory lets a prompt injection read the user's secrets or overwrite their files through a tool that was meant to stay inside one folder.",
    remediation: "Resolve the path (`fs.realpath`, `os.path.realpath`, `filepath.EvalSymlinks`) and check containment on the resolved path with a separator-aware test: `path.relative(root, p)` not starting with `..` and not absolute, `Path.is_relative_to(root)`, `filepath.Rel` not starting with `..`, or Go's `os.Root`.",
    references: &[
        "https://cwe.mitre.org/data/definitions/22.html",
        "https://cwe.mitre.org/data/definitions/59.html",
    ],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { readFile } from "node:fs/promises";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const text = await readFile(input, "utf8");
  console.log(text);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    with open(value) as f:
        return f.read()
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		_, _ = os.ReadFile(filepath.Join("/srv/data", input))
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
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const root = await realpath("/srv/data");
  const full = await realpath(path.resolve(root, input));
  const rel = path.relative(root, full);
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new Error("outside");
  const text = await readFile(full, "utf8");
  console.log(text);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"from pathlib import Path
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    root = Path("/srv/data").resolve()
    target = (root / value).resolve()
    if not target.is_relative_to(root):
        raise ValueError("outside the data directory")
    return target.read_text()
"#,
        ),
        Example::allows(
            "server.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { readFile } from "node:fs/promises";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", {}, async () => {
  const text = await readFile("/etc/hostname", "utf8");
  console.log(text);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::PathAccess],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a filesystem operation",
};

taint_rule!(
    PathTraversal,
    "Tool input reaches a filesystem path without a correct containment check."
);
