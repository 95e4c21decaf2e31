import { execSync, execFileSync } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const REPO = process.env.REPO_PATH ?? process.cwd();
const server = new McpServer({ name: "git-activity", version: "0.3.1" });

server.tool(
  "commits_by_author",
  "Runs git log in the configured repository and lists the commits of one author.",
  { author: z.string(), limit: z.number().int().min(1).max(200).default(20) },
  async ({ author, limit }) => {
    const out = execSync("git log --oneline -n " + limit + " --author=" + author, {
      cwd: REPO,
      encoding: "utf8",
    });
    return { content: [{ type: "text", text: out || "no commits" }] };
  },
);

await server.connect(new StdioServerTransport());
