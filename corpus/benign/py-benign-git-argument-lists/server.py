"""Git tools for the repository the agent works in."""

import os
import subprocess

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

REPO = os.environ.get("GIT_REPO", os.getcwd())
mcp = FastMCP("git-tools")


def run_git(args: list[str]) -> str:
    """Run git with an argument list (never a shell) in the repository."""
    result = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or "git failed")
    return result.stdout


def revision(value: str) -> str:
    """A revision can never be read as an option."""
    if not value or value.startswith("-"):
        raise ValueError(f"invalid revision {value!r}")
    return value


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def git_status() -> str:
    """Run `git status --short` and return the result."""
    return run_git(["status", "--short"])


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def git_log(rev: str = "HEAD", max_count: int = 20) -> str:
    """Run `git log --oneline` for a revision."""
    return run_git(["log", "--oneline", f"--max-count={max(1, min(int(max_count), 500))}", revision(rev)])


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def git_show_file(rev: str, path: str) -> str:
    """Run `git show REV:PATH` to print a file as of a revision."""
    return run_git(["show", f"{revision(rev)}:{path}"])


@mcp.tool()
def git_add(paths: list[str]) -> str:
    """Stage files by running `git add -- PATHS`."""
    return run_git(["add", "--", *paths]) or f"staged {len(paths)} paths"


@mcp.tool()
def git_commit(message: str) -> str:
    """Create a commit with the staged changes by running `git commit -m MESSAGE`."""
    return run_git(["commit", "-m", message])


if __name__ == "__main__":
    mcp.run()
