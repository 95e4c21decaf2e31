"""Shared team notes over streamable HTTP."""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("team-notes", host="0.0.0.0", port=8000)


NOTES: dict[str, str] = {}


@mcp.tool()
def add_note(title: str, body: str) -> str:
    """Add or replace a shared team note."""
    NOTES[title] = body
    return f"{len(NOTES)} notes"


@mcp.tool()
def list_notes() -> list[str]:
    """List the titles of the shared team notes."""
    return sorted(NOTES)
if __name__ == "__main__":
    mcp.run(transport="streamable-http")
