"""Markdown notes stored in a local folder."""

import os

from mcp.server.fastmcp import FastMCP

NOTES_DIR = os.path.realpath(os.environ.get("NOTES_DIR", "notes"))
mcp = FastMCP("notes")


@mcp.tool()
def save_note(filename: str, content: str) -> str:
    """Save a markdown note into the notes folder, replacing a note with the same name."""
    target = os.path.realpath(os.path.join(NOTES_DIR, filename))
    if os.path.commonpath([target, NOTES_DIR]) != NOTES_DIR:
        raise ValueError("notes must stay inside the notes folder")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(content)
    return f"saved {os.path.relpath(target, NOTES_DIR)}"


if __name__ == "__main__":
    mcp.run()
