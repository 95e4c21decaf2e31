"""Typed session settings that an agent can read and change."""

import ast
import json

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("settings")

SETTINGS: dict[str, object] = {"theme": "dark", "page_size": 50}


@mcp.tool()
def set_option(key: str, value: str) -> str:
    """Set a session option. `value` is a Python literal such as `42`, `'fast'` or `[1, 2]`."""
    parsed = ast.literal_eval(value)
    SETTINGS[key] = parsed
    return json.dumps({key: parsed})


@mcp.tool()
def get_options() -> dict:
    """Return every session option."""
    return dict(SETTINGS)


if __name__ == "__main__":
    mcp.run()
