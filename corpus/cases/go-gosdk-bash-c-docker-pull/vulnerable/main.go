package main

import (
	"context"
	"fmt"
	"log"
	"os/exec"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type PullInput struct {
	Image string `json:"image" jsonschema:"image reference to pull, e.g. nginx:1.27"`
}

func pullImage(ctx context.Context, req *mcp.CallToolRequest, in PullInput) (*mcp.CallToolResult, any, error) {
	out, err := exec.CommandContext(ctx, "bash", "-c", fmt.Sprintf("docker pull %s", in.Image)).CombinedOutput()
	if err != nil {
		return nil, nil, fmt.Errorf("docker pull failed: %v: %s", err, out)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(out)}}}, nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "docker-images", Version: "v1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{
		Name:        "pull_image",
		Description: "Pull a container image by running `docker pull`.",
	}, pullImage)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
