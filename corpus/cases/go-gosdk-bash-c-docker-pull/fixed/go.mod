module github.com/acme/docker-images-mcp

go 1.23

require (
	github.com/modelcontextprotocol/go-sdk v1.0.0
)
