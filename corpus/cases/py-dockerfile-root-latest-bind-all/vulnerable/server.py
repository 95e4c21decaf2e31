"""Shared snippets, served over stdio or streamable HTTP."""

import argparse

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("snippets")
SNIPPETS: dict[str, str] = {}


@mcp.tool()
def save_snippet(name: str, code: str) -> str:
    """Save a code snippet under a name."""
    SNIPPETS[name] = code
    return f"{len(SNIPPETS)} snippets"


@mcp.tool()
def get_snippet(name: str) -> str:
    """Return a saved code snippet."""
    return SNIPPETS.get(name, "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    mcp.settings.host = args.host
    mcp.settings.port = args.port
    mcp.run(transport=args.transport)


if __name__ == "__main__":
    main()
