//! `AS208` unsafe-deserialization: tool input is deserialised with an unsafe decoder.

use assay_core::{Example, Family, RuleMeta, Severity};

use super::flow_rule::{FlowSelector, taint_rule};
use crate::taint::SinkKind;

static META: RuleMeta = RuleMeta {
    id: "AS208",
    name: "unsafe-deserialization",
    title: "Tool input is deserialised with an unsafe decoder",
    family: Family::Code,
    severity: Severity::Critical,
    cwe: &[502],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "A tool parameter is decoded with a deserializer that can instantiate arbitrary objects or run code: `pickle`, `marshal`, `yaml.load` without a safe loader, `jsonpickle`, `node-serialize`, unsafe js-yaml loads.",
    why: "These formats encode executable behaviour; decoding attacker-chosen bytes runs the attacker's code in the server process.",
    remediation: "Use data-only formats and safe loaders: JSON, `yaml.safe_load`, js-yaml's default `load` (v4), typed decoding into fixed structures.",
    references: &["https://cwe.mitre.org/data/definitions/502.html"],
    examples: &[
        Example::flags(
            "server.py",
            r#"import base64
import pickle
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return str(pickle.loads(base64.b64decode(value)))
"#,
        ),
        Example::flags(
            "config.py",
            r#"import yaml
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return str(yaml.load(value, Loader=yaml.Loader))
"#,
        ),
        Example::flags(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import serialize from "node-serialize";
const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const obj = serialize.unserialize(input);
  console.log(obj);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
        Example::allows(
            "server.py",
            r#"import json
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return str(json.loads(value))
"#,
        ),
        Example::allows(
            "config.py",
            r#"import yaml
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def run(value: str) -> str:
    """Runs the operation."""
    return str(yaml.safe_load(value))
"#,
        ),
        Example::allows(
            "server.ts",
            r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "demo", version: "1.0.0" });
server.tool("run", "Runs the operation", { input: z.string() }, async ({ input }) => {
  const obj = JSON.parse(input);
  console.log(obj);
  return { content: [{ type: "text", text: "done" }] };
});
"#,
        ),
    ],
};

static SELECTOR: FlowSelector = FlowSelector {
    sinks: &[SinkKind::Deserialize],
    tool_sources: true,
    remote_sources: false,
    yields_to: &[],
    reaches: "an unsafe deserializer",
};

taint_rule!(
    UnsafeDeserialization,
    "Tool input is deserialised with an unsafe decoder."
);
