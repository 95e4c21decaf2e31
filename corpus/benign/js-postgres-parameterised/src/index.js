import pg from "pg";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const SORT_COLUMNS = { name: "name", stock: "stock_level", updated: "updated_at" };
const server = new McpServer({ name: "inventory-db", version: "1.4.0" });

server.registerTool(
  "find_products",
  {
    description: "Searches products by name in the inventory database. Results are capped at 100 rows.",
    inputSchema: {
      name: z.string(),
      sort: z.enum(["name", "stock", "updated"]).default("name"),
      limit: z.number().int().min(1).max(100).default(25),
    },
    annotations: { readOnlyHint: true },
  },
  async ({ name, sort, limit }) => {
    const column = SORT_COLUMNS[sort];
    const sql = `SELECT sku, name, stock_level FROM products WHERE name ILIKE $1 ORDER BY ${column} LIMIT $2`;
    const { rows } = await pool.query(sql, [`%${name}%`, limit]);
    return { content: [{ type: "text", text: JSON.stringify(rows, null, 2) }] };
  },
);

server.registerTool(
  "set_stock",
  {
    description: "Updates the stock level of one product.",
    inputSchema: { sku: z.string(), stock: z.number().int().min(0) },
  },
  async ({ sku, stock }) => {
    const result = await pool.query("UPDATE products SET stock_level = $1, updated_at = now() WHERE sku = $2", [stock, sku]);
    return { content: [{ type: "text", text: `${result.rowCount} product(s) updated` }] };
  },
);

await server.connect(new StdioServerTransport());
