//! `AS205` server-side-request-forgery: tool input chooses the url or host of a server-side request.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS205",
    name: "server-side-request-forgery",
    title: "Tool input chooses the URL or host of a server-side request",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[918],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:L/SA:N",
    summary: "A tool parameter becomes the URL or host of an HTTP request (`fetch`, axios, got, undici, `requests`, `httpx`, `urllib`, `http.Get`) with no allowlist of hosts.",
    why: "The server usually runs on the user's machine or inside a network the attacker cannot reach. A caller-chosen URL turns it into a proxy to `localhost` admin ports, cloud metadata endpoints (169.254.169.254) and intranet services, and its responses flow back into the model.",
    remediation: "Allow only the hosts the tool needs (compare the parsed hostname against an allowlist), build URLs from a fixed base with encoded path segments (`encodeURIComponent`, `urllib.parse.quote`, `url.PathEscape`), and refuse private, loopback and link-local addresses after DNS resolution.",
    references: &["https://cwe.mitre.org/data/definitions/918.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string().url() }, async ({ input }) => {
  const res = await fetch(input);
  console.log(await res.text());
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return requests.get(value, timeout=10).text
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		_, _ = http.Get(input)
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
  const res = await fetch(`https://api.github.com/repos/${encodeURIComponent(input)}`);
  console.log(await res.text());
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import requests
from urllib.parse import quote
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return requests.get("https://api.weather.gov/points/" + quote(value), timeout=10).text
"#,
        ),
        Example::allows(
            "server.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const url = new URL(input);
  if (!["api.example.org"].includes(url.hostname)) throw new Error("host not allowed");
  const res = await fetch(url);
  console.log(await res.text());
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Url],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[SinkKind::CredentialToHost],
    reaches: "the URL of an outbound request",
};

taint_rule!(
    ServerSideRequestForgery,
    "Tool input chooses the URL or host of a server-side request."
);
