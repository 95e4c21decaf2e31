import pg from "pg";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const server = new McpServer({ name: "orders-db", version: "0.8.0" });

server.registerTool(
  "orders_for_customer",
  {
    description: "Lists the most recent orders of a customer from the orders database.",
    inputSchema: { customerId: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ customerId }) => {
    const result = await pool.query(
      "SELECT id, total, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50",
      [customerId],
    );
    return { content: [{ type: "text", text: JSON.stringify(result.rows) }] };
  },
);

await server.connect(new StdioServerTransport());
