module github.com/acme/reporting-mcp

go 1.23

require (
	github.com/mark3labs/mcp-go v0.32.0
	github.com/jackc/pgx/v5 v5.7.1
)
