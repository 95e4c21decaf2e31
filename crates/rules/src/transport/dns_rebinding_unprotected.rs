//! `AS302` dns-rebinding-unprotected: an MCP HTTP/SSE transport that does not validate
//! the `Host` (or `Origin`) header, so a web page can reach it through DNS rebinding even
//! when it only listens on loopback.

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};

use super::exposure::{self, Exposure, Scope};
use crate::code_patterns::CodeText;
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::lang::Language;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct DnsRebindingUnprotected;

static META: RuleMeta = RuleMeta {
    id: "AS302",
    name: "dns-rebinding-unprotected",
    title: "MCP HTTP transport without Host/Origin validation (DNS rebinding)",
    family: Family::Transport,
    severity: Severity::Medium,
    cwe: &[350, 346],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds MCP network transports set up without DNS-rebinding protection: \
        TypeScript SDK transports without `enableDnsRebindingProtection: true` and \
        `allowedHosts`, and no `createMcpExpressApp`/`hostHeaderValidation` middleware; \
        low-level Python transports and `fastmcp` apps without `TransportSecuritySettings(\
        enable_dns_rebinding_protection=True)` or Starlette's `TrustedHostMiddleware`; \
        mcp-go servers with no `Host`/`Origin` check. Protection switched off explicitly \
        (`enableDnsRebindingProtection: false`, `enable_dns_rebinding_protection=False`, \
        Go SDK `DisableLocalhostProtection: true`) is reported with high confidence. SDK \
        defaults that protect loopback servers (the Python SDK's FastMCP on a loopback \
        host, the Go SDK's handlers, `createMcpExpressApp`) count as protection, and so \
        do hand-made `Host`/`Origin` checks. Authentication does not replace them: the \
        MCP specification requires servers to validate `Origin` on every connection \
        whatever else they do. A rebinding page cannot present a bearer token it never \
        saw, so an unprotected loopback transport in a server that authenticates \
        requests is reported with low severity (defence in depth, and a spec \
        violation); an authenticated server bound to every interface is not reported \
        here, since a rebinding page gains nothing a direct client lacks.",
    why: "A web page the user visits can rebind its own host name to 127.0.0.1 and then \
        talk to the local MCP server as a same-origin page: list and call tools, read \
        resources, all with the user's privileges, although the server never listened on \
        a public interface.",
    remediation: "Validate the `Host` header against the names the server is really \
        reached by, and the `Origin` header when present: in TypeScript use \
        `createMcpExpressApp()` or `hostHeaderValidation([...])`, or \
        `enableDnsRebindingProtection: true` with `allowedHosts`; in Python pass \
        `transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, \
        allowed_hosts=[...])` or add `TrustedHostMiddleware`; in Go check `r.Host` and \
        `Origin` in a middleware (or keep the Go SDK's localhost protection on). Require \
        authentication as well for anything beyond a local toy.",
    references: &[
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#security-warning",
        "https://github.com/modelcontextprotocol/typescript-sdk/security/advisories/GHSA-w48q-cv73-mx4w",
        "https://cwe.mitre.org/data/definitions/350.html",
    ],
    examples: &[
        Example::flags(
            "src/http.ts",
            "import { StreamableHTTPServerTransport } from \"@modelcontextprotocol/sdk/server/streamableHttp.js\";\n\nexport function makeTransport() {\n  return new StreamableHTTPServerTransport({\n    sessionIdGenerator: () => crypto.randomUUID(),\n  });\n}\n\napp.listen(3000, \"127.0.0.1\");\n",
        ),
        Example::flags(
            "server.py",
            "from mcp.server.fastmcp import FastMCP\nfrom mcp.server.transport_security import TransportSecuritySettings\n\nmcp = FastMCP(\n    \"notes\",\n    transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),\n)\nmcp.run(transport=\"streamable-http\")\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\nfunc main() {\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n\tsse := server.NewSSEServer(s)\n\thttp.ListenAndServe(\"localhost:8080\", sse)\n}\n",
        ),
        Example::flags(
            "cmd/serve.go",
            "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n)\n\nfunc serve(s *mcp.Server) error {\n\th := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, &mcp.StreamableHTTPOptions{\n\t\tDisableLocalhostProtection: true,\n\t})\n\treturn http.ListenAndServe(\"127.0.0.1:7000\", h)\n}\n",
        ),
        Example::allows(
            "src/http.ts",
            "import { StreamableHTTPServerTransport } from \"@modelcontextprotocol/sdk/server/streamableHttp.js\";\n\nexport function makeTransport() {\n  return new StreamableHTTPServerTransport({\n    sessionIdGenerator: () => crypto.randomUUID(),\n    enableDnsRebindingProtection: true,\n    allowedHosts: [\"127.0.0.1:3000\", \"localhost:3000\"],\n  });\n}\n",
        ),
        Example::allows(
            "server.py",
            "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"notes\")\n\nif __name__ == \"__main__\":\n    mcp.run(transport=\"streamable-http\")\n",
        ),
        Example::allows(
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\nfunc main() {\n\ts := server.NewMCPServer(\"ops\", \"1.0.0\")\n\tsse := server.NewSSEServer(s)\n\thttp.ListenAndServe(\"localhost:8080\", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tif r.Host != \"localhost:8080\" {\n\t\t\thttp.Error(w, \"forbidden\", http.StatusForbidden)\n\t\t\treturn\n\t\t}\n\t\tsse.ServeHTTP(w, r)\n\t}))\n}\n",
        ),
        Example::allows(
            "src/index.ts",
            "import { createMcpExpressApp } from \"@modelcontextprotocol/sdk/server/express.js\";\nimport { StreamableHTTPServerTransport } from \"@modelcontextprotocol/sdk/server/streamableHttp.js\";\n\nconst app = createMcpExpressApp();\napp.post(\"/mcp\", async (req, res) => {\n  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n  await transport.handleRequest(req, res, req.body);\n});\napp.listen(3000, \"127.0.0.1\");\n",
        ),
    ],
};

impl Rule for DnsRebindingUnprotected {
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
        let hit = if let Some(off) = exposure.protection_off.clone() {
            Hit::new(
                &META,
                off.start,
                off.end,
                "DNS-rebinding protection of the MCP transport is switched off",
            )
        } else if exposure.host_validation.is_some()
            || protected_by_sdk_default(code, &exposure)
            || (exposure.auth.is_some() && exposure.bind_all().is_some())
        {
            // An authenticated server on every interface already faces any client that
            // can reach it; a rebinding page, which cannot present a token, gains nothing
            // a direct client lacks (AS301 judges that exposure).
            return;
        } else {
            Hit::new(
                &META,
                transport.start,
                transport.end,
                format!(
                    "MCP network transport `{}` is set up without Host/Origin validation",
                    &code.code[transport.clone()]
                ),
            )
            .confidence(Confidence::Medium)
        };
        // A rebinding page cannot present a bearer token it never saw, so authentication
        // limits the harm; the specification still requires Origin validation.
        let hit = if exposure.auth.is_some() {
            Hit {
                message: format!(
                    "{} (the file also authenticates requests, which limits a rebinding page; the MCP specification still requires Origin validation)",
                    hit.message
                ),
                ..hit.severity(Severity::Low)
            }
        } else {
            hit
        };
        emit(&META, file, vec![hit], OutsideProduction::CapAtLow, out);
    }
}

/// SDK defaults that protect loopback servers: the Python SDK's FastMCP (unless its own
/// host is set to every interface), the Go SDK's HTTP handlers, the TypeScript SDK's
/// `createMcp*App` helpers.
fn protected_by_sdk_default(code: &CodeText<'_>, exposure: &Exposure) -> bool {
    if exposure.protected_by_default.is_none() {
        return false;
    }
    if code.language != Language::Python {
        return true;
    }
    // FastMCP enables the protection only when its `host` setting is loopback.
    !exposure.binds.iter().any(|b| {
        b.scope != Scope::Loopback
            && (code.code[b.span.clone()].starts_with("FastMCP") || b.how == "host setting")
    })
}
