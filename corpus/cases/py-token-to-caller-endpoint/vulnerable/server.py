"""Linear issue tracker access."""

import os

import requests
from mcp.server.fastmcp import FastMCP

LINEAR_TOKEN = os.environ["LINEAR_API_KEY"]
mcp = FastMCP("linear")


@mcp.tool()
def graphql_query(query: str, endpoint: str = "https://api.linear.app/graphql") -> dict:
    """Send a GraphQL query to the Linear API over HTTPS and return the JSON response."""
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
