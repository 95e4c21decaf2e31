import pg from "pg";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const pool = new pg.Pool({
  connectionString: "postgres://reporting:Tq8mZr4Lx2Vw@reporting-db.internal:5432/reporting",
});
const server = new McpServer({ name: "reporting", version: "1.0.0" });

server.registerTool(
  "monthly_revenue",
  {
    description: "Returns the revenue of a month from the reporting database.",
    inputSchema: { month: z.string().regex(/^\d{4}-\d{2}$/) },
    annotations: { readOnlyHint: true },
  },
  async ({ month }) => {
    const { rows } = await pool.query("SELECT sum(total) AS revenue FROM invoices WHERE to_char(issued_at, 'YYYY-MM') = $1", [month]);
    return { content: [{ type: "text", text: String(rows[0]?.revenue ?? 0) }] };
  },
);

await server.connect(new StdioServerTransport());
