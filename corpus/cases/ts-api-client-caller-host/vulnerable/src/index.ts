import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { getIssue, searchIssues } from "./issues.js";

const server = new McpServer({ name: "forge-issues", version: "0.4.0" });

server.registerTool(
  "get_issue",
  {
    description: "Reads one issue of a repository on the forge.",
    inputSchema: {
      server: z.string().describe("Forge base URL"),
      owner: z.string(),
      repo: z.string(),
      number: z.number().int(),
    },
  },
  async ({ server: base, owner, repo, number }) => {
    const issue = await getIssue(base, owner, repo, number);
    return { content: [{ type: "text", text: JSON.stringify(issue) }] };
  },
);

server.registerTool(
  "search_issues",
  {
    description: "Searches the issues of a repository on the forge.",
    inputSchema: {
      server: z.string().describe("Forge base URL"),
      owner: z.string(),
      repo: z.string(),
      query: z.string(),
    },
  },
  async ({ server: base, owner, repo, query }) => {
    const found = await searchIssues(base, owner, repo, query);
    return { content: [{ type: "text", text: JSON.stringify(found) }] };
  },
);

await server.connect(new StdioServerTransport());
