import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const sessions = new Map();
const server = new McpServer({ name: "session-restore", version: "0.1.0" });

server.registerTool(
  "restore_session",
  {
    description: "Restores a previously exported session from its serialized state.",
    inputSchema: { id: z.string(), state: z.string() },
  },
  async ({ id, state }) => {
    const session = JSON.parse(state);
    sessions.set(id, session);
    return { content: [{ type: "text", text: `restored ${Object.keys(session).length} keys` }] };
  },
);

await server.connect(new StdioServerTransport());
