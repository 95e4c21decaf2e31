import { randomInt } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

let calls = 0;
const server = new McpServer({ name: "dice", version: "1.0.0" });

server.registerTool(
  "roll_dice",
  {
    description: "Rolls n six-sided dice and returns the results.",
    inputSchema: { n: z.number().int().min(1).max(20) },
  },
  async ({ n }) => {
    calls += 1;
    const rolls = Array.from({ length: n }, () => randomInt(1, 7));
    return { content: [{ type: "text", text: rolls.join(", ") }] };
  },
);

await server.connect(new StdioServerTransport());
