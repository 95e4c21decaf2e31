import fs from "node:fs";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const BASE = path.resolve(process.env.SNIPPETS_DIR ?? "./snippets");
fs.mkdirSync(BASE, { recursive: true });
const server = new McpServer({ name: "snippets", version: "1.0.1" });

server.registerTool(
  "save_snippet",
  {
    description: "Writes a code snippet to a file in the snippets directory.",
    inputSchema: { name: z.string(), content: z.string() },
  },
  async ({ name, content }) => {
    const root = fs.realpathSync(BASE);
    const target = path.resolve(root, name);
    const rel = path.relative(root, target);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel) || rel.includes(path.sep)) {
      throw new Error("name must be a plain file name inside the snippets directory");
    }
    fs.writeFileSync(target, content, { flag: "wx" });
    return { content: [{ type: "text", text: `saved ${name}` }] };
  },
);

await server.connect(new StdioServerTransport());
