const express = require("express");
const cors = require("cors");
const { timingSafeEqual } = require("node:crypto");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StreamableHTTPServerTransport } = require("@modelcontextprotocol/sdk/server/streamableHttp.js");
const { z } = require("zod");

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

app.use(cors({ origin: [`http://localhost:${PORT}`, "http://localhost:6274"], credentials: true }));
const TOKEN = Buffer.from(process.env.MCP_AUTH_TOKEN ?? "");
if (TOKEN.length < 32) throw new Error("MCP_AUTH_TOKEN must be set to at least 32 characters");
app.use((req, res, next) => {
  const given = Buffer.from((req.headers.authorization ?? "").replace(/^Bearer /, ""));
  if (given.length !== TOKEN.length || !timingSafeEqual(given, TOKEN)) {
    res.status(401).json({ error: "unauthorized" });
    return;
  }
  next();
});

app.post("/mcp", async (req, res) => {
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableDnsRebindingProtection: true,
    allowedHosts: [`127.0.0.1:${PORT}`, `localhost:${PORT}`],
    allowedOrigins: [`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`],
  });
  res.on("close", () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(PORT, "127.0.0.1", () => console.error(`listening on 127.0.0.1:${PORT}`));
