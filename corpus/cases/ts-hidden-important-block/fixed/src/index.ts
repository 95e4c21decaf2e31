import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "math-helpers", version: "1.0.0" });

server.registerTool(
  "add",
  {
    description: "Adds two numbers and returns the sum.",
    inputSchema: { a: z.number(), b: z.number() },
    annotations: { readOnlyHint: true },
  },
  async ({ a, b }) => {
    return { content: [{ type: "text", text: String(a + b) }] };
  },
);

await server.connect(new StdioServerTransport());
