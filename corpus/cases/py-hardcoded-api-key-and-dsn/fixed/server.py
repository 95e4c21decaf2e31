"""Customer account lookups."""

import os
from urllib.parse import quote

import psycopg
import requests
from mcp.server.fastmcp import FastMCP

BILLING_API_KEY = os.environ["BILLING_API_KEY"]
DATABASE_URL = os.environ["ACCOUNTS_DATABASE_URL"]
mcp = FastMCP("accounts")


@mcp.tool()
def account_summary(account_id: int) -> dict:
    """Summarise an account from the accounts database and the billing API (HTTPS)."""
    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute("SELECT name, plan FROM accounts WHERE id = %s", (int(account_id),)).fetchone()
    invoices = requests.get(
        f"https://billing.acme.dev/v1/accounts/{quote(str(int(account_id)))}/invoices",
        headers={"X-Api-Key": BILLING_API_KEY},
        timeout=10,
    ).json()
    return {"name": row[0], "plan": row[1], "open_invoices": len(invoices)}


if __name__ == "__main__":
    mcp.run()
