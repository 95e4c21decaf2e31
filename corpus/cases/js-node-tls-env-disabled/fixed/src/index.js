import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const GRAFANA = process.env.GRAFANA_URL ?? "https://grafana.corp.example";
const server = new McpServer({ name: "grafana-lite", version: "0.2.0" });

server.registerTool(
  "list_dashboards",
  {
    description: "Fetches the list of Grafana dashboards matching a search term.",
    inputSchema: { query: z.string().default("") },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async ({ query }) => {
    const url = `${GRAFANA}/api/search?query=${encodeURIComponent(query)}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${process.env.GRAFANA_TOKEN}` } });
    const items = await response.json();
    return { content: [{ type: "text", text: items.map((i) => i.title).join("\n") }] };
  },
);

await server.connect(new StdioServerTransport());
