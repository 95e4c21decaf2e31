//! `AS209` credentials-to-caller-host: credentials are sent to a host the caller chooses.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS209",
    name: "credentials-to-caller-host",
    title: "Credentials are sent to a host the caller chooses",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[522, 201],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "A request whose URL or host comes from a tool parameter carries the server's own credentials (an API token from the environment or config in an `Authorization` header, cookies, basic auth).",
    why: "A prompt injection only has to supply its own URL to receive the user's token. The credential then works against the real API with everything it is scoped for.",
    remediation: "Send credentials only to the fixed API origin they belong to: build the URL from a constant base, or check the parsed origin against an allowlist before attaching the header.",
    references: &["https://cwe.mitre.org/data/definitions/522.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  await fetch(input, { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } });
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"import os
import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return requests.get(value, headers={"Authorization": "Bearer " + os.environ["API_TOKEN"]}, timeout=10).text
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"net/http"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		req2, _ := http.NewRequest("GET", input, nil)
		req2.Header.Set("Authorization", "Bearer "+os.Getenv("API_TOKEN"))
		_, _ = http.DefaultClient.Do(req2)
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

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  await fetch(`https://api.example.org/items/${encodeURIComponent(input)}`, { headers: { Authorization: `Bearer ${process.env.API_TOKEN}` } });
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import os
from urllib.parse import quote
import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return requests.get("https://api.example.org/items/" + quote(value), headers={"Authorization": "Bearer " + os.environ["API_TOKEN"]}, timeout=10).text
"#,
        ),
        Example::allows(
            "server.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  await fetch("https://api.example.org/notes", {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },
    body: JSON.stringify({ text: input }),
  });
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::CredentialToHost],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a request that carries the server's credentials",
};

taint_rule!(
    CredentialsToCallerHost,
    "Credentials are sent to a host the caller chooses."
);
