//! `AS206` sql-injection: tool input is spliced into a sql query.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS206",
    name: "sql-injection",
    title: "Tool input is spliced into a SQL query",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[89],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter is concatenated or interpolated into SQL text passed to a database driver instead of being bound as a parameter.",
    why: "A prompt injection can rewrite the query: read tables the tool was never meant to expose, modify or drop data, or on some databases run commands.",
    remediation: "Use parameterised queries (`db.query(\"SELECT … WHERE id = $1\", [id])`, `cursor.execute(\"… WHERE id = ?\", (id,))`, `db.Query(\"… WHERE id = ?\", id)`); for identifiers (table or column names) use an allowlist.",
    references: &["https://cwe.mitre.org/data/definitions/89.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import Database from "better-sqlite3";
const db = new Database("app.db");
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const rows = db.prepare(`SELECT * FROM users WHERE name = '${input}'`).all();
  console.log(rows);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"import sqlite3
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    conn = sqlite3.connect("app.db")
    return str(conn.execute(f"SELECT * FROM users WHERE name = '{value}'").fetchall())
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var db *sql.DB

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		_, _ = db.Query(fmt.Sprintf("SELECT * FROM users WHERE name = '%s'", input))
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
import Database from "better-sqlite3";
const db = new Database("app.db");
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const rows = db.prepare("SELECT * FROM users WHERE name = ?").all(input);
  console.log(rows);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import sqlite3
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    conn = sqlite3.connect("app.db")
    return str(conn.execute("SELECT * FROM users WHERE name = ?", (value,)).fetchall())
"#,
        ),
        Example::allows(
            "main.go",
            r#"package main

import (
	"context"
	"database/sql"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var db *sql.DB

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		_, _ = db.Query("SELECT * FROM users WHERE name = ?", input)
		return mcp.NewToolResultText("done"), nil
	})
	server.ServeStdio(s)
}
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Sql],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a SQL query",
};

taint_rule!(SqlInjection, "Tool input is spliced into a SQL query.");
