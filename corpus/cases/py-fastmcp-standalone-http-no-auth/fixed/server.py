"""Team bookmarks served over HTTP."""

import os

from fastmcp import FastMCP
from fastmcp.server.auth.providers.jwt import JWTVerifier

auth = JWTVerifier(
    jwks_uri=os.environ["BOOKMARKS_JWKS_URI"],
    issuer=os.environ["BOOKMARKS_ISSUER"],
    audience="bookmarks-mcp",
)
mcp = FastMCP("bookmarks", auth=auth)
BOOKMARKS: dict[str, str] = {}


@mcp.tool
def save_bookmark(title: str, url: str) -> str:
    """Save a bookmark under a title (the URL is stored, never fetched)."""
    BOOKMARKS[title] = url
    return f"{len(BOOKMARKS)} bookmarks"


@mcp.tool
def list_bookmarks() -> dict[str, str]:
    """Return every saved bookmark."""
    return dict(BOOKMARKS)


if __name__ == "__main__":
    mcp.run(transport="streamable-http", host="0.0.0.0", port=8080)
