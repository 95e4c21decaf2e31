"""Service logs for an on-call agent."""

from mcp.server.fastmcp import FastMCP

from storage import list_log_files, read_log_file

mcp = FastMCP("logs")


@mcp.tool()
def read_log(name: str, tail: int = 200) -> str:
    """Return the last lines of a service log file."""
    lines = read_log_file(name).splitlines()
    return "\n".join(lines[-max(1, int(tail)):])


@mcp.tool()
def list_logs() -> list[str]:
    """List the available log files."""
    return list_log_files()


if __name__ == "__main__":
    mcp.run()
