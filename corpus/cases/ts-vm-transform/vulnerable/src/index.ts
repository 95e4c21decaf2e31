import vm from "node:vm";
import { JSONPath } from "jsonpath-plus";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "json-transform", version: "1.3.0" });

server.registerTool(
  "transform_json",
  {
    description: "Applies a transformation expression to a JSON document and returns the result.",
    inputSchema: {
      document: z.string().describe("The JSON document"),
      transform: z.string().describe("Expression over `data`, e.g. data.items.map(i => i.id)"),
    },
  },
  async ({ document, transform }) => {
    const data = JSON.parse(document);
    const result = vm.runInNewContext(transform, { data }, { timeout: 1000 });
    return { content: [{ type: "text", text: JSON.stringify(result, null, 2) }] };
  },
);

await server.connect(new StdioServerTransport());
