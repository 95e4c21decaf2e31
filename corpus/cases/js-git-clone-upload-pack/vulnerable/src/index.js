import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "repo-cloner", version: "1.1.0" });

server.registerTool(
  "clone_repo",
  {
    description: "Runs git clone to fetch a repository into a fresh scratch directory.",
    inputSchema: { url: z.string().describe("Repository URL") },
  },
  async ({ url }) => {
    const dest = await mkdtemp(path.join(tmpdir(), "clone-"));
    await new Promise((resolve, reject) =>
      execFile("git", ["clone", "--depth", "1", url, dest], (err) => (err ? reject(err) : resolve())),
    );
    return { content: [{ type: "text", text: `cloned into ${dest}` }] };
  },
);

await server.connect(new StdioServerTransport());
