"""Ticket system access for agents, over streamable HTTP."""

import os
from urllib.parse import quote

import httpx
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings

UPSTREAM = "https://tickets.acme.dev/api/v3"
UPSTREAM_TOKEN = os.environ["TICKETS_SERVICE_TOKEN"]
mcp = FastMCP(
    "tickets-proxy",
    host="127.0.0.1",
    port=8000,
    transport_security=TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:8000", "localhost:8000"],
        allowed_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
    ),
)


@mcp.tool()
async def get_ticket(ticket_id: int) -> dict:
    """Fetch a ticket from the ticket system's REST API over HTTPS."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{UPSTREAM}/tickets/{quote(str(int(ticket_id)))}",
            headers={"Authorization": f"Bearer {UPSTREAM_TOKEN}"},
        )
    response.raise_for_status()
    return response.json()


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
