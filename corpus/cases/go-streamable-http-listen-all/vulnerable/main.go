package main

import (
	"context"
	"log"
	"net/http"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var (
	mu    sync.Mutex
	store = map[string]string{}
)

func main() {
	s := server.NewMCPServer("kv", "1.0.0")
	s.AddTool(mcp.NewTool("kv_set",
		mcp.WithDescription("Store a value under a key."),
		mcp.WithString("key", mcp.Required()),
		mcp.WithString("value", mcp.Required()),
	), kvSet)
	s.AddTool(mcp.NewTool("kv_get",
		mcp.WithDescription("Read the value stored under a key."),
		mcp.WithString("key", mcp.Required()),
	), kvGet)
	handler := server.NewStreamableHTTPServer(s)
	log.Println("kv MCP server on :8080/mcp")
	if err := http.ListenAndServe(":8080", handler); err != nil {
		log.Fatal(err)
	}
}

func kvSet(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	key, value := req.GetString("key", ""), req.GetString("value", "")
	mu.Lock()
	defer mu.Unlock()
	store[key] = value
	return mcp.NewToolResultText("ok"), nil
}

func kvGet(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	mu.Lock()
	defer mu.Unlock()
	return mcp.NewToolResultText(store[req.GetString("key", "")]), nil
}
