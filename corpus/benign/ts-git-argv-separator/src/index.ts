import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const git = promisify(execFile);
const REPO = process.env.GIT_REPO ?? process.cwd();
const server = new McpServer({ name: "git-readonly", version: "1.2.0" });

function ref(value: string): string {
  if (value.startsWith("-") || !/^[\w./~^-]+$/.test(value)) throw new Error(`invalid ref ${value}`);
  return value;
}

server.registerTool("git_log", {
  description: "Runs git log and returns recent commits, optionally for one path. You MUST pass paths relative to the repository root.",
  inputSchema: { path: z.string().optional(), limit: z.number().int().min(1).max(100).default(20) },
  annotations: { readOnlyHint: true },
}, async ({ path, limit }) => {
  const args = ["log", "--oneline", "-n", String(limit), "--", ...(path ? [path] : [])];
  return { content: [{ type: "text", text: (await git("git", args, { cwd: REPO })).stdout }] };
});

server.registerTool("git_diff", {
  description: "Runs git diff between two refs and returns the patch.",
  inputSchema: { from: z.string(), to: z.string().default("HEAD") },
  annotations: { readOnlyHint: true },
}, async ({ from, to }) => {
  const { stdout } = await git("git", ["diff", ref(from), ref(to), "--"], { cwd: REPO, maxBuffer: 16 << 20 });
  return { content: [{ type: "text", text: stdout }] };
});

await server.connect(new StdioServerTransport());
