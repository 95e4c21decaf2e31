import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "s3-browser", version: "1.0.0" });

server.registerTool(
  "bucket_url",
  {
    description: "Returns the public URL of an object in an S3 bucket.",
    inputSchema: { bucket: z.string(), key: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ bucket, key }) => ({
    content: [{ type: "text", text: `https://${bucket}.s3.amazonaws.com/${encodeURIComponent(key)}` }],
  }),
);

await server.connect(new StdioServerTransport());
