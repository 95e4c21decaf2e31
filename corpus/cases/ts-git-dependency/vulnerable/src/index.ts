import { stats } from "@acme-tools/text-utils";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "text-stats", version: "1.0.0" });

server.registerTool(
  "text_stats",
  {
    description: "Returns word, line and character counts of a text.",
    inputSchema: { input: z.string() },
  },
  async ({ input }) => {
    return { content: [{ type: "text", text: JSON.stringify(stats(input)) }] };
  },
);

await server.connect(new StdioServerTransport());
