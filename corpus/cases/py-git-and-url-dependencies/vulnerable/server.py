"""Jira issues for agents."""

import os

from jira_lite import JiraClient
from mcp.server.fastmcp import FastMCP

client = JiraClient(os.environ["JIRA_URL"], token=os.environ["JIRA_TOKEN"])
mcp = FastMCP("jira")


@mcp.tool()
def get_issue(key: str) -> dict:
    """Fetch a Jira issue by key (e.g. `OPS-42`) from the Jira REST API."""
    issue = client.issue(key)
    return {"key": issue.key, "summary": issue.summary, "status": issue.status}


if __name__ == "__main__":
    mcp.run()
