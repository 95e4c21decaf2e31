import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const ALLOWED_HOSTS = new Set(["developer.mozilla.org", "nodejs.org", "docs.python.org"]);
const server = new McpServer({ name: "page-fetcher", version: "1.0.0" });

server.registerTool(
  "fetch_page",
  {
    description: "Fetches a documentation page over HTTPS and returns its text.",
    inputSchema: { url: z.string().url() },
    annotations: { openWorldHint: true },
  },
  async ({ url }) => {
    const response = await fetch(url, { redirect: "error" });
    const text = await response.text();
    return { content: [{ type: "text", text: text.slice(0, 100_000) }] };
  },
);

await server.connect(new StdioServerTransport());
