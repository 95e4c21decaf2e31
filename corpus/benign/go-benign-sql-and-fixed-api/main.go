package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	_ "modernc.org/sqlite"
)

const catalogAPI = "https://catalog.acme.dev/v2"

var (
	db     *sql.DB
	client = &http.Client{Timeout: 10 * time.Second}
)

type SKUInput struct {
	SKU string `json:"sku" jsonschema:"stock keeping unit, e.g. AC-1042"`
}

func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

func stockLevel(ctx context.Context, req *mcp.CallToolRequest, in SKUInput) (*mcp.CallToolResult, any, error) {
	var onHand int
	err := db.QueryRowContext(ctx, "SELECT on_hand FROM stock WHERE sku = ?", in.SKU).Scan(&onHand)
	if err != nil {
		return nil, nil, err
	}
	return text(fmt.Sprintf("%s: %d on hand", in.SKU, onHand)), nil, nil
}

func productInfo(ctx context.Context, req *mcp.CallToolRequest, in SKUInput) (*mcp.CallToolResult, any, error) {
	endpoint := catalogAPI + "/products/" + url.PathEscape(in.SKU)
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+os.Getenv("CATALOG_TOKEN"))
	resp, err := client.Do(httpReq)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var product struct {
		Name  string  `json:"name"`
		Price float64 `json:"price"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&product); err != nil {
		return nil, nil, err
	}
	return text(fmt.Sprintf("%s costs %.2f", product.Name, product.Price)), nil, nil
}

func main() {
	var err error
	if db, err = sql.Open("sqlite", os.Getenv("INVENTORY_DB")); err != nil {
		log.Fatal(err)
	}
	server := mcp.NewServer(&mcp.Implementation{Name: "inventory", Version: "v2.0.1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "stock_level", Description: "Look up how many units of a SKU are in stock."}, stockLevel)
	mcp.AddTool(server, &mcp.Tool{Name: "product_info", Description: "Fetch a product's name and price from the Acme catalog API over HTTPS."}, productInfo)
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		log.Fatal(err)
	}
}
