//! `AS305` token-passthrough: the server takes the bearer token its caller presented and
//! sends it, unchanged, to an upstream API.

use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use crate::code_patterns::apis::NETWORK;
use crate::code_patterns::flow::Derived;
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct TokenPassthrough;

static META: RuleMeta = RuleMeta {
    id: "AS305",
    name: "token-passthrough",
    title: "Client token passed through to an upstream API",
    family: Family::Transport,
    severity: Severity::High,
    cwe: &[863, 441],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds servers that read the incoming request's credential — the \
        `Authorization` header (`req.headers.authorization`, `request.headers.get(\
        \"authorization\")`, `r.Header.Get(\"Authorization\")`), the SDK's \
        `extra.authInfo.token`, FastMCP's `get_access_token().token` — and put it, directly \
        or through local variables, into the `Authorization` header of an outbound \
        request, or forward the incoming headers wholesale. A value that passes through a \
        token exchange, introspection or verification call on the way is not reported.",
    why: "The MCP authorization spec forbids token passthrough: the server then accepts \
        tokens that were never issued for it, cannot audit or limit what is done with \
        them, and turns into a confused deputy — any client that holds some upstream \
        token can use the server to act with it, bypassing the server's own checks and \
        rate limits.",
    remediation: "Validate that incoming tokens were issued for this server (audience), \
        and call upstream APIs with the server's own credentials or with a token obtained \
        for the upstream through a token exchange (RFC 8693 / on-behalf-of), never with \
        the client's token.",
    references: &[
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices#token-passthrough",
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#access-token-privilege-restriction",
        "https://cwe.mitre.org/data/definitions/441.html",
    ],
    examples: &[
        Example::flags(
            "src/proxy.ts",
            "app.post(\"/mcp\", async (req, res) => {\n  const token = req.headers.authorization;\n  const upstream = await fetch(\"https://api.github.com/user/repos\", {\n    headers: { Authorization: token },\n  });\n  res.json(await upstream.json());\n});\n",
        ),
        Example::flags(
            "src/tools.ts",
            "server.tool(\"list_events\", {}, async (_args, extra) => {\n  const r = await fetch(\"https://www.googleapis.com/calendar/v3/calendars/primary/events\", {\n    headers: { Authorization: `Bearer ${extra.authInfo?.token}` },\n  });\n  return { content: [{ type: \"text\", text: await r.text() }] };\n});\n",
        ),
        Example::flags(
            "server.py",
            "import httpx\nfrom starlette.requests import Request\n\nasync def forward(request: Request):\n    auth = request.headers.get(\"authorization\")\n    async with httpx.AsyncClient() as client:\n        r = await client.get(\"https://api.example.com/v1/items\", headers={\"Authorization\": auth})\n    return r.json()\n",
        ),
        Example::flags(
            "proxy.go",
            "package proxy\n\nimport \"net/http\"\n\nfunc Forward(w http.ResponseWriter, r *http.Request) {\n\tout, _ := http.NewRequest(\"GET\", \"https://api.example.com/data\", nil)\n\tout.Header.Set(\"Authorization\", r.Header.Get(\"Authorization\"))\n\tresp, _ := http.DefaultClient.Do(out)\n\tdefer resp.Body.Close()\n}\n",
        ),
        Example::allows(
            "src/proxy.ts",
            "app.post(\"/mcp\", async (req, res) => {\n  const token = req.headers.authorization;\n  if (token !== `Bearer ${process.env.MCP_TOKEN}`) return res.status(401).end();\n  const upstream = await fetch(\"https://api.github.com/user/repos\", {\n    headers: { Authorization: `Bearer ${process.env.GITHUB_TOKEN}` },\n  });\n  res.json(await upstream.json());\n});\n",
        ),
        Example::allows(
            "server.py",
            "import httpx\n\nasync def forward(request):\n    incoming = request.headers.get(\"authorization\")\n    upstream_token = await exchange_token(incoming, audience=\"https://api.example.com\")\n    async with httpx.AsyncClient() as client:\n        r = await client.get(\"https://api.example.com/v1/items\", headers={\"Authorization\": f\"Bearer {upstream_token}\"})\n    return r.json()\n",
        ),
        Example::allows(
            "auth.go",
            "package auth\n\nimport \"net/http\"\n\nfunc Check(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tif r.Header.Get(\"Authorization\") != \"Bearer \"+expected {\n\t\t\thttp.Error(w, \"unauthorized\", 401)\n\t\t\treturn\n\t\t}\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n",
        ),
    ],
};

