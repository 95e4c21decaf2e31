package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	_ "modernc.org/sqlite"
)

type TicketQuery struct {
	Owner  string `json:"owner" jsonschema:"user name of the ticket owner"`
	Status string `json:"status" jsonschema:"open or closed"`
}

var db *sql.DB

func listTickets(ctx context.Context, req *mcp.CallToolRequest, in TicketQuery) (*mcp.CallToolResult, any, error) {
	rows, err := db.QueryContext(ctx,
		"SELECT id, title, status FROM tickets WHERE owner = ? AND status = ? ORDER BY id", in.Owner, in.Status)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int
		var title, status string
		if err := rows.Scan(&id, &title, &status); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(&b, "#%d %s [%s]\n", id, title, status)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: b.String()}}}, nil, rows.Err()
}

func main() {
	var err error
	if db, err = sql.Open("sqlite", "tickets.db"); err != nil {
		log.Fatal(err)
	}
	server := mcp.NewServer(&mcp.Implementation{Name: "tickets", Version: "v1.2.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "list_tickets", Description: "List support tickets by owner and status."}, listTickets)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
