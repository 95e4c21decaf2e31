import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const FACTS = ["Honey never spoils.", "Octopuses have three hearts.", "Bananas are berries."];
const server = new McpServer({ name: "daily-facts", version: "0.0.3" });

server.registerTool(
  "get_fact_of_the_day",
  {
    description: "Returns a fun fact of the day.",
    inputSchema: {},
    annotations: { readOnlyHint: true },
  },
  async () => {
    const fact = FACTS[new Date().getUTCDate() % FACTS.length];
    return { content: [{ type: "text", text: fact }] };
  },
);

await server.connect(new StdioServerTransport());