/// Words without which this rule cannot fire: the driver calls it only on files that
/// contain one.
const KEYWORDS: &[&str] = &[
    "authorization",
    "authinfo",
    "access_token",
    "req.headers",
    "request.headers",
    "r.Header",
];

/// The caller's credential, as a server reads it.
static INBOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(?:req|request|ctx\.request|ctx\.req|c\.req|event|r)\.headers?(?:\.authorization\b|\[\s*['"]authorization['"]\s*\]|\.get\(\s*['"]authorization['"]|\(\s*['"]authorization['"])|\breq\.get\(\s*['"]authorization['"]|\bauthInfo\??\.token\b|\bget_access_token\(\s*\)\??\.token\b|get_http_headers\(\s*\)(?:\.get\(|\[)\s*['"]authorization['"]|\bHeader\.Get\(\s*"authorization"\s*\)|\bHeader\[\s*"authorization"\s*\]"#,
    )
    .expect("valid regex")
});

/// Where an outbound request's `Authorization` header gets its value.
static OUTBOUND_SET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[{,\s])['"]?authorization['"]?\s*:|\.(?:set|add|append|setRequestHeader)\(\s*['"]authorization['"]\s*,|\bheaders\[\s*['"]authorization['"]\s*\]\s*="#,
    )
    .expect("valid regex")
});

/// Incoming headers forwarded wholesale.
static FORWARD_ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bheaders\s*[:=]\s*(?:\{\s*\.\.\.)?(?:req|request)\.headers\s*[,})\n]|\bHeader\s*=\s*r\.Header(?:\.Clone\(\))?\s*\n")
        .expect("valid regex")
});

/// Calls that turn a client token into something else (exchange, verification).
static TRANSFORMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)exchange|on_?behalf|\bobo\b|\bmint|\bsign\w*\(|\bissue\w*\(|introspect|verify|validate|lookup|upstream_?token|get_?upstream|refresh|decode\(|===|!==|==|!=")
        .expect("valid regex")
});

impl Rule for TokenPassthrough {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        KEYWORDS.to_vec()
    }

    fn keywords_ignore_case(&self) -> bool {
        true
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(code) = file.code() else {
            return;
        };
        if !INBOUND.is_match(&code.code) && !FORWARD_ALL.is_match(&code.code) {
            return;
        }
        if !NETWORK.matches(code.language, &code.code) {
            return;
        }
        let assigns = code.assignments();
        let mut derived = Derived::compute(
            code,
            assigns,
            |rhs| INBOUND.is_match(rhs),
            |rhs| TRANSFORMS.is_match(rhs),
        );
        // `buildServer(req.headers.authorization)` hands the token to a function that
        // sets it on outbound requests.
        derived.bind_parameters(code, code.functions());
        let mut hits = Vec::new();
        for m in OUTBOUND_SET.find_iter(&code.code) {
            if code.in_string(m.start())
                && !code.code[m.range()].contains('(')
                && !code.code[m.range()].contains('[')
            {
                continue;
            }
            let value = code.statement_from(m.end());
            let value_text = &code.code[value.clone()];
            if TRANSFORMS.is_match(value_text) {
                continue;
            }
            let how = if let Some(found) = INBOUND.find(value_text) {
                format!("`{}`", found.as_str())
            } else if let Some(var) = derived.mentioned(code, value.clone()) {
                format!("`{var}`, which holds the incoming credential")
            } else {
                continue;
            };
            hits.push(Hit::new(
                &META,
                m.start(),
                value.end,
                format!("the outbound `Authorization` header is set from {how}: the client's token is passed through to the upstream API"),
            ));
        }
        for m in FORWARD_ALL.find_iter(&code.code) {
            if code.in_string(m.start()) {
                continue;
            }
            hits.push(
                Hit::new(&META, m.start(), m.end(), "the incoming request headers, `Authorization` included, are forwarded to an upstream request")
                    .confidence(Confidence::Medium)
                    .severity(Severity::Medium),
            );
        }
        emit(&META, file, hits, OutsideProduction::CapAtLow, out);
    }
}
