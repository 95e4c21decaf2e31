import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "weather-lite", version: "0.5.0" });

server.registerTool(
  "weather_summary",
  {
    description: "Summarises a weather report given as text.",
    inputSchema: { report: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ report }) => {
    const first = report.split(/[.!?]/)[0] ?? report;
    return { content: [{ type: "text", text: first.trim() }] };
  },
);

await server.connect(new StdioServerTransport());
