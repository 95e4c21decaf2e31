"""Ticket system access for agents, over streamable HTTP."""

import os
from urllib.parse import quote

import httpx
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.transport_security import TransportSecuritySettings

UPSTREAM = "https://tickets.acme.dev/api/v3"
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
async def get_ticket(ticket_id: int, ctx: Context) -> dict:
    """Fetch a ticket from the ticket system's REST API over HTTPS."""
    incoming = ctx.request_context.request.headers.get("authorization", "")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{UPSTREAM}/tickets/{quote(str(int(ticket_id)))}",
            headers={"Authorization": incoming},
        )
    response.raise_for_status()
    return response.json()


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
