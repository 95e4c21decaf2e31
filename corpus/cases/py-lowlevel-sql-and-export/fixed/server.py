"""Event analytics over a local SQLite database."""

import asyncio
import csv
import os
import sqlite3
from pathlib import Path

import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

DB = os.environ.get("ANALYTICS_DB", "analytics.sqlite3")
EXPORT_DIR = os.environ.get("EXPORT_DIR", "exports")
EXPORT_ROOT = Path(EXPORT_DIR).resolve()
server = Server("analytics")


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="count_events",
            description="Count the recorded events with a given name.",
            inputSchema={"type": "object", "properties": {"event": {"type": "string"}}, "required": ["event"]},
        ),
        types.Tool(
            name="export_events",
            description="Export every event to a CSV file in the exports folder.",
            inputSchema={"type": "object", "properties": {"filename": {"type": "string"}}, "required": ["filename"]},
        ),
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    conn = sqlite3.connect(DB)
    try:
        if name == "count_events":
            event = arguments["event"]
            row = conn.execute("SELECT COUNT(*) FROM events WHERE name = ?", (event,)).fetchone()
            return [types.TextContent(type="text", text=str(row[0]))]
        elif name == "export_events":
            target = (EXPORT_ROOT / arguments["filename"]).resolve()
            if not target.is_relative_to(EXPORT_ROOT):
                raise ValueError("exports stay in the exports folder")
            rows = conn.execute("SELECT name, user_id, created_at FROM events").fetchall()
            with open(target, "w", newline="") as fh:
                csv.writer(fh).writerows(rows)
            return [types.TextContent(type="text", text=f"exported {len(rows)} events")]
    finally:
        conn.close()
    raise ValueError(f"unknown tool: {name}")


async def main() -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    asyncio.run(main())
