"""Shared team notes over streamable HTTP."""

from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings

mcp = FastMCP(
    "team-notes",
    host="127.0.0.1",
    port=8000,
    transport_security=TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:8000", "localhost:8000"],
        allowed_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
    ),
)


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
