import { readFile } from "node:fs/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const DATA = process.env.CSV_FILE ?? "./data/orders.csv";
const server = new McpServer({ name: "csv-query", version: "0.2.0" });

async function rows() {
  const [header, ...lines] = (await readFile(DATA, "utf8")).trim().split("\n");
  const keys = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [keys[i], v])));
}

server.registerTool(
  "filter_rows",
  {
    description: "Returns the rows of the configured CSV file that match a condition.",
    inputSchema: { where: z.string().describe("Condition on a row, e.g. row.status === 'open'") },
  },
  async ({ where }) => {
    const predicate = new Function("row", `return (${where});`);
    const matched = (await rows()).filter((row) => predicate(row));
    return { content: [{ type: "text", text: JSON.stringify(matched, null, 2) }] };
  },
);

await server.connect(new StdioServerTransport());
