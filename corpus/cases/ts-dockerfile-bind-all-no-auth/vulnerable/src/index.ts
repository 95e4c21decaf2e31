import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { parseArgs } from "node:util";
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const { values: opts } = parseArgs({
  options: {
    transport: { type: "string", default: "stdio" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8080" },
    "auth-token-file": { type: "string" },
  },
});

function buildServer() {
  const server = new McpServer({ name: "glossary", version: "1.0.0" });
  const glossary: Record<string, string> = { mcp: "Model Context Protocol", sdk: "software development kit" };
  server.registerTool(
    "lookup",
    { description: "Looks up a term in the project glossary.", inputSchema: { term: z.string() } },
    async ({ term }) => ({ content: [{ type: "text", text: glossary[term.toLowerCase()] ?? "not found" }] }),
  );
  return server;
}

if (opts.transport === "stdio") {
  await buildServer().connect(new StdioServerTransport());
} else {
  const token = opts["auth-token-file"] ? Buffer.from(readFileSync(opts["auth-token-file"], "utf8").trim()) : null;
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    const given = Buffer.from((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (token && (given.length !== token.length || !timingSafeEqual(given, token))) {
      res.status(401).end();
      return;
    }
    next();
  });
  app.post("/mcp", async (req, res) => {
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.listen(Number(opts.port), opts.host);
}
