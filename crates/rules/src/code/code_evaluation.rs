//! `AS203` code-evaluation: tool input is evaluated as code.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS203",
    name: "code-evaluation",
    title: "Tool input is evaluated as code",
    family: Family::Code,
    severity: Severity::Critical,
    cwe: &[94, 95],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter reaches `eval`, `new Function`, `vm.run*`, Python `eval`/`exec`/`compile` (restricted globals included) or another interpreter entry point.",
    why: "Evaluating model-supplied text runs whatever a prompt injection put there, in the server's process, with its files, network and credentials. Restricted globals and `vm` contexts are not sandboxes and are routinely escaped.",
    remediation: "Do not evaluate tool input. Parse it with a purpose-built parser (a math expression parser, `ast.literal_eval` for Python literals, JSON) or map it onto an allowlist of operations.",
    references: &["https://cwe.mitre.org/data/definitions/94.html"],
    examples: &[
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const result = eval(input);
  console.log(result);
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
    return str(eval(value, {"__builtins__": {}}))
"#,
        ),
        Example::flags(
            "calc.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const fn = new Function("return " + input);
  fn();
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const result = JSON.parse(input);
  console.log(result);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import ast
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return str(ast.literal_eval(value))
"#,
        ),
        Example::allows(
            "calc.js",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", {}, async () => {
  const result = eval("1 + 2");
  console.log(result);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::CodeEval],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "code evaluation",
};

taint_rule!(CodeEvaluation, "Tool input is evaluated as code.");
