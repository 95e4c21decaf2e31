"""Order lookups against the shop database."""

import os
import sqlite3

from mcp.server.fastmcp import FastMCP

DB_PATH = os.environ.get("SHOP_DB", "shop.db")
mcp = FastMCP("shop")


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


@mcp.tool()
def find_orders(customer_email: str, status: str = "open") -> list[dict]:
    """Find a customer's orders by e-mail address and status."""
    with connect() as conn:
        rows = conn.execute(
            f"SELECT id, total, status, created_at FROM orders "
            f"WHERE customer_email = '{customer_email}' AND status = '{status}' "
            "ORDER BY created_at DESC"
        ).fetchall()
    return [dict(row) for row in rows]


if __name__ == "__main__":
    mcp.run()
