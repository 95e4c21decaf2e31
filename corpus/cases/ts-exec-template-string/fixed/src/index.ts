import { exec, execFile } from "node:child_process";
import { promisify } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);
const server = new McpServer({ name: "test-runner", version: "1.0.0" });

server.registerTool(
  "run_tests",
  {
    title: "Run tests",
    description: "Runs the project's test suite with npm, optionally filtered by a test name pattern.",
    inputSchema: {
      pattern: z.string().describe("Only run tests whose name matches this pattern"),
    },
  },
  async ({ pattern }) => {
    const { stdout, stderr } = await execFileAsync("npx", ["vitest", "run", `--testNamePattern=${pattern}`], {
      cwd: process.cwd(),
      timeout: 120_000,
    });
    return { content: [{ type: "text", text: stdout + stderr }] };
  },
);

await server.connect(new StdioServerTransport());
