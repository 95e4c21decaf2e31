"""A library catalogue in SQLite."""

import os
import sqlite3
from typing import Literal

from mcp.server.fastmcp import FastMCP

DB_PATH = os.environ.get("LIBRARY_DB", "library.sqlite3")
SORT_COLUMNS = {"title": "title", "author": "author", "year": "published_year"}
mcp = FastMCP("library")


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


@mcp.tool()
def search_books(text: str, sort: Literal["title", "author", "year"] = "title", limit: int = 20) -> list[dict]:
    """Search books whose title or author contains the text."""
    column = SORT_COLUMNS[sort]
    query = (
        "SELECT id, title, author, published_year FROM books "
        "WHERE title LIKE ? OR author LIKE ? "
        f"ORDER BY {column} LIMIT ?"
    )
    pattern = f"%{text}%"
    with connect() as conn:
        rows = conn.execute(query, (pattern, pattern, max(1, min(int(limit), 100)))).fetchall()
    return [dict(row) for row in rows]


@mcp.tool()
def add_loan(book_id: int, member_email: str) -> str:
    """Record that a member borrowed a book."""
    with connect() as conn:
        conn.execute("INSERT INTO loans (book_id, member_email) VALUES (?, ?)", (int(book_id), member_email))
    return "loan recorded"


@mcp.tool()
def loans_for(member_email: str) -> list[dict]:
    """List a member's current loans."""
    with connect() as conn:
        rows = conn.execute(
            "SELECT b.title, l.borrowed_at FROM loans l JOIN books b ON b.id = l.book_id "
            "WHERE l.member_email = ? AND l.returned_at IS NULL",
            (member_email,),
        ).fetchall()
    return [dict(row) for row in rows]


if __name__ == "__main__":
    mcp.run()
