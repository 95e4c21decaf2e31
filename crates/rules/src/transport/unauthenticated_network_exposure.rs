//! `AS301` unauthenticated-network-exposure: an MCP server on an HTTP, SSE or
//! streamable-HTTP transport that listens on every interface and shows no sign of
//! authenticating its callers.

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};

use super::exposure::{self, Scope};
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct UnauthenticatedNetworkExposure;

static META: RuleMeta = RuleMeta {
    id: "AS301",
    name: "unauthenticated-network-exposure",
    title: "MCP server listens on every interface without authentication",
    family: Family::Transport,
    severity: Severity::High,
    cwe: &[306, 1327],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds files that set up an MCP network transport (TypeScript SDK \
        `StreamableHTTPServerTransport`/`SSEServerTransport`, FastMCP `transport=\"sse\"`/\
        `\"streamable-http\"`/`\"http\"`, low-level Python transports, mcp-go \
        `NewStreamableHTTPServer`/`NewSSEServer`, the Go SDK's `NewStreamableHTTPHandler`) \
        and bind it to every interface: `listen(port)` with no host (Node's default), \
        `0.0.0.0`/`::`, Go addresses such as `\":8080\"`, `host=\"0.0.0.0\"` for \
        FastMCP/uvicorn, `FASTMCP_HOST`. Nothing is reported when the file shows \
        authentication: auth middleware (`requireBearerAuth`, `app.use(auth…)`, \
        passport, JWT verification), an `Authorization` or API-key header check, a \
        FastMCP `auth=` provider or token verifier, Starlette `AuthenticationMiddleware`, \
        the Go SDK's `RequireBearerToken`. Loopback binds and stdio servers are not \
        reported. A host that only falls back to `0.0.0.0` when an environment variable \
        is unset is reported with medium confidence.",
    why: "Every MCP tool becomes callable by anyone who can reach the port: on a laptop \
        that is the coffee-shop network, in a container often the whole cluster. Tools \
        that read files, run commands or hold API tokens are then an unauthenticated \
        remote API for exactly those powers.",
    remediation: "Bind to `127.0.0.1` for local use. To serve remotely, put the MCP \
        endpoint behind authentication (the SDKs' bearer-token/OAuth support, e.g. \
        `requireBearerAuth` in TypeScript, FastMCP `auth=`, Go `auth.RequireBearerToken`) \
        and TLS, or behind an authenticating reverse proxy bound to loopback.",
    references: &[
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices",
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization",
        "https://cwe.mitre.org/data/definitions/306.html",
    ],
    examples: &[
        Example::flags(
            "src/server.ts",
            "import express from \"express\";\nimport { StreamableHTTPServerTransport } from \"@modelcontextprotocol/sdk/server/streamableHttp.js\";\n\nconst app = express();\napp.use(express.json());\napp.post(\"/mcp\", async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n  await server.connect(transport);\n  await transport.handleRequest(req, res, req.body);\n});\napp.listen(3000);\n",
        ),
        Example::flags(
            "server.py",
            "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"notes\", host=\"0.0.0.0\", port=8000)\n\n@mcp.tool()\ndef read_note(name: str) -> str:\n    return open(f\"notes/{name}\").read()\n\nif __name__ == \"__main__\":\n    mcp.run(transport=\"streamable-http\")\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport \"github.com/mark3labs/mcp-go/server\"\n\nfunc main() {\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n\thttpServer := server.NewStreamableHTTPServer(s)\n\tif err := httpServer.Start(\":8080\"); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
        ),
        Example::flags(
            "app.py",
            "import uvicorn\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"files\")\napp = mcp.streamable_http_app()\n\nuvicorn.run(app, host=\"0.0.0.0\", port=8080)\n",
        ),
        Example::allows(
            "src/server.ts",
            "import express from \"express\";\nimport { StreamableHTTPServerTransport } from \"@modelcontextprotocol/sdk/server/streamableHttp.js\";\nimport { requireBearerAuth } from \"@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js\";\n\nconst app = express();\napp.post(\"/mcp\", requireBearerAuth({ verifier }), async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({\n    sessionIdGenerator: undefined,\n    enableDnsRebindingProtection: true,\n    allowedHosts: [\"mcp.example.com\"],\n  });\n  await server.connect(transport);\n  await transport.handleRequest(req, res, req.body);\n});\napp.listen(3000);\n",
        ),
        Example::allows(
            "server.py",
            "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"notes\")\n\nif __name__ == \"__main__\":\n    mcp.run(transport=\"sse\")\n",
        ),
        Example::allows(
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n)\n\nfunc main() {\n\ts := mcp.NewServer(&mcp.Implementation{Name: \"ops\"}, nil)\n\th := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)\n\thttp.ListenAndServe(\"127.0.0.1:8080\", h)\n}\n",
        ),
        Example::allows(
            "src/index.js",
            "const { StdioServerTransport } = require(\"@modelcontextprotocol/sdk/server/stdio.js\");\nconst express = require(\"express\");\nconst app = express();\napp.get(\"/health\", (req, res) => res.send(\"ok\"));\napp.listen(8080);\nserver.connect(new StdioServerTransport());\n",
        ),
    ],
};

impl Rule for UnauthenticatedNetworkExposure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        exposure::TRANSPORT_KEYWORDS.to_vec()
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(code) = file.code() else {
            return;
        };
        let exposure = exposure::analyze(code);
        let Some(transport) = exposure.transport.clone() else {
            return;
        };
        if exposure.auth.is_some() {
            return;
        }
        let transport_text = &code.code[transport];
        let hits = exposure
            .binds
            .iter()
            .filter(|b| b.scope == Scope::All)
            .map(|bind| {
                let (confidence, note) = if bind.overridable {
                    (
                        Confidence::Medium,
                        " unless the environment sets another host",
                    )
                } else {
                    (Confidence::High, "")
                };
                Hit::new(
                    &META,
                    bind.span.start,
                    bind.span.end,
                    format!(
                        "MCP network transport (`{transport_text}`) listens on every interface \
                         ({}){note}, and this file shows no authentication of its callers",
                        bind.how
                    ),
                )
                .confidence(confidence)
                .evidence("transport", transport_text)
            })
            .collect();
        emit(&META, file, hits, OutsideProduction::CapAtLow, out);
    }
}
