import Handlebars from "handlebars";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const DRAFTS = {
  welcome: Handlebars.compile("Hello {{name}},\n\nwelcome to {{product}}!"),
  reminder: Handlebars.compile("Hi {{name}}, your {{product}} trial ends soon."),
};
const server = new McpServer({ name: "email-drafts", version: "1.0.0" });

server.registerTool(
  "draft_email",
  {
    description: "Produces the text of an email from a template and the recipient details.",
    inputSchema: { source: z.string(), name: z.string(), product: z.string() },
  },
  async ({ source, name, product }) => {
    const render = Handlebars.compile(source);
    return { content: [{ type: "text", text: render({ name, product }) }] };
  },
);

await server.connect(new StdioServerTransport());
