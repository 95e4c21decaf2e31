"""Intent classification MCP server."""
