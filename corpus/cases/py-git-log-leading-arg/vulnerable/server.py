"""Git history for the repository an agent works in."""

import os
import subprocess

from mcp.server.fastmcp import FastMCP

REPO = os.environ.get("GIT_REPO", os.getcwd())
mcp = FastMCP("git-history")


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return result.stdout


@mcp.tool()
def show_log(revision: str = "HEAD", max_count: int = 20) -> str:
    """Run `git log` for a revision or range and return the one-line history."""
    return git("log", "--oneline", f"--max-count={int(max_count)}", revision)


@mcp.tool()
def show_diff(base: str, head: str = "HEAD") -> str:
    """Run `git diff` between two revisions and return the patch."""
    return git("diff", base, head)


if __name__ == "__main__":
    mcp.run()
