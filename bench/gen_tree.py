#!/usr/bin/env python3
"""Generates a deterministic synthetic source tree of mixed JS/TS/Python/Go files.

usage: gen_tree.py OUT_DIR [TOTAL_MB] [--dense]

The default mix looks like a monorepo with its vendored dependencies: per 20 files, one
MCP server file (tool registrations and handlers, rotating through JS, TS, Python and Go),
one minified single-line bundle (one bundle in ten bundles an MCP server, as esbuild/tsup
output does), and 18 ordinary library files in the four languages, some of which mention
words like "resource" or "prompt" as real code does. `--dense` makes every non-bundle file
an MCP server file: a worst case for surface extraction, which parses every such file.
Same arguments, same bytes.
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


JS_LIB = '''export function chunk{n}(items, size) {{
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}}
export const defaults{n} = {{ retries: {k}, backoffMs: 250, label: "client-{n}" }};
export async function withRetry{n}(fn, opts = defaults{n}) {{
  let last;
  for (let i = 0; i <= opts.retries; i++) {{
    try {{ return await fn(i); }} catch (err) {{ last = err; await sleep(opts.backoffMs * 2 ** i); }}
  }}
  throw last;
}}
'''
TS_LIB = '''export interface Page{n}<T> {{ items: T[]; cursor?: string; resourceId: string }}
export class Cache{n}<V> {{
  private store = new Map<string, {{ value: V; at: number }}>();
  constructor(private ttlMs: number = {k} * 1000) {{}}
  get(key: string): V | undefined {{
    const hit = this.store.get(key);
    if (!hit || Date.now() - hit.at > this.ttlMs) return undefined;
    return hit.value;
  }}
  set(key: string, value: V): void {{ this.store.set(key, {{ value, at: Date.now() }}); }}
}}
'''
PY_LIB = '''import dataclasses
import json


@dataclasses.dataclass
class Record{n}:
    key: str
    values: list[int]
    weight: float = {k}.0

    def total(self) -> float:
        return sum(self.values) * self.weight

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)
'''
GO_LIB = '''package util{n}

import (
	"sort"
	"strings"
)

// Normalize{n} lower-cases and de-duplicates names.
func Normalize{n}(names []string) []string {{
	seen := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	for _, n := range names {{
		n = strings.ToLower(strings.TrimSpace(n))
		if n != "" && !seen[n] {{
			seen[n] = true
			out = append(out, n)
		}}
	}}
	sort.Strings(out)
	return out
}}
'''


def minified(rng, n, with_server):
    parts = []
    for i in range(400):
        parts.append(f"function a{n}_{i}(b,c){{return b*{rng.randint(1, 99)}+c.x{i%7}||\"s{i}\"}}")
    if with_server:
        parts.append(f'Me.tool("bundled_{n}","Looks up an entry.",{{q:ye.z.string()}},async e=>({{content:[]}}))')
    return ";".join(parts) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    dense = "--dense" in sys.argv
    out = args[0]
    total = int(float(args[1]) * 1024 * 1024) if len(args) > 1 else 200 * 1024 * 1024
    rng = random.Random(42)
    written = 0
    n = 0
    mcp_files = [
        ("tool{n}.js", lambda: JS_TOOL.format(n=n) * rng.randint(3, 12)),
        ("server{n}.py", lambda: PY_TOOL.format(n=n) * rng.randint(3, 12)),
        ("tool{n}.go", lambda: GO_TOOL.format(n=n) + "".join(
            GO_TOOL.format(n=f"{n}x{j}").split("\n", 7)[7] for j in range(rng.randint(2, 10)))),
        ("tool{n}.ts", lambda: JS_TOOL.format(n=n) * rng.randint(3, 12)),
    ]
    lib_files = [
        ("lib{n}.js", lambda: JS_LIB.format(n=n, k=rng.randint(2, 9)) * rng.randint(3, 12)),
        ("helper{n}.ts", lambda: TS_HELPER.format(n=n, k=rng.randint(5, 50)) * rng.randint(3, 12)),
        ("cache{n}.ts", lambda: TS_LIB.format(n=n, k=rng.randint(5, 50)) * rng.randint(3, 12)),
        ("record{n}.py", lambda: PY_LIB.format(n=n, k=rng.randint(1, 9)) * rng.randint(3, 12)),
        ("util{n}.go", lambda: GO_LIB.format(n=n) + GO_LIB.format(n=n).split("\n", 6)[6] * rng.randint(2, 10)),
    ]
    bundles = 0
    while written < total:
        d = os.path.join(out, f"pkg{n // 200:04d}", ["src", "lib", "dist", "server"][n % 4])
        os.makedirs(d, exist_ok=True)
        slot = n % 20
        if slot == 19:
            name, body = f"bundle{n}.min.js", minified(rng, n, bundles % 10 == 0) * rng.randint(1, 4)
            bundles += 1
        elif slot == 0 or dense:
            pattern, make = mcp_files[(n // 20) % len(mcp_files)] if not dense else mcp_files[n % len(mcp_files)]
            name, body = pattern.format(n=n), make()
        else:
            pattern, make = lib_files[n % len(lib_files)]
            name, body = pattern.format(n=n), make()
        with open(os.path.join(d, name), "w") as f:
            f.write(body)
        written += len(body)
        n += 1
    print(f"{n} files, {written / 1e6:.1f} MB in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
