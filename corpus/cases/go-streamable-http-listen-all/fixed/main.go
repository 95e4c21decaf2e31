package main

import (
	"context"
	"crypto/subtle"
	"log"
	"net/http"
	"os"
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
	token := os.Getenv("KV_MCP_TOKEN")
	if token == "" {
		log.Fatal("KV_MCP_TOKEN must be set")
	}
	handler := requireLocalHost(requireToken(token, server.NewStreamableHTTPServer(s)))
	log.Println("kv MCP server on 127.0.0.1:8080/mcp")
	if err := http.ListenAndServe("127.0.0.1:8080", handler); err != nil {
		log.Fatal(err)
	}
}

func requireToken(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func requireLocalHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "127.0.0.1:8080" && r.Host != "localhost:8080" {
			http.Error(w, "forbidden host", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
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
