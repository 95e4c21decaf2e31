"""Stock levels from the internal inventory service."""

import os
from urllib.parse import quote

import requests
from mcp.server.fastmcp import FastMCP

INVENTORY_API = os.environ.get("INVENTORY_API", "https://inventory.corp.acme.dev/api/v2")
CA_BUNDLE = "/etc/ssl/certs/acme-internal-ca.pem"
mcp = FastMCP("inventory")


@mcp.tool()
def stock_level(sku: str) -> dict:
    """Look up the stock level of a SKU in the internal inventory API over HTTPS."""
    response = requests.get(f"{INVENTORY_API}/items/{quote(sku, safe='')}", timeout=10, verify=CA_BUNDLE)
    response.raise_for_status()
    item = response.json()
    return {"sku": item["sku"], "on_hand": item["on_hand"], "warehouse": item["warehouse"]}


if __name__ == "__main__":
    mcp.run()
