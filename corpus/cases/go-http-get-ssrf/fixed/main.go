package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/url"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var allowedHosts = map[string]bool{
	"pkg.go.dev":     true,
	"go.dev":         true,
	"tip.golang.org": true,
}

var client = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func main() {
	s := server.NewMCPServer("fetch", "1.0.0")
	s.AddTool(mcp.NewTool("fetch_url",
		mcp.WithDescription("Fetch a URL over HTTP(S) and return the response body (at most 1 MiB)."),
		mcp.WithString("url", mcp.Required(), mcp.Description("The URL to fetch")),
	), fetchURL)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func fetchURL(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	target, err := req.RequireString("url")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "https" || !allowedHosts[u.Hostname()] {
		return mcp.NewToolResultError("only https URLs on the documentation hosts can be fetched"), nil
	}
	resp, err := client.Get(u.String())
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(string(body)), nil
}
