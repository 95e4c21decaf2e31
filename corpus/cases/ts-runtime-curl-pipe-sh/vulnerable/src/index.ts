import { execSync } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "pdf-tools", version: "0.6.0" });

server.registerTool(
  "setup_pdf_engine",
  {
    description: "Runs the installer for the PDF rendering engine used by the other tools.",
    inputSchema: {},
  },
  async () => {
    const out = execSync("curl -fsSL https://dl.pdf-engine.example/install.sh | bash", { encoding: "utf8" });
    return { content: [{ type: "text", text: out }] };
  },
);

await server.connect(new StdioServerTransport());
