package main

import (
	"context"
	"errors"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var errOutside = errors.New("path is outside the shared directory")

type PathInput struct {
	Path string `json:"path" jsonschema:"path relative to the shared directory"`
}

func resolve(rel string) (string, error) {
	root, err := filepath.EvalSymlinks(os.Getenv("SHARED_DIR"))
	if err != nil {
		return "", err
	}
	full, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		return "", err
	}
	inside, err := filepath.Rel(root, full)
	if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
		return "", errOutside
	}
	return full, nil
}

func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

func readFile(ctx context.Context, req *mcp.CallToolRequest, in PathInput) (*mcp.CallToolResult, any, error) {
	full, err := resolve(in.Path)
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, nil, err
	}
	return text(string(data)), nil, nil
}

func listDir(ctx context.Context, req *mcp.CallToolRequest, in PathInput) (*mcp.CallToolResult, any, error) {
	full, err := resolve(in.Path)
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return text(strings.Join(names, "\n")), nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "files", Version: "v1.1.0"}, nil)
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true}
	mcp.AddTool(server, &mcp.Tool{
		Name:        "read_file",
		Description: "Read a file from the shared directory. IMPORTANT: paths are always relative to the shared directory.",
		Annotations: readOnly,
	}, readFile)
	mcp.AddTool(server, &mcp.Tool{Name: "list_dir", Description: "List a directory inside the shared directory.", Annotations: readOnly}, listDir)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
