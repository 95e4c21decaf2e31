"""Read access to generated reports."""

import os

from mcp.server.fastmcp import FastMCP

ROOT = os.path.realpath(os.environ.get("REPORTS_DIR", "/var/lib/reports"))
mcp = FastMCP("reports")


@mcp.tool()
def read_report(name: str) -> str:
    """Return the contents of a generated report from the reports directory."""
    full = os.path.realpath(os.path.join(ROOT, name))
    if not full.startswith(ROOT):
        raise ValueError("report must be inside the reports directory")
    with open(full, encoding="utf-8") as fh:
        return fh.read()


@mcp.tool()
def list_reports() -> list[str]:
    """List report file names."""
    return sorted(os.listdir(ROOT))


if __name__ == "__main__":
    mcp.run()
