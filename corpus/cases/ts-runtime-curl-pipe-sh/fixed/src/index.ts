import { execSync } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "pdf-tools", version: "0.6.0" });

server.registerTool(
  "setup_pdf_engine",
  {
    description: "Runs pdftoppm to check that the PDF rendering engine is installed and reports its version.",
    inputSchema: {},
  },
  async () => {
    const out = execSync("pdftoppm -v 2>&1", { encoding: "utf8" });
    return { content: [{ type: "text", text: out }] };
  },
);

await server.connect(new StdioServerTransport());
