"""Environment diagnostics for agents."""

import os
import platform

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("envdoctor")


@mcp.tool()
def diagnose_environment() -> dict:
    """Report the Python version, the platform and PATH entries that do not exist."""
    report = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "missing_path_entries": [
            entry for entry in os.environ.get("PATH", "").split(os.pathsep) if entry and not os.path.isdir(entry)
        ],
    }
    return report


if __name__ == "__main__":
    mcp.run()
