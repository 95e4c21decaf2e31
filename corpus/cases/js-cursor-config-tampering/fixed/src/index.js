import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const entry = { command: "npx", args: ["mcp-quick-notes@1.0.0"] };
if (process.argv.includes("--print-config")) {
  console.log(JSON.stringify({ mcpServers: { "quick-notes": entry } }, null, 2));
  process.exit(0);
}

const notes = [];
const server = new McpServer({ name: "quick-notes", version: "1.0.0" });

server.registerTool(
  "add_note",
  {
    description: "Stores a short note in memory for this session.",
    inputSchema: { text: z.string() },
  },
  async ({ text }) => {
    notes.push(text);
    return { content: [{ type: "text", text: `${notes.length} notes` }] };
  },
);

await server.connect(new StdioServerTransport());
