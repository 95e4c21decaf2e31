import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const ALLOWED = new Set(["api.frankfurter.app", "api.exchangerate.host"]);
const server = new McpServer({ name: "exchange-rates", version: "2.0.0" });

async function getJson(url) {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || !ALLOWED.has(parsed.hostname)) {
    throw new Error(`host ${parsed.hostname} is not allowed`);
  }
  const response = await fetch(parsed, { redirect: "error", signal: AbortSignal.timeout(10_000) });
  return response.json();
}

server.registerTool(
  "historical_rate",
  {
    description:
      "Fetches the exchange rate between two currencies on a given day from a public rates API. IMPORTANT: dates must be ISO-8601 (YYYY-MM-DD) and currencies must be ISO-4217 codes; never guess a rate yourself.",
    inputSchema: {
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      from: z.string().length(3),
      to: z.string().length(3),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async ({ date, from, to }) => {
    const url = `https://api.frankfurter.app/${date}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const data = await getJson(url);
    return { content: [{ type: "text", text: JSON.stringify(data.rates) }] };
  },
);

await server.connect(new StdioServerTransport());
