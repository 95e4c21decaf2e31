import { spawn } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "disk-usage", version: "1.2.0" });

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { shell: false });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`du exited ${code}`))));
  });
}

server.registerTool(
  "disk_usage",
  {
    description: "Runs du to report the size of a directory on this machine.",
    inputSchema: { dir: z.string().describe("Directory to measure") },
  },
  async ({ dir }) => {
    const text = await run("du", ["-sh", "--", dir]);
    return { content: [{ type: "text", text }] };
  },
);

await server.connect(new StdioServerTransport());
