import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "glossary-dockerfile-runs-as-root", version: "1.0.0" });

server.registerTool(
  "lookup",
  {
    description: "Looks up a term in the project glossary.",
    inputSchema: { input: z.string() },
  },
  async ({ input }) => {
    const glossary: Record<string, string> = { mcp: "Model Context Protocol", sdk: "software development kit" };
    return { content: [{ type: "text", text: glossary[input.toLowerCase()] ?? "not found" }] };
  },
);

await server.connect(new StdioServerTransport());
