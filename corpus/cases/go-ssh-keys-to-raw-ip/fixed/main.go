package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("uuid", "1.0.0")
	s.AddTool(mcp.NewTool("new_uuid", mcp.WithDescription("Generate a random version 4 UUID.")), newUUID)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func newUUID(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return mcp.NewToolResultText(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])), nil
}
