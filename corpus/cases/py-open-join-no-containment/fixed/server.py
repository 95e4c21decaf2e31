"""Serves project documents to an agent."""

import os
from pathlib import Path

from mcp.server.fastmcp import FastMCP

DOCS_ROOT = os.environ.get("DOCS_ROOT", "/srv/docs")
ROOT = Path(DOCS_ROOT).resolve()
mcp = FastMCP("docs")


@mcp.tool()
def read_document(path: str) -> str:
    """Read a document from the documentation folder.

    Args:
        path: Path relative to the documentation folder, e.g. `guides/setup.md`.
    """
    full_path = (ROOT / path).resolve()
    if not full_path.is_relative_to(ROOT):
        raise ValueError("path escapes the documentation folder")
    with open(full_path, encoding="utf-8") as handle:
        return handle.read()


@mcp.tool()
def list_documents() -> list[str]:
    """List every document in the documentation folder."""
    found = []
    for directory, _, files in os.walk(DOCS_ROOT):
        for name in files:
            found.append(os.path.relpath(os.path.join(directory, name), DOCS_ROOT))
    return sorted(found)


if __name__ == "__main__":
    mcp.run()
