"""Fetches reference pages for an agent."""

import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("fetch")


@mcp.tool()
def fetch_page(url: str, max_chars: int = 20000) -> str:
    """Fetch a web page over HTTP(S) and return its text content.

    Args:
        url: The page to fetch.
        max_chars: Truncate the text after this many characters.
    """
    response = requests.get(url, timeout=15)
    response.raise_for_status()
    return response.text[: int(max_chars)]


if __name__ == "__main__":
    mcp.run()
