package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const uploadDir = "/srv/uploads"

func main() {
	s := server.NewMCPServer("uploads", "1.0.0")
	s.AddTool(mcp.NewTool("save_file",
		mcp.WithDescription("Save text content as a file in the uploads directory."),
		mcp.WithString("name", mcp.Required(), mcp.Description("File name inside the uploads directory")),
		mcp.WithString("content", mcp.Required()),
	), saveFile)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func saveFile(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	name, err := req.RequireString("name")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	content := req.GetString("content", "")
	base, err := filepath.EvalSymlinks(uploadDir)
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	target := filepath.Join(base, name)
	dir, err := filepath.EvalSymlinks(filepath.Dir(target))
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	full := filepath.Join(dir, filepath.Base(target))
	rel, err := filepath.Rel(base, full)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return mcp.NewToolResultError("name escapes the uploads directory"), nil
	}
	if info, err := os.Lstat(full); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return mcp.NewToolResultError("refusing to write through a symlink"), nil
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(fmt.Sprintf("saved %d bytes", len(content))), nil
}
