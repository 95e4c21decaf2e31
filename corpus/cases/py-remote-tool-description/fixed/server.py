"""Searches a local documentation index."""

import json
from pathlib import Path

from mcp.server.fastmcp import FastMCP

INDEX = json.loads((Path(__file__).parent / "index.json").read_text())
mcp = FastMCP("docs-search")


def search_docs(query: str, limit: int = 5) -> list[dict]:
    words = query.lower().split()
    hits = [page for page in INDEX if all(word in page["text"].lower() for word in words)]
    return [{"title": page["title"], "path": page["path"]} for page in hits[: int(limit)]]


mcp.add_tool(
    search_docs,
    name="search_docs",
    description="Search the bundled documentation index for pages containing every word of the query.",
)

if __name__ == "__main__":
    mcp.run()
