"""Network diagnostics exposed to MCP clients."""

import re
import subprocess

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("netcheck")

HOST_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:-]{0,252}")


@mcp.tool()
def ping_host(host: str, count: int = 3) -> str:
    """Run the system `ping` command against a host and return its output.

    Args:
        host: Hostname or IP address to ping.
        count: Number of echo requests to send (1-10).
    """
    count = max(1, min(int(count), 10))
    if not HOST_RE.fullmatch(host):
        raise ValueError("host must be a hostname or an IP address")
    result = subprocess.run(
        ["ping", "-c", str(count), host],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stdout or result.stderr


if __name__ == "__main__":
    mcp.run()
