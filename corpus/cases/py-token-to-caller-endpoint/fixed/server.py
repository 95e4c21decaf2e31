"""Linear issue tracker access."""

import os

import requests
from mcp.server.fastmcp import FastMCP

LINEAR_TOKEN = os.environ["LINEAR_API_KEY"]
mcp = FastMCP("linear")
ALLOWED_ENDPOINTS = {"https://api.linear.app/graphql"}


@mcp.tool()
def graphql_query(query: str, endpoint: str = "https://api.linear.app/graphql") -> dict:
    """Send a GraphQL query to the Linear API over HTTPS and return the JSON response."""
    if endpoint not in ALLOWED_ENDPOINTS:
        raise ValueError("endpoint must be the Linear GraphQL API")
    response = requests.post(
        endpoint,
        json={"query": query},
        headers={"Authorization": LINEAR_TOKEN, "Content-Type": "application/json"},
        timeout=20,
    )
    response.raise_for_status()
    return response.json()


if __name__ == "__main__":
    mcp.run()
