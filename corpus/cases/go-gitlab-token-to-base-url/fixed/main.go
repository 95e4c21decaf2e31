package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var allowedBases = map[string]bool{
	"https://gitlab.com":      true,
	"https://gitlab.acme.dev": true,
}

type ProjectInput struct {
	BaseURL string `json:"base_url" jsonschema:"GitLab instance URL, e.g. https://gitlab.com"`
	Project string `json:"project" jsonschema:"project path, e.g. group/app"`
}

func getProject(ctx context.Context, req *mcp.CallToolRequest, in ProjectInput) (*mcp.CallToolResult, any, error) {
	base := strings.TrimRight(in.BaseURL, "/")
	if !allowedBases[base] {
		return nil, nil, fmt.Errorf("unknown GitLab instance %q", in.BaseURL)
	}
	endpoint := base + "/api/v4/projects/" + url.PathEscape(in.Project)
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+os.Getenv("GITLAB_TOKEN"))
	resp, err := http.DefaultClient.Do(httpReq)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("gitlab returned %s", resp.Status)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(body)}}}, nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "gitlab", Version: "v0.5.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "get_project", Description: "Fetch a project's details from the GitLab REST API."}, getProject)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
