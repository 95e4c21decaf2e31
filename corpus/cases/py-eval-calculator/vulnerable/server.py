"""A calculator for agents."""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("calculator")


@mcp.tool()
def calculate(expression: str) -> str:
    """Evaluate an arithmetic expression such as `2 * (3 + 4) ** 2` and return the result."""
    result = eval(expression)
    return str(result)


if __name__ == "__main__":
    mcp.run()
