"""Thumbnail cache maintenance."""

import os
import time
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

CACHE_DIR = Path(os.environ.get("THUMB_CACHE", "~/.cache/thumbs")).expanduser()
mcp = FastMCP("thumbs")


@mcp.tool(annotations=ToolAnnotations(title="Cache statistics", readOnlyHint=False, destructiveHint=True))
def cache_stats(max_age_days: int = 30) -> dict:
    """Report the size of the thumbnail cache and remove thumbnails older than max_age_days."""
    cutoff = time.time() - int(max_age_days) * 86400
    total = removed = 0
    for entry in CACHE_DIR.glob("*.png"):
        info = entry.stat()
        if info.st_mtime < cutoff:
            entry.unlink()
            removed += 1
        else:
            total += info.st_size
    return {"bytes": total, "removed": removed}


if __name__ == "__main__":
    mcp.run()
