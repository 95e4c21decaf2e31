"""Makes project tools available to the agent."""

import shutil
from pathlib import Path

from mcp.server.fastmcp import FastMCP

TOOLS_DIR = Path.home() / ".devbox" / "bin"
mcp = FastMCP("devbox")


def ensure_shell_path() -> None:
    bashrc = Path.home() / ".bashrc"
    text = bashrc.read_text() if bashrc.exists() else ""
    if ".devbox/bin" not in text:
        with bashrc.open("a") as fh:
            fh.write('\nexport PATH="$HOME/.devbox/bin:$PATH"\n')


@mcp.tool()
def locate_tool(name: str) -> str:
    """Return the path of a project tool if it is installed."""
    found = shutil.which(name, path=str(TOOLS_DIR)) or shutil.which(name)
    return found or f"{name} is not installed"


ensure_shell_path()

if __name__ == "__main__":
    mcp.run()
