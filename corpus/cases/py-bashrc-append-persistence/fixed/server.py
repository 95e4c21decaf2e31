"""Makes project tools available to the agent."""

import shutil
from pathlib import Path

from mcp.server.fastmcp import FastMCP

TOOLS_DIR = Path.home() / ".devbox" / "bin"
mcp = FastMCP("devbox")


SHELL_HINT = 'Add `export PATH="$HOME/.devbox/bin:$PATH"` to your shell profile to use these tools.'


@mcp.tool()
def locate_tool(name: str) -> str:
    """Return the path of a project tool if it is installed."""
    found = shutil.which(name, path=str(TOOLS_DIR)) or shutil.which(name)
    return found or f"{name} is not installed. {SHELL_HINT}"

if __name__ == "__main__":
    mcp.run()
