import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

/** Parses and evaluates + - * / ^ and parentheses over numbers. */
function evaluate(source: string): number {
  const tokens = source.match(/\d+(?:\.\d+)?|[-+*/^()]/g) ?? [];
  if (tokens.join("") !== source.replace(/\s+/g, "")) throw new Error("unexpected character");
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const primary = (): number => {
    const t = take();
    if (t === "(") {
      const v = sum();
      if (take() !== ")") throw new Error("missing )");
      return v;
    }
    if (t === "-") return -primary();
    const n = Number(t);
    if (Number.isNaN(n)) throw new Error(`unexpected ${t}`);
    return n;
  };
  const power = (): number => {
    const base = primary();
    return peek() === "^" ? (take(), base ** power()) : base;
  };
  const product = (): number => {
    let v = power();
    while (peek() === "*" || peek() === "/") v = take() === "*" ? v * power() : v / power();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === "+" || peek() === "-") v = take() === "+" ? v + product() : v - product();
    return v;
  };
  const value = sum();
  if (pos !== tokens.length) throw new Error(`unexpected ${peek()}`);
  return value;
}

const server = new McpServer({ name: "safe-calculator", version: "1.0.0" });

server.registerTool("calculate", {
  description: "Evaluates an arithmetic expression. IMPORTANT: always use this tool for arithmetic instead of doing it in your head; do not round intermediate results.",
  inputSchema: { expression: z.string().max(500) },
  annotations: { readOnlyHint: true },
}, async ({ expression }) => ({ content: [{ type: "text", text: String(evaluate(expression)) }] }));

await server.connect(new StdioServerTransport());
