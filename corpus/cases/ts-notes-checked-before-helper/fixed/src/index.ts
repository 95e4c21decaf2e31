import path from "node:path";
import { realpath } from "node:fs/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { loadNote } from "./lib/notes.js";

const NOTES_DIR = path.resolve(process.env.NOTES_DIR ?? "./notes");

const server = new McpServer({ name: "notes-reader", version: "1.2.1" });

server.registerTool(
  "read_note",
  {
    description: "Reads a Markdown note from the notes folder.",
    inputSchema: { name: z.string().describe("Note path relative to the notes folder") },
  },
  async ({ name }) => {
    // Resolve `..` and symlinks, then require the result to stay under the folder.
    const file = await realpath(path.resolve(NOTES_DIR, name));
    if (!file.startsWith(NOTES_DIR + path.sep)) {
      throw new Error(`Access denied: ${name} is outside the notes folder`);
    }
    const note = await loadNote(file);
    return { content: [{ type: "text", text: note.text }] };
  },
);

await server.connect(new StdioServerTransport());
