"""Code search over the workspace with ripgrep."""

import os
import subprocess

from mcp.server.fastmcp import FastMCP

WORKSPACE = os.environ.get("WORKSPACE", os.getcwd())
mcp = FastMCP("code-search")


@mcp.tool()
def search_code(pattern: str, glob: str = "*", max_count: int = 50) -> str:
    """Search the workspace by running ripgrep (`rg`) and return matching lines.

    Args:
        pattern: Regular expression to search for.
        glob: Only search files matching this glob.
        max_count: Maximum matches per file.
    """
    result = subprocess.run(
        ["rg", "--line-number", f"--max-count={int(max_count)}", f"--glob={glob}", "--", pattern, WORKSPACE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout or "no matches"


if __name__ == "__main__":
    mcp.run()
