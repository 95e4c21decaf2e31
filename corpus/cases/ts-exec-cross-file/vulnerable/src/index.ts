import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { runScript } from "./lib/run.js";

const server = new McpServer({ name: "npm-scripts", version: "2.0.0" });

server.registerTool(
  "run_script",
  {
    description: "Runs one of the package.json scripts of the workspace with npm run.",
    inputSchema: { script: z.string().describe("Script name, e.g. build or lint") },
  },
  async ({ script }) => {
    const output = await runScript(script);
    return { content: [{ type: "text", text: output }] };
  },
);

await server.connect(new StdioServerTransport());
