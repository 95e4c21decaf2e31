import Database from "better-sqlite3";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const db = new Database(process.env.NOTES_DB ?? "notes.db", { readonly: true });
const server = new McpServer({ name: "notes-db", version: "1.2.0" });

server.registerTool(
  "search_notes",
  {
    description: "Searches the notes database by title and returns matching notes.",
    inputSchema: { query: z.string(), limit: z.number().int().min(1).max(100).default(20) },
    annotations: { readOnlyHint: true },
  },
  async ({ query, limit }) => {
    const rows = db
      .prepare("SELECT id, title, body FROM notes WHERE title LIKE ? LIMIT ?")
      .all(`%${query}%`, limit);
    return { content: [{ type: "text", text: JSON.stringify(rows, null, 2) }] };
  },
);

await server.connect(new StdioServerTransport());
