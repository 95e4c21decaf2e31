package main

import (
	"context"
	"log"
	"os"
	"strings"
	"text/template"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

type Config struct {
	Project  string
	APIToken string
}

type notesData struct {
	Config  *Config
	Version string
	Changes []string
}

var config = &Config{Project: "acme-cli", APIToken: os.Getenv("RELEASES_API_TOKEN")}

func main() {
	s := server.NewMCPServer("release-notes", "1.0.0")
	s.AddTool(mcp.NewTool("render_notes",
		mcp.WithDescription("Render release notes for a version with a Go text/template."),
		mcp.WithString("template", mcp.Required(), mcp.Description("Go template; fields: .Version, .Changes")),
		mcp.WithString("version", mcp.Required()),
	), renderNotes)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func renderNotes(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	source, err := req.RequireString("template")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	version := req.GetString("version", "")
	tmpl, err := template.New("notes").Parse(source)
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	var b strings.Builder
	data := notesData{Config: config, Version: version, Changes: []string{"Faster sync", "New export command"}}
	if err := tmpl.Execute(&b, data); err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(b.String()), nil
}
