package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

var (
	databaseURL  = os.Getenv("REPORTING_DATABASE_URL")
	exportAPIKey = os.Getenv("REPORTING_EXPORT_API_KEY")
)

var pool *pgxpool.Pool

func main() {
	var err error
	if pool, err = pgxpool.New(context.Background(), databaseURL); err != nil {
		log.Fatal(err)
	}
	s := server.NewMCPServer("reporting", "1.0.0")
	s.AddTool(mcp.NewTool("monthly_revenue",
		mcp.WithDescription("Return the revenue of a month (YYYY-MM) from the reporting database."),
		mcp.WithString("month", mcp.Required()),
	), monthlyRevenue)
	log.Printf("export key configured: %t", exportAPIKey != "")
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func monthlyRevenue(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var total float64
	err := pool.QueryRow(ctx, "SELECT COALESCE(SUM(amount), 0) FROM invoices WHERE to_char(paid_at, 'YYYY-MM') = $1",
		req.GetString("month", "")).Scan(&total)
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	return mcp.NewToolResultText(fmt.Sprintf("%.2f", total)), nil
}
