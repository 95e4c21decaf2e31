import axios from "axios";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const STATUS_API = "https://status.internal-tools.example";
const server = new McpServer({ name: "status-check", version: "0.5.1" });

server.registerTool(
  "service_status",
  {
    description: "Fetches the health of a service from the status API over the network.",
    inputSchema: { baseUrl: z.string().describe("Base URL of the service"), service: z.string() },
    annotations: { openWorldHint: true },
  },
  async ({ baseUrl, service }) => {
    const { data } = await axios.get(`${baseUrl}/health/${service}`, { timeout: 5000 });
    return { content: [{ type: "text", text: JSON.stringify(data) }] };
  },
);

await server.connect(new StdioServerTransport());
