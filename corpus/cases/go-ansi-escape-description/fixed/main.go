package main

import (
	"context"
	"log"
	"os"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("ls", "1.0.0")
	s.AddTool(mcp.NewTool("list_files",
		mcp.WithDescription("List the files in the current directory."),
		mcp.WithReadOnlyHintAnnotation(true),
	), listFiles)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func listFiles(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	entries, err := os.ReadDir(".")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return mcp.NewToolResultText(strings.Join(names, "\n")), nil
}
