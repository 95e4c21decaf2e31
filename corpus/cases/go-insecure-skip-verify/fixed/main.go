package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const metricsAPI = "https://metrics.corp.acme.dev/api/v1/query"

var client *http.Client

func newClient() (*http.Client, error) {
	pem, err := os.ReadFile("/etc/ssl/certs/acme-internal-ca.pem")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no certificates in the internal CA bundle")
	}
	tlsConfig := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig}}, nil
}

func main() {
	var err error
	if client, err = newClient(); err != nil {
		log.Fatal(err)
	}
	s := server.NewMCPServer("metrics", "1.0.0")
	s.AddTool(mcp.NewTool("query_metrics",
		mcp.WithDescription("Run a PromQL query against the internal metrics API over HTTPS."),
		mcp.WithString("query", mcp.Required(), mcp.Description("PromQL expression")),
	), queryMetrics)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}

func queryMetrics(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	query, err := req.RequireString("query")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	resp, err := client.Get(metricsAPI + "?query=" + url.QueryEscape(query))
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return mcp.NewToolResultText(string(body)), nil
}
