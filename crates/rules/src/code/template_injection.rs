//! `AS207` template-injection: tool input is compiled as a template.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS207",
    name: "template-injection",
    title: "Tool input is compiled as a template",
    family: Family::Code,
    severity: Severity::High,
    cwe: &[1336, 94],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter is used as the template text of a template engine (EJS, Handlebars, Pug, Nunjucks, lodash `template`, Jinja2, Mako, Go `text/template`) rather than as data rendered into a fixed template.",
    why: "Template languages evaluate expressions; a template chosen by the caller reaches object internals and, in most engines, arbitrary code execution (server-side template injection).",
    remediation: "Keep templates fixed in the code and pass tool input only as render data (`ejs.render(TEMPLATE, { name })`, `env.get_template(\"x.html\").render(name=name)`); if users must supply templates, use a logic-less engine in a sandbox designed for it.",
    references: &["https://cwe.mitre.org/data/definitions/1336.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import ejs from "ejs";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const html = ejs.render(input, {});
  console.log(html);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::flags(
            "server.py",
            r#"from jinja2 import Template
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return Template(value).render()
"#,
        ),
        Example::flags(
            "main.go",
            r#"package main

import (
	"context"
	"os"
	"text/template"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		t, _ := template.New("x").Parse(input)
		_ = t.Execute(os.Stdout, nil)
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
import ejs from "ejs";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const html = ejs.render("<p><%= name %></p>", { name: input });
  console.log(html);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"from jinja2 import Template
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return Template("Hello {{ name }}").render(name=value)
"#,
        ),
        Example::allows(
            "main.go",
            r#"package main

import (
	"context"
	"os"
	"text/template"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("demo", "1.0.0")
	tool := mcp.NewTool("run", mcp.WithDescription("Runs the operation"), mcp.WithString("input", mcp.Required()))
	s.AddTool(tool, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		input, _ := req.RequireString("input")
		t, _ := template.New("x").Parse("Hello {{.}}")
		_ = t.Execute(os.Stdout, input)
		return mcp.NewToolResultText("done"), nil
	})
	server.ServeStdio(s)
}
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Template],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "a template engine as template source",
};

taint_rule!(TemplateInjection, "Tool input is compiled as a template.");
