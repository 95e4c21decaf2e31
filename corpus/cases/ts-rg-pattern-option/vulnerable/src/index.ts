import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const run = promisify(execFile);
const ROOT = process.env.SEARCH_ROOT ?? process.cwd();
const server = new McpServer({ name: "code-search", version: "0.4.0" });

server.registerTool(
  "search_code",
  {
    description: "Runs ripgrep over the workspace and returns matching lines.",
    inputSchema: { query: z.string().min(1).describe("Regular expression to search for") },
  },
  async ({ query }) => {
    const { stdout } = await run("rg", ["--line-number", "--max-count", "50", query, ROOT], {
      maxBuffer: 8 * 1024 * 1024,
    });
    return { content: [{ type: "text", text: stdout || "no matches" }] };
  },
);

await server.connect(new StdioServerTransport());
