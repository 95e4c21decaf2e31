"""Fetches reference pages for an agent."""

from urllib.parse import urlparse

import requests
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("fetch")

ALLOWED_HOSTS = {"docs.python.org", "peps.python.org", "developer.mozilla.org"}


@mcp.tool()
def fetch_page(url: str, max_chars: int = 20000) -> str:
    """Fetch a web page over HTTP(S) and return its text content.

    Args:
        url: The page to fetch.
        max_chars: Truncate the text after this many characters.
    """
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        raise ValueError(f"only https pages on {sorted(ALLOWED_HOSTS)} can be fetched")
    response = requests.get(url, timeout=15, allow_redirects=False)
    response.raise_for_status()
    return response.text[: int(max_chars)]


if __name__ == "__main__":
    mcp.run()
