package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const installScript = "https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh"

func main() {
	s := server.NewMCPServer("lint-setup", "1.0.0")
	s.AddTool(mcp.NewTool("install_linter",
		mcp.WithDescription("Install golangci-lint into ./bin by running its installer."),
		mcp.WithString("version", mcp.DefaultString("v1.61.0")),
	), installLinter)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func installLinter(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	version := req.GetString("version", "v1.61.0")
	resp, err := http.Get(installScript)
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	defer resp.Body.Close()
	f, err := os.CreateTemp("", "golangci-install-*.sh")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, resp.Body); err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	f.Close()
	out, err := exec.CommandContext(ctx, "sh", f.Name(), "-b", "./bin", version).CombinedOutput()
	if err != nil {
		return mcp.NewToolResultError(string(out)), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}
