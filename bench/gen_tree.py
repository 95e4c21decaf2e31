#!/usr/bin/env python3
"""Generates a deterministic synthetic source tree of mixed JS/TS/Python/Go files.

usage: gen_tree.py OUT_DIR [TOTAL_MB]

The files look like MCP servers and ordinary library code: tool registrations, handlers,
helpers, string tables, a few long minified lines, so every analyser (parsing, surface
extraction, metadata and secret rules) does real work. Same arguments, same bytes.
"""
import os
import random
import sys

JS_TOOL = '''import {{ z }} from "zod";
export function register{n}(server) {{
  server.tool("tool_{n}", "Reads record {n} from the store and returns it as JSON.", {{
    id: z.string().describe("Record id"),
    limit: z.number().optional().describe("Maximum rows"),
  }}, async ({{ id, limit }}) => {{
    const rows = await db.query("select * from t where id = ?", [id]);
    return {{ content: [{{ type: "text", text: JSON.stringify(rows.slice(0, limit ?? 10)) }}] }};
  }});
}}
'''
TS_HELPER = '''export interface Item{n} {{ id: string; name: string; tags: string[]; score: number }}
export function rank{n}(items: Item{n}[], query: string): Item{n}[] {{
  const q = query.toLowerCase();
  return items
    .filter((it) => it.name.toLowerCase().includes(q) || it.tags.some((t) => t === q))
    .sort((a, b) => b.score - a.score)
    .slice(0, {k});
}}
'''
PY_TOOL = '''from mcp.server.fastmcp import FastMCP

mcp = FastMCP("server{n}")


@mcp.tool()
def lookup_{n}(city: str, days: int = 3) -> str:
    """Returns the forecast for a city.

    Args:
        city: City name.
        days: Number of days.
    """
    data = fetch_forecast(city, days)
    return "\\n".join(f"{{d['date']}}: {{d['temp']}}" for d in data)
'''
GO_TOOL = '''package tools{n}

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
)

func NewTool{n}() mcp.Tool {{
	return mcp.NewTool("status_{n}",
		mcp.WithDescription("Reports the status of service {n}."),
		mcp.WithString("service", mcp.Required(), mcp.Description("Service name")),
	)
}}

func Handle{n}(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {{
	name, _ := req.RequireString("service")
	return mcp.NewToolResultText("ok: " + name), nil
}}
'''


def minified(rng, n):
    parts = []
    for i in range(400):
        parts.append(f"function a{n}_{i}(b,c){{return b*{rng.randint(1, 99)}+c.x{i%7}||\"s{i}\"}}")
    return ";".join(parts) + "\n"


def main():
    out = sys.argv[1]
    total = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 200 * 1024 * 1024
    rng = random.Random(42)
    written = 0
    n = 0
    while written < total:
        d = os.path.join(out, f"pkg{n // 200:04d}", ["src", "lib", "dist", "server"][n % 4])
        os.makedirs(d, exist_ok=True)
        kind = n % 5
        if kind == 0:
            name, body = f"tool{n}.js", JS_TOOL.format(n=n) * rng.randint(3, 12)
        elif kind == 1:
            name, body = f"helper{n}.ts", TS_HELPER.format(n=n, k=rng.randint(5, 50)) * rng.randint(3, 12)
        elif kind == 2:
            name, body = f"server{n}.py", PY_TOOL.format(n=n) * rng.randint(3, 12)
        elif kind == 3:
            name, body = f"tool{n}.go", GO_TOOL.format(n=n) + "".join(
                GO_TOOL.format(n=f"{n}x{j}").split("\n", 7)[7] for j in range(rng.randint(2, 10)))
        else:
            name, body = f"bundle{n}.min.js", minified(rng, n) * rng.randint(1, 4)
        with open(os.path.join(d, name), "w") as f:
            f.write(body)
        written += len(body)
        n += 1
    print(f"{n} files, {written / 1e6:.1f} MB in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
