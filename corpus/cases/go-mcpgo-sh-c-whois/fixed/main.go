package main

import (
	"context"
	"log"
	"os/exec"
	"regexp"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var domainRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$`)

func main() {
	s := server.NewMCPServer("whois", "1.0.0", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("whois_lookup",
		mcp.WithDescription("Run the `whois` command for a domain and return the registration record."),
		mcp.WithString("domain", mcp.Required(), mcp.Description("Domain name, e.g. example.org")),
	), whoisLookup)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func whoisLookup(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	domain, err := req.RequireString("domain")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	if !domainRE.MatchString(domain) {
		return mcp.NewToolResultError("not a domain name"), nil
	}
	out, err := exec.CommandContext(ctx, "whois", "--", domain).CombinedOutput()
	if err != nil {
		return mcp.NewToolResultError(string(out)), nil
	}
	return mcp.NewToolResultText(string(out)), nil
}
