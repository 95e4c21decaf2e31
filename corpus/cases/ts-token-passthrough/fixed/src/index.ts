import express from "express";
import { timingSafeEqual } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 3000);
const ARTICLES = ["Resetting your password", "Configuring SSO", "Exporting invoices"];

function buildServer(authorization: string | undefined) {
  const server = new McpServer({ name: "issue-search", version: "1.0.0" });
  server.registerTool(
    "search_issues",
    {
      description: "Searches GitHub issues through the GitHub API and returns their titles.",
      inputSchema: { query: z.string() },
    },
    async ({ query }) => {
      const response = await fetch(`https://api.github.com/search/issues?q=${encodeURIComponent(query)}`, {
        headers: { Authorization: authorization ?? "", Accept: "application/vnd.github+json" },
      });
      const result = await response.json();
      return { content: [{ type: "text", text: JSON.stringify(result.items?.map((i: { title: string }) => i.title)) }] };
    },
  );
  return server;
}

const app = express();
app.use(express.json());

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
  const server = buildServer(`Bearer ${process.env.GITHUB_TOKEN}`);
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
