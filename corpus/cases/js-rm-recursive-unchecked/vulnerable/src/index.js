import { rm, realpath } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const CACHE = path.resolve(process.env.CACHE_DIR ?? ".cache/build");
const server = new McpServer({ name: "cache-admin", version: "0.3.0" });

server.registerTool(
  "purge_cache_entry",
  {
    description: "Deletes one entry (file or directory) from the build cache.",
    inputSchema: { entry: z.string().describe("Cache entry, relative to the cache directory") },
    annotations: { destructiveHint: true },
  },
  async ({ entry }) => {
    const target = path.join(CACHE, entry);
    await rm(target, { recursive: true, force: true });
    return { content: [{ type: "text", text: `removed ${entry}` }] };
  },
);

await server.connect(new StdioServerTransport());
