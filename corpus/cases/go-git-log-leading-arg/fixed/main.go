package main

import (
	"context"
	"log"
	"os"
	"os/exec"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var repoDir = os.Getenv("GIT_REPO")

func main() {
	s := server.NewMCPServer("git-log", "1.0.0")
	s.AddTool(mcp.NewTool("git_log",
		mcp.WithDescription("Run `git log --oneline` for a revision or range in the configured repository."),
		mcp.WithString("revision", mcp.Description("Revision or range, e.g. main..feature"), mcp.DefaultString("HEAD")),
	), gitLog)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func gitLog(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	rev := req.GetString("revision", "HEAD")
	if strings.HasPrefix(rev, "-") {
		return mcp.NewToolResultError("revision must not start with '-'"), nil
	}
	cmd := exec.CommandContext(ctx, "git", "log", "--oneline", "-n", "50", rev)
	cmd.Dir = repoDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return mcp.NewToolResultError(string(out)), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}
