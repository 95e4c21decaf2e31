import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const notes = new Map<string, string>();
const server = new McpServer({ name: "notes", version: "0.3.0" });

server.tool(
  "add_note",
  "Store a short note under a title.",
  { title: z.string().max(80), body: z.string().max(2000) },
  async ({ title, body }) => {
    notes.set(title, body);
    return { content: [{ type: "text", text: `saved ${title}` }] };
  },
);

server.tool("list_notes", "List the titles of stored notes.", {}, async () => ({
  content: [{ type: "text", text: [...notes.keys()].join("\n") }],
}));

await server.connect(new StdioServerTransport());
