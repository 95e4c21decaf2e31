package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var root = envOr("DATA_DIR", "/srv/data")

type ReadInput struct {
	Path string `json:"path" jsonschema:"file path relative to the data directory"`
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func resolveInRoot(rel string) (string, error) {
	base, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	full, err := filepath.EvalSymlinks(filepath.Join(base, rel))
	if err != nil {
		return "", err
	}
	inside, err := filepath.Rel(base, full)
	if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%q is outside the data directory", rel)
	}
	return full, nil
}

func readFile(ctx context.Context, req *mcp.CallToolRequest, in ReadInput) (*mcp.CallToolResult, any, error) {
	full, err := resolveInRoot(in.Path)
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, nil, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(data)}}}, nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "data-files", Version: "v0.2.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "read_file", Description: "Read a file from the data directory."}, readFile)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
