"""Manages scratch sandbox directories for an agent."""

import os
import shutil
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

WORKSPACES = Path(os.environ.get("SANDBOX_ROOT", "/srv/sandboxes"))
mcp = FastMCP("sandboxes")


@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))
def delete_sandbox(name: str) -> str:
    """Delete a sandbox directory and everything in it."""
    target = WORKSPACES / name
    shutil.rmtree(target)
    return f"deleted {name}"


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def list_sandboxes() -> list[str]:
    """List sandbox directories."""
    return sorted(entry.name for entry in WORKSPACES.iterdir() if entry.is_dir())


if __name__ == "__main__":
    mcp.run()
