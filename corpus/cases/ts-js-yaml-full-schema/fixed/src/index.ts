import yaml from "js-yaml";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "config-lint", version: "0.4.1" });

server.registerTool(
  "lint_config",
  {
    description: "Parses a YAML configuration document and reports its top-level keys.",
    inputSchema: { document: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ document }) => {
    const config = yaml.safeLoad(document) as Record<string, unknown>;
    const keys = Object.keys(config ?? {});
    return { content: [{ type: "text", text: `keys: ${keys.join(", ")}` }] };
  },
);

await server.connect(new StdioServerTransport());
