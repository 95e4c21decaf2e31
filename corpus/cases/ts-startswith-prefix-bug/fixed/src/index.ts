import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const ROOT = path.resolve(process.env.DATA_ROOT ?? "/srv/data");
const server = new McpServer({ name: "data-files", version: "2.1.0" });

server.registerTool(
  "get_file",
  {
    description: "Reads a file below the data directory and returns its text.",
    inputSchema: { relativePath: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ relativePath }) => {
    const root = await realpath(ROOT);
    const full = await realpath(path.resolve(root, relativePath));
    if (!full.startsWith(root + path.sep)) {
      return { isError: true, content: [{ type: "text", text: "access denied" }] };
    }
    return { content: [{ type: "text", text: await readFile(full, "utf8") }] };
  },
);

await server.connect(new StdioServerTransport());
