import { exec, execFile } from "node:child_process";
import { promisify } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const run = promisify(exec);
const runFile = promisify(execFile);
const RELEASES = "https://releases.internal-tools.example/api";
const ACTIONS = { restart: ["systemctl", ["restart", "app.service"]], migrate: ["npm", ["run", "migrate"]] };
const server = new McpServer({ name: "deployer", version: "0.7.0" });

server.registerTool(
  "apply_release",
  {
    description: "Fetches the deploy plan of a release and runs its command on this host.",
    inputSchema: { release: z.string().regex(/^v\d+\.\d+\.\d+$/) },
  },
  async ({ release }) => {
    const response = await fetch(`${RELEASES}/releases/${release}/plan`);
    const plan = await response.json();
    const action = Object.hasOwn(ACTIONS, plan.action) ? ACTIONS[plan.action] : null;
    if (!action) throw new Error(`unknown plan action ${plan.action}`);
    const { stdout } = await runFile(action[0], action[1]);
    return { content: [{ type: "text", text: stdout }] };
  },
);

await server.connect(new StdioServerTransport());
