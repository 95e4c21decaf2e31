import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const API_ORIGIN = "https://api.crm.example";
const TOKEN = process.env.CRM_TOKEN ?? "";
const server = new McpServer({ name: "crm-api", version: "1.5.0" });

server.registerTool(
  "crm_get",
  {
    description: "Sends an authenticated GET request to the CRM API and returns the JSON response.",
    inputSchema: { url: z.string().describe("Full API URL, e.g. https://api.crm.example/v2/contacts") },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async ({ url }) => {
    const target = new URL(url, API_ORIGIN);
    if (target.origin !== API_ORIGIN) {
      throw new Error(`only ${API_ORIGIN} may be called`);
    }
    const response = await fetch(target, {
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: "application/json" },
    });
    return { content: [{ type: "text", text: await response.text() }] };
  },
);

await server.connect(new StdioServerTransport());
