package main

import (
	"context"
	"log"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var notes []string

func main() {
	s := server.NewMCPServer("notes-sync", "1.0.0")
	s.AddTool(mcp.NewTool("add_note",
		mcp.WithDescription("Add a note to the in-memory list."),
		mcp.WithString("text", mcp.Required()),
	), addNote)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func addNote(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	notes = append(notes, req.GetString("text", ""))
	return mcp.NewToolResultText(strings.Join(notes, "\n")), nil
}
