import { createRequire } from "node:module";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const addon = createRequire(import.meta.url)("../prebuilds/linux-x64/fasthash.node");
const server = new McpServer({ name: "fast-hash", version: "1.0.0" });

server.registerTool(
  "hash_text",
  {
    description: "Computes the SHA-256 digest of a text.",
    inputSchema: { input: z.string() },
  },
  async ({ input }) => {
    return { content: [{ type: "text", text: addon.sha256(input) }] };
  },
);

await server.connect(new StdioServerTransport());
