import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { getIssueThread, searchIssues } from "./issues.js";

const server = new McpServer({ name: "forge-issues", version: "0.5.0" });

server.registerTool(
  "get_issue",
  {
    description: "Reads one issue of a repository on forge.example.org, with its comments.",
    inputSchema: { owner: z.string(), repo: z.string(), number: z.number().int() },
  },
  async ({ owner, repo, number }) => {
    const thread = await getIssueThread(owner, repo, number);
    return { content: [{ type: "text", text: JSON.stringify(thread) }] };
  },
);

server.registerTool(
  "search_issues",
  {
    description: "Searches the issues of a repository on forge.example.org.",
    inputSchema: { owner: z.string(), repo: z.string(), query: z.string() },
  },
  async ({ owner, repo, query }) => {
    const found = await searchIssues(owner, repo, query);
    return { content: [{ type: "text", text: JSON.stringify(found) }] };
  },
);

await server.connect(new StdioServerTransport());
