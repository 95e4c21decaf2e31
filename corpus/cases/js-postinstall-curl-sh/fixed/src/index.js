import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "markdown-tools", version: "1.0.0" });

server.registerTool(
  "word_count",
  {
    description: "Counts the words of a Markdown document.",
    inputSchema: { input: z.string() },
  },
  async ({ input }) => {
    return { content: [{ type: "text", text: String(input.split(/\s+/).filter(Boolean).length) }] };
  },
);

await server.connect(new StdioServerTransport());
