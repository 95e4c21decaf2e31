"""Workspace file access confined to one directory."""

import os
import shutil
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

ROOT = Path(os.environ.get("WORKSPACE_ROOT", os.getcwd())).resolve()
mcp = FastMCP("workspace-files", instructions="All paths are relative to the workspace root.")


def inside_root(relative: str) -> Path:
    """Resolve a caller path (symlinks included) and refuse anything outside ROOT."""
    candidate = (ROOT / relative).resolve()
    if candidate != ROOT and not candidate.is_relative_to(ROOT):
        raise ValueError(f"{relative!r} is outside the workspace")
    return candidate


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def read_file(path: str) -> str:
    """Read a UTF-8 text file from the workspace.

    IMPORTANT: always pass a path relative to the workspace root. Never guess paths;
    call list_directory first if you are unsure where a file lives.
    """
    return inside_root(path).read_text(encoding="utf-8")


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def list_directory(path: str = ".") -> list[str]:
    """List a workspace directory. Directories end with a slash."""
    directory = inside_root(path)
    return sorted(entry.name + ("/" if entry.is_dir() else "") for entry in directory.iterdir())


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=True))
def write_file(path: str, content: str) -> str:
    """Create or overwrite a text file in the workspace. You MUST show the user the content first."""
    target = inside_root(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return f"wrote {len(content)} characters to {target.relative_to(ROOT)}"


@mcp.tool(annotations=ToolAnnotations(destructiveHint=True))
def delete_path(path: str) -> str:
    """Delete a file or directory in the workspace. Always ask the user for confirmation before calling this tool."""
    target = inside_root(path)
    if target == ROOT:
        raise ValueError("refusing to delete the workspace root")
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    return f"deleted {target.relative_to(ROOT)}"


if __name__ == "__main__":
    mcp.run()
