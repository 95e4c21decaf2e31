import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const NOTES = path.resolve(process.env.NOTES_DIR ?? "./notes");
const server = new McpServer({ name: "notes-reader", version: "0.1.4" });

server.registerTool(
  "read_note",
  {
    description: "Returns the content of a note file from the notes directory.",
    inputSchema: { file: z.string().describe("Note file name, e.g. 2024-06-01.md") },
    annotations: { readOnlyHint: true },
  },
  async ({ file }) => {
    const target = path.join(NOTES, file);
    const text = await readFile(target, "utf8");
    return { content: [{ type: "text", text }] };
  },
);

await server.connect(new StdioServerTransport());
