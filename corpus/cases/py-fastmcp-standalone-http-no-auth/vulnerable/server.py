"""Team bookmarks served over HTTP."""

from fastmcp import FastMCP

mcp = FastMCP("bookmarks")
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
