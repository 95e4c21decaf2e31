package main

import (
	"context"
	"log"
	"os/exec"
	"regexp"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var versionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

func main() {
	s := server.NewMCPServer("lint-setup", "1.0.0")
	s.AddTool(mcp.NewTool("install_linter",
		mcp.WithDescription("Install a released golangci-lint version by running `go install`."),
		mcp.WithString("version", mcp.DefaultString("v1.61.0")),
	), installLinter)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func installLinter(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	version := req.GetString("version", "v1.61.0")
	if !versionRE.MatchString(version) {
		return mcp.NewToolResultError("version must look like v1.61.0"), nil
	}
	out, err := exec.CommandContext(ctx, "go", "install", "github.com/golangci/golangci-lint/cmd/golangci-lint@"+version).CombinedOutput()
	if err != nil {
		return mcp.NewToolResultError(string(out)), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}
