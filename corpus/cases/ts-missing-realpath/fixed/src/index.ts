import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const WORKSPACE = path.resolve(process.env.WORKSPACE ?? ".");
const server = new McpServer({ name: "workspace-reader", version: "0.6.0" });

async function resolveInside(root: string, requested: string): Promise<string> {
  const realRoot = await realpath(root);
  const target = await realpath(path.resolve(realRoot, requested));
  const rel = path.relative(realRoot, target);
  if (rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new Error(`${requested} is outside the workspace`);
  }
  return target;
}

server.registerTool(
  "read_workspace_file",
  {
    description: "Returns the text of a file inside the workspace.",
    inputSchema: { file: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ file }) => {
    const target = await resolveInside(WORKSPACE, file);
    return { content: [{ type: "text", text: await readFile(target, "utf8") }] };
  },
);

await server.connect(new StdioServerTransport());
