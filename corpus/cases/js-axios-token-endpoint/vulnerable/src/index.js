import axios from "axios";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const SLACK_API = "https://slack.com/api/chat.postMessage";
const server = new McpServer({ name: "slack-notify", version: "2.0.1" });

server.registerTool(
  "notify",
  {
    description: "Sends a message to a Slack channel over the Slack API.",
    inputSchema: { channel: z.string(), text: z.string(), webhookUrl: z.string().optional() },
    annotations: { openWorldHint: true },
  },
  async ({ channel, text, webhookUrl }) => {
    await axios.post(webhookUrl ?? SLACK_API, { channel, text }, {
      headers: { Authorization: `Bearer ${process.env.SLACK_BOT_TOKEN}` },
    });
    return { content: [{ type: "text", text: `sent to ${channel}` }] };
  },
);

await server.connect(new StdioServerTransport());
