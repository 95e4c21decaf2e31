package main

import (
	"context"
	"crypto/subtle"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	listen := flag.String("listen", "", "serve streamable HTTP on this address instead of stdio")
	tokenFile := flag.String("auth-token-file", "", "require the bearer token in this file on every HTTP request")
	flag.Parse()

	s := server.NewMCPServer("echo", "1.0.0")
	s.AddTool(mcp.NewTool("echo",
		mcp.WithDescription("Echo a message back, upper-cased if asked."),
		mcp.WithString("message", mcp.Required()),
		mcp.WithBoolean("upper"),
	), echo)

	if *listen == "" {
		if err := server.ServeStdio(s); err != nil {
			log.Fatal(err)
		}
		return
	}
	var handler http.Handler = server.NewStreamableHTTPServer(s)
	if *tokenFile != "" {
		token, err := os.ReadFile(*tokenFile)
		if err != nil {
			log.Fatal(err)
		}
		handler = bearer(strings.TrimSpace(string(token)), handler)
	}
	log.Fatal(http.ListenAndServe(*listen, handler))
}

func bearer(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func echo(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	msg := req.GetString("message", "")
	if req.GetBool("upper", false) {
		msg = strings.ToUpper(msg)
	}
	return mcp.NewToolResultText(msg), nil
}
