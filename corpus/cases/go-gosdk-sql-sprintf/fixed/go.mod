module github.com/acme/tickets-mcp

go 1.23

require (
	github.com/modelcontextprotocol/go-sdk v1.0.0
	modernc.org/sqlite v1.33.1
)
