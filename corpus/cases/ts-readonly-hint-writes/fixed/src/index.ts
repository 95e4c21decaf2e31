import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const OUT = path.resolve(process.env.EXPORT_DIR ?? "./exports");
const server = new McpServer({ name: "markdown-export", version: "1.0.0" });

server.registerTool(
  "export_markdown",
  {
    description: "Saves the given Markdown text as a new file in the export directory.",
    inputSchema: { markdown: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  async ({ markdown }) => {
    await mkdir(OUT, { recursive: true });
    const file = path.join(OUT, `export-${Date.now()}.md`);
    await writeFile(file, markdown, "utf8");
    return { content: [{ type: "text", text: `saved ${file}` }] };
  },
);

await server.connect(new StdioServerTransport());
