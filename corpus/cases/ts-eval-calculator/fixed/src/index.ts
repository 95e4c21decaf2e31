import { evaluate } from "mathjs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "calculator", version: "1.0.0" });

server.registerTool(
  "calculate",
  {
    description: "Evaluates an arithmetic expression such as (2 + 3) * 4 and returns the result.",
    inputSchema: { expression: z.string().max(200) },
    annotations: { readOnlyHint: true },
  },
  async ({ expression }) => {
    const value = evaluate(expression);
    return { content: [{ type: "text", text: String(value) }] };
  },
);

await server.connect(new StdioServerTransport());
