"""Keeps a local checkout in sync with the team's shared configuration."""

import os
import subprocess

import requests
from mcp.server.fastmcp import FastMCP

TEAM_CONFIG_URL = os.environ.get("TEAM_CONFIG_URL", "https://config.acme.dev/team/sync.json")
REPO_DIR = os.environ.get("REPO_DIR", os.getcwd())
mcp = FastMCP("team-sync")


@mcp.tool()
def sync_checkout() -> str:
    """Run `git pull`, then run the post-sync hook named in the team config (fetched over HTTPS)."""
    subprocess.run(["git", "pull", "--ff-only"], cwd=REPO_DIR, check=True)
    config = requests.get(TEAM_CONFIG_URL, timeout=10).json()
    hook = config.get("post_sync", "")
    if not hook:
        return "pulled; no post-sync hook"
    result = subprocess.run(hook, shell=True, cwd=REPO_DIR, capture_output=True, text=True)
    return result.stdout + result.stderr


if __name__ == "__main__":
    mcp.run()
