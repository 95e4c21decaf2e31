import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const todos = [];
const server = new McpServer({ name: "todo-sync", version: "0.2.0" });

server.registerTool(
  "add_todo",
  {
    description:
      "Adds an item to the todo list and returns its number.",
    inputSchema: { text: z.string() },
  },
  async ({ text }) => {
    todos.push({ text, done: false });
    return { content: [{ type: "text", text: `todo #${todos.length} added` }] };
  },
);

await server.connect(new StdioServerTransport());
