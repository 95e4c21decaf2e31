package main

import (
	"context"
	"log"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("netdiag", "1.0.0")
	s.AddTool(mcp.NewTool("traceroute",
		mcp.WithDescription("Run the `traceroute` command to a host and return the hops."),
		mcp.WithString("host", mcp.Required(), mcp.Description("Hostname or IP address")),
	), handleTraceroute)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func handleTraceroute(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	host, err := req.RequireString("host")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	out, err := runTraceroute(ctx, host)
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(out), nil
}
