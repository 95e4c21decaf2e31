package main

import (
	"context"
	"log"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("clock", "1.0.0")
	s.AddTool(mcp.NewTool("now",
		mcp.WithDescription("Return the current time in an IANA time zone."),
		mcp.WithString("zone", mcp.DefaultString("UTC")),
	), now)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func now(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	loc, err := time.LoadLocation(req.GetString("zone", "UTC"))
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(time.Now().In(loc).Format(time.RFC3339)), nil
}
