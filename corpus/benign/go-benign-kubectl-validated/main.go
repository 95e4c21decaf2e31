package main

import (
	"context"
	"log"
	"os/exec"
	"regexp"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var (
	dns1123 = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	gitRev  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$`)
)

func main() {
	s := server.NewMCPServer("cluster", "1.0.0")
	s.AddTool(mcp.NewTool("list_pods",
		mcp.WithDescription("Run `kubectl get pods -o wide` in a namespace and return the table."),
		mcp.WithString("namespace", mcp.Required(), mcp.Description("Kubernetes namespace")),
		mcp.WithReadOnlyHintAnnotation(true),
	), listPods)
	s.AddTool(mcp.NewTool("deployed_commits",
		mcp.WithDescription("Run `git log` on the deploy repository to list commits since a release tag."),
		mcp.WithString("since", mcp.Required(), mcp.Description("Release tag, e.g. v1.4.0")),
		mcp.WithReadOnlyHintAnnotation(true),
	), deployedCommits)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, name string, args ...string) (*mcp.CallToolResult, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return mcp.NewToolResultError(strings.TrimSpace(string(out))), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}

func listPods(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	ns, err := req.RequireString("namespace")
	if err != nil || !dns1123.MatchString(ns) {
		return mcp.NewToolResultError("namespace must be a DNS-1123 label"), nil
	}
	return run(ctx, "kubectl", "get", "pods", "--namespace", ns, "-o", "wide")
}

func deployedCommits(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	since, err := req.RequireString("since")
	if err != nil || !gitRev.MatchString(since) {
		return mcp.NewToolResultError("since must be a tag or branch name"), nil
	}
	return run(ctx, "git", "-C", "/srv/deploy", "log", "--oneline", "--end-of-options", since+"..HEAD")
}
