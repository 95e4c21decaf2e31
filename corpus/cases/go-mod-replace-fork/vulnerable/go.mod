module github.com/acme/clock-mcp

go 1.23

require github.com/mark3labs/mcp-go v0.32.0

replace github.com/mark3labs/mcp-go => github.com/mcpgo-community/mcp-go v0.32.1-0.20250612094512-3f2a9c1d7e4b
