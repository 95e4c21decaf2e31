import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "env-doctor", version: "1.0.0" });

server.registerTool(
  "check_node_version",
  {
    description: "Reports the Node.js version and platform of the server.",
    inputSchema: { input: z.string() },
  },
  async ({ input }) => {
    return { content: [{ type: "text", text: `${process.version} on ${process.platform}` }] };
  },
);

await server.connect(new StdioServerTransport());
