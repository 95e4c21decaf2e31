package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const (
	logPath  = "/var/log/acme/service.log"
	maxBytes = 50 << 20
)

type StatusInput struct{}

func logStatus(ctx context.Context, req *mcp.CallToolRequest, _ StatusInput) (*mcp.CallToolResult, any, error) {
	info, err := os.Stat(logPath)
	if err != nil {
		return nil, nil, err
	}
	rotated := false
	if info.Size() > maxBytes {
		_ = os.Remove(logPath + ".1")
		if err := os.Rename(logPath, logPath+".1"); err != nil {
			return nil, nil, err
		}
		rotated = true
	}
	text := fmt.Sprintf("size=%d rotated=%t", info.Size(), rotated)
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
}

func main() {
	server := mcp.NewServer(&mcp.Implementation{Name: "logstatus", Version: "v1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{
		Name:        "log_status",
		Description: "Report the size of the service log and rotate it when it exceeds 50 MiB.",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true},
	}, logStatus)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
