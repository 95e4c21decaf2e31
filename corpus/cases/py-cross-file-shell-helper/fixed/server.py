"""Document conversion with pandoc."""

from mcp.server.fastmcp import FastMCP

from converters import convert_document

mcp = FastMCP("pandoc")


@mcp.tool()
def convert(source_path: str, output_format: str = "markdown") -> str:
    """Convert a document by running the `pandoc` command and return the converted text."""
    return convert_document(source_path, output_format)


if __name__ == "__main__":
    mcp.run()
