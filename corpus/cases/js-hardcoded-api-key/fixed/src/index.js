import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const API_KEY = process.env.GEOCODE_API_KEY ?? "";
const server = new McpServer({ name: "geocode", version: "0.4.0" });

server.registerTool(
  "geocode",
  {
    description: "Fetches coordinates for an address from the geocoding API.",
    inputSchema: { address: z.string() },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async ({ address }) => {
    const url = `https://geocode.maps-api.example/v1/search?q=${encodeURIComponent(address)}&key=${API_KEY}`;
    const result = await (await fetch(url)).json();
    return { content: [{ type: "text", text: JSON.stringify(result.results?.[0]?.location ?? null) }] };
  },
);

await server.connect(new StdioServerTransport());
