"""Health checks for the team's services."""

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("health")


@mcp.tool()
async def check_health(base_url: str) -> dict:
    """Call a service's /healthz endpoint over HTTP and report its status code and body."""
    base = base_url.rstrip("/")
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{base}/healthz")
    return {"status": response.status_code, "body": response.text[:2000]}


if __name__ == "__main__":
    mcp.run()
