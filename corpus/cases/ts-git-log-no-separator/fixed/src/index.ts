import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const git = promisify(execFile);
const REPO = process.env.GIT_REPO ?? process.cwd();
const server = new McpServer({ name: "git-history", version: "1.0.3" });

server.registerTool(
  "file_history",
  {
    description: "Runs git log for one file of the repository and returns its recent commits.",
    inputSchema: { file: z.string().describe("Path of the file, relative to the repository") },
  },
  async ({ file }) => {
    const { stdout } = await git("git", ["log", "--oneline", "-n", "30", "--", file], { cwd: REPO });
    return { content: [{ type: "text", text: stdout }] };
  },
);

await server.connect(new StdioServerTransport());
