from mcp.server.fastmcp import FastMCP

mcp = FastMCP("units")


@mcp.tool()
def convert_temperature(value: float, unit: str) -> str:
    """Convert a temperature between Celsius ("C") and Fahrenheit ("F")."""
    if unit == "C":
        return f"{value * 9 / 5 + 32:.1f} F"
    if unit == "F":
        return f"{(value - 32) * 5 / 9:.1f} C"
    raise ValueError("unit must be C or F")


if __name__ == "__main__":
    mcp.run()
