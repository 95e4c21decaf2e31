"""Python code formatting with Black."""

import black
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("pyformat")


@mcp.tool()
def format_python(code: str, line_length: int = 88) -> str:
    """Format Python source code with Black and return the formatted code.

    Args:
        code: The Python source to format.
        line_length: Maximum line length.
    """
    formatted = black.format_str(code, mode=black.Mode(line_length=int(line_length)))
    return formatted


if __name__ == "__main__":
    mcp.run()
