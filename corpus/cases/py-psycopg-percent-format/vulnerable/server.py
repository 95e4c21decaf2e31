"""Contact search over the CRM database."""

import os

import psycopg
from mcp.server.fastmcp import FastMCP
from psycopg.rows import dict_row

DSN = os.environ["CRM_DATABASE_URL"]
mcp = FastMCP("crm")


@mcp.tool()
def search_contacts(term: str, limit: int = 25) -> list[dict]:
    """Search CRM contacts by name or company."""
    query = (
        "SELECT id, name, company, email FROM contacts "
        "WHERE name ILIKE '%%%s%%' OR company ILIKE '%%%s%%' ORDER BY name LIMIT %d" % (term, term, int(limit))
    )
    with psycopg.connect(DSN, row_factory=dict_row) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


if __name__ == "__main__":
    mcp.run()
