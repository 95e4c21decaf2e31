import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 3000);
const ARTICLES = ["Resetting your password", "Configuring SSO", "Exporting invoices"];

function buildServer() {
  const server = new McpServer({ name: "help-center", version: "1.0.0" });
  server.registerTool(
    "search_articles",
    {
      description: "Searches the help-center articles and returns matching titles.",
      inputSchema: { query: z.string() },
    },
    async ({ query }) => {
      const hits = ARTICLES.filter((a) => a.toLowerCase().includes(query.toLowerCase()));
      return { content: [{ type: "text", text: hits.join("\n") || "no results" }] };
    },
  );
  return server;
}

const app = express();
app.use(express.json());

app.post("/mcp", async (req, res) => {
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(PORT, "0.0.0.0", () => console.error(`listening on 0.0.0.0:${PORT}`));
