"""Runs the project's test suite for an agent."""

import asyncio
import os
import subprocess

import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

PROJECT_DIR = os.environ.get("PROJECT_DIR", os.getcwd())
server = Server("test-runner")


@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(
            name="run_tests",
            description="Run the project's pytest suite as a subprocess, optionally filtered by a -k expression.",
            inputSchema={
                "type": "object",
                "properties": {"pattern": {"type": "string", "description": "pytest -k expression"}},
            },
        ),
        types.Tool(
            name="list_tests",
            description="List test ids by running `pytest --collect-only` as a subprocess.",
            inputSchema={"type": "object", "properties": {}},
        ),
    ]


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "run_tests":
        pattern = arguments.get("pattern", "")
        proc = subprocess.Popen(
            ["python", "-m", "pytest", "-q", "-k", pattern],
            cwd=PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output, _ = proc.communicate(timeout=600)
        return [types.TextContent(type="text", text=output)]
    if name == "list_tests":
        listing = subprocess.run(
            ["python", "-m", "pytest", "--collect-only", "-q"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
        )
        return [types.TextContent(type="text", text=listing.stdout)]
    raise ValueError(f"unknown tool: {name}")


async def main() -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    asyncio.run(main())
