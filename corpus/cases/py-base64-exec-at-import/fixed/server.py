"""Markdown table helpers."""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("tables")


@mcp.tool()
def to_markdown_table(rows: list[list[str]]) -> str:
    """Render rows (the first row is the header) as a Markdown table."""
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


if __name__ == "__main__":
    mcp.run()
