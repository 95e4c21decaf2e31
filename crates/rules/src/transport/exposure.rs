//! What one file says about the MCP server's network exposure: the network transports it
//! sets up (TS SDK streamable HTTP and SSE, Python FastMCP and low-level transports, Go
//! mcp-go and the official SDK), the addresses it binds, whether it authenticates
//! requests and whether it validates the `Host`/`Origin` headers (DNS rebinding).
//!
//! Shared by `AS301` (bind-all without authentication), `AS302` (DNS rebinding) and
//! `AS303` (CORS on an MCP endpoint).

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::code_patterns::CodeText;
use crate::code_patterns::flow::Assignment;
use crate::lang::Language;

/// Words without which a file cannot set up an MCP network transport.
pub const TRANSPORT_KEYWORDS: &[&str] = &[
    "StreamableHTTPServerTransport",
    "SSEServerTransport",
    "httpStream",
    "createMcpExpressApp",
    "createMcpHonoApp",
    "createMcpFastifyApp",
    "\"sse\"",
    "'sse'",
    "transport=",
    "transport =",
    "streamable",
    "http_app",
    "SseServerTransport",
    "StreamableHTTPSessionManager",
    "NewStreamableHTTP",
    "NewSSE",
];

/// [`TRANSPORT_KEYWORDS`] as an automaton.
static TRANSPORT_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::text::keywords(TRANSPORT_KEYWORDS).expect("valid patterns"));

/// Cheap test: may the file set up an MCP network transport?
pub fn might_serve(language: Language, text: &str) -> bool {
    language != Language::Other && TRANSPORT_WORDS.is_match(text)
}

static TRANSPORT: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(
            r#"\b(?:WebStandard)?StreamableHTTPServerTransport\b|\bSSEServerTransport\b|transportType\s*:\s*['"](?:httpStream|sse|http-stream)['"]|\bcreateMcp(?:Express|Hono|Fastify)App\b"#,
        )
        .expect("valid regex"),
        Regex::new(
            r#"transport\s*=\s*['"](?:sse|streamable-http|streamable_http|http)['"]|\.(?:sse_app|streamable_http_app|http_app)\s*\(|\bSseServerTransport\s*\(|\bStreamableHTTPSessionManager\s*\(|\brun_(?:sse|streamable_http|http)_async\s*\("#,
        )
        .expect("valid regex"),
        Regex::new(r"\bNewStreamableHTTPServer\s*\(|\bNewSSEServer\s*\(|\bNewStreamableHTTPHandler\s*\(|\bNewSSEHandler\s*\(")
            .expect("valid regex"),
    ]
});

/// Inbound authentication: middleware, providers, header checks.
static AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)requireBearerAuth|bearerAuth|authMiddleware|\bauthenticate\b|\bpassport\.|expressjwt|express-jwt|jwt\.verify|jwtVerify|\bverify_?(?:access_?)?token\b|\bverifyAccessToken\b|headers\.authorization|headers\[\s*['"]authorization['"]\s*\]|header\(\s*['"]authorization['"]|\.get\(\s*['"](?:authorization|x-api-key|api-key)['"]|Header\.Get\(\s*"(?:Authorization|X-Api-Key)"|\bauth_server_provider\s*=|\btoken_verifier\s*=|BearerAuthProvider|JWTVerifier|RemoteAuthProvider|OAuthProxy|AuthenticationMiddleware|\bHTTPBearer\b|\bAPIKeyHeader\b|RequireBearerToken|\bWithAuth\w*|basicAuth|mcpAuthRouter|ProxyOAuthServerProvider|\bauthInfo\b|\.use\(\s*[\w.]*auth\w*|RequireAndVerifyClientCert"#,
    )
    .expect("valid regex")
});

/// Python `auth=<provider>` keyword (not `auth=None`).
static PY_AUTH_KWARG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bauth\s*=\s*([A-Za-z_][\w.]*)").expect("valid regex"));

/// Host/Origin validation (DNS-rebinding protection) turned on, or done by hand.
static HOST_VALIDATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"enableDnsRebindingProtection\s*:\s*true|\ballowedHosts\s*:\s*\[\s*['"]|\bhostHeaderValidation\s*\(|\blocalhostHostValidation\s*\(|\bvalidateHostHeader\s*\(|enable_dns_rebinding_protection\s*=\s*True|\bTrustedHostMiddleware\b|headers\.(?:host|origin)\b|headers\[\s*['"](?:host|origin)['"]\s*\]|\breq\.hostname\b|\.get\(\s*['"](?:host|origin)['"]|\br\.Host\b|Header\.Get\(\s*"(?:Origin|Host)"\s*\)|\bvalidate_?origin\b|\bcheck_?origin\b|\bisAllowedOrigin\b"#,
    )
    .expect("valid regex")
});

/// DNS-rebinding protection switched off explicitly.
static PROTECTION_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"enableDnsRebindingProtection\s*:\s*false|enable_dns_rebinding_protection\s*=\s*False|DisableLocalhostProtection\s*:\s*true",
    )
    .expect("valid regex")
});

/// SDK entry points that validate the Host header by default for loopback binds.
static PROTECTED_BY_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bcreateMcp(?:Express|Hono|Fastify)App\b|\bNewStreamableHTTPHandler\b|\bNewSSEHandler\b|\bmcp\.server\.fastmcp\b")
        .expect("valid regex")
});

/// Calls that bind a listening socket.
static BIND_CALL: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(r"\.listen\b|\.start\b").expect("valid regex"),
        Regex::new(
            r"\b(?:mcp|server|app)\.run\b|\buvicorn\.(?:run|Config)\b|\.run_(?:async|http_async|sse_async|streamable_http_async)\b|\bFastMCP\b|\bweb\.run_app\b",
        )
        .expect("valid regex"),
        Regex::new(r"\bListenAndServe(?:TLS)?\b|\.Start\b|\bnet\.Listen\b").expect("valid regex"),
    ]
});

/// Settings that pick the bind host outside a call (`FASTMCP_HOST`, `settings.host`,
/// Go `Addr:` fields).
static HOST_SETTING: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(r"FASTMCP_HOST\b[^\n]{0,40}?[:=]").expect("valid regex"),
        Regex::new(r#"FASTMCP_HOST['"]?\s*\]?\s*=|\bsettings\.host\s*="#).expect("valid regex"),
        Regex::new(r"\bAddr\s*:").expect("valid regex"),
    ]
});

fn for_lang<T>(items: &[T; 3], language: Language) -> &T {
    match language {
        Language::Python => &items[1],
        Language::Go => &items[2],
        _ => &items[0],
    }
}

/// Which interfaces a bind reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every interface: `0.0.0.0`, `::`, `":8080"`, or Node's default with no host.
    All,
    /// Loopback only.
    Loopback,
    /// A specific address or a value not known from the file.
    Other,
}

/// One bind of a listening socket.
#[derive(Debug, Clone)]
pub struct Bind {
    /// The call or setting.
    pub span: Range<usize>,
    /// Which interfaces it reaches.
    pub scope: Scope,
    /// True when the host is only a fallback an environment variable may override
    /// (`process.env.HOST || "0.0.0.0"`).
    pub overridable: bool,
    /// How the host was chosen, for messages.
    pub how: String,
}

/// Everything [`analyze`] learned about one file.
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    /// Where the file sets up an MCP network transport (first occurrence).
    pub transport: Option<Range<usize>>,
    /// Listening binds.
    pub binds: Vec<Bind>,
    /// First sign of inbound authentication.
    pub auth: Option<Range<usize>>,
    /// First sign of Host/Origin validation.
    pub host_validation: Option<Range<usize>>,
    /// Where DNS-rebinding protection is switched off explicitly.
    pub protection_off: Option<Range<usize>>,
    /// Where an SDK that protects loopback servers by default is used.
    pub protected_by_default: Option<Range<usize>>,
}

impl Exposure {
    /// The first bind reaching every interface.
    pub fn bind_all(&self) -> Option<&Bind> {
        self.binds.iter().find(|b| b.scope == Scope::All)
    }
}

/// Analyses one file (call only when [`might_serve`] holds).
pub fn analyze(code: &CodeText<'_>) -> Exposure {
    let text = code.code.as_str();
    let find = |re: &Regex| re.find(text).map(|m| m.range());
    let mut exposure = Exposure {
        // The callee, without the `(` some patterns end with.
        transport: find(for_lang(&TRANSPORT, code.language))
            .map(|r| code.trimmed(r.start..r.start + code.code[r].trim_end_matches('(').len())),
        ..Exposure::default()
    };
    if exposure.transport.is_none() {
        return exposure;
    }
    exposure.auth = find(&AUTH).or_else(|| {
        (code.language == Language::Python)
            .then(|| {
                PY_AUTH_KWARG
                    .captures_iter(text)
                    .find(|c| &c[1] != "None")
                    .map(|c| c.get(0).expect("match").range())
            })
            .flatten()
    });
    exposure.host_validation = find(&HOST_VALIDATION);
    exposure.protection_off = find(&PROTECTION_OFF);
    exposure.protected_by_default = find(&PROTECTED_BY_DEFAULT);
    let assigns = code.assignments();
    for m in for_lang(&BIND_CALL, code.language).find_iter(text) {
        if code.in_string(m.start()) {
            continue;
        }
        let Some(args) = code.call_args(m.end()) else {
            continue;
        };
        if let Some(bind) = classify_call(code, assigns, m.as_str(), m.start()..args.end + 1, args)
        {
            exposure.binds.push(bind);
        }
    }
    for m in for_lang(&HOST_SETTING, code.language).find_iter(text) {
        let value = code.statement_from(m.end());
        if let Some((scope, overridable)) = scope_of_value(code, assigns, value, m.start()) {
            exposure.binds.push(Bind {
                span: m.start()..m.end(),
                scope,
                overridable,
                how: if code.language == Language::Go {
                    "server address".to_string()
                } else {
                    "host setting".to_string()
                },
            });
        }
    }
    exposure
}

fn classify_call(
    code: &CodeText<'_>,
    assigns: &[Assignment],
    callee: &str,
    span: Range<usize>,
    args: Range<usize>,
) -> Option<Bind> {
    let parts = code.split_top_level(args.clone());
    let bind = |scope, overridable, how: &str| {
        Some(Bind {
            span: span.clone(),
            scope,
            overridable,
            how: how.to_string(),
        })
    };
    match code.language {
        Language::Python => {
            let defaults_to_all = callee.contains("run_app");
            match code.entry(args, "host") {
                Some(value) => {
                    let (scope, overridable) = scope_of_value(code, assigns, value, span.start)?;
                    bind(scope, overridable, "host argument")
                }
                None if defaults_to_all => bind(
                    Scope::All,
                    false,
                    "aiohttp's default host (every interface)",
                ),
                None => None,
            }
        }
        Language::Go => {
            let addr = if callee.starts_with("net.Listen") {
                parts.get(1)?.clone()
            } else {
                parts.first()?.clone()
            };
            let (scope, overridable) = scope_of_value(code, assigns, addr, span.start)?;
            bind(scope, overridable, "listen address")
        }
        _ => {
            let first = parts.first()?.clone();
            if code.code[first.clone()].starts_with('{') {
                // `listen({ port, host })` (Fastify, Hono) or FastMCP's
                // `start({ httpStream: { host } })`.
                let inner = code.group_inner(first.start);
                let inner = code
                    .entry(inner.clone(), "httpStream")
                    .filter(|v| code.code[v.clone()].starts_with('{'))
                    .map_or(inner, |v| code.group_inner(v.start));
                let value = code.entry(inner, "host")?;
                let (scope, overridable) = scope_of_value(code, assigns, value, span.start)?;
                return bind(scope, overridable, "host option");
            }
            if !callee.contains("listen") {
                return None;
            }
            match parts.get(1) {
                Some(host) if !is_callback(&code.code[host.clone()]) => {
                    let (scope, overridable) =
                        scope_of_value(code, assigns, host.clone(), span.start)?;
                    bind(scope, overridable, "host argument")
                }
                // `listen(port)` / `listen(port, () => …)`: Node binds every interface.
                _ => bind(
                    Scope::All,
                    false,
                    "no host argument (Node listens on every interface)",
                ),
            }
        }
    }
}

fn is_callback(arg: &str) -> bool {
    arg.starts_with("function")
        || arg.starts_with("async")
        || arg.starts_with('(')
        || arg.contains("=>")
}

/// The scope of a host or address expression, and whether the environment may override
/// it: a literal, a literal fallback of an environment lookup, or a variable assigned one
/// of those before `before`.
fn scope_of_value(
    code: &CodeText<'_>,
    assigns: &[Assignment],
    value: Range<usize>,
    before: usize,
) -> Option<(Scope, bool)> {
    resolve(code, assigns, value, before, 2)
}

fn resolve(
    code: &CodeText<'_>,
    assigns: &[Assignment],
    value: Range<usize>,
    before: usize,
    depth: usize,
) -> Option<(Scope, bool)> {
    let text = code.code[value.clone()].trim();
    if let Some(body) = code.literal(code.trimmed(value.clone())) {
        return Some((scope_of_address(body), false));
    }
    // `process.env.HOST || "0.0.0.0"`, `os.getenv("HOST", "0.0.0.0")`, `":" + port`,
    // `fmt.Sprintf(":%d", port)`: the literal decides, the environment may override.
    let literals: Vec<_> = code.strings_in(value.clone()).collect();
    if let (Some(first), Some(last)) = (literals.first(), literals.last()) {
        // With an environment lookup the last literal is the fallback
        // (`os.getenv("HOST", "0.0.0.0")`); otherwise the first one starts the address.
        let env = text.contains("env");
        let body = code.string_body(if env { last.clone() } else { first.clone() });
        let scope = if body.starts_with(':') {
            Scope::All
        } else {
            scope_of_address(body)
        };
        return Some((scope, env));
    }
    // A variable: follow its last assignment before the use.
    if depth == 0
        || !text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    let assignment = assigns
        .iter()
        .rev()
        .find(|a| a.at < before && a.names.iter().any(|n| n == text))?;
    resolve(
        code,
        assigns,
        assignment.rhs.clone(),
        assignment.at,
        depth - 1,
    )
}

/// The scope of a literal host or `host:port` address.
pub fn scope_of_address(address: &str) -> Scope {
    let host = address
        .trim()
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    let host = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else if host.matches(':').count() > 1 {
        host
    } else {
        host.split(':').next().unwrap_or("")
    };
    match host {
        "" | "0.0.0.0" | "::" | "*" => Scope::All,
        "localhost" | "::1" => Scope::Loopback,
        h if h.starts_with("127.") => Scope::Loopback,
        _ => Scope::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exposure(src: &str, lang: Language) -> Exposure {
        analyze(&CodeText::new(src, lang).expect("code"))
    }

    #[test]
    fn addresses() {
        assert_eq!(scope_of_address(":8080"), Scope::All);
        assert_eq!(scope_of_address("0.0.0.0:3000"), Scope::All);
        assert_eq!(scope_of_address("[::]:80"), Scope::All);
        assert_eq!(scope_of_address("127.0.0.1:8080"), Scope::Loopback);
        assert_eq!(scope_of_address("localhost"), Scope::Loopback);
        assert_eq!(scope_of_address("[::1]:9"), Scope::Loopback);
        assert_eq!(scope_of_address("10.0.0.5"), Scope::Other);
    }

    #[test]
    fn node_listen_binds() {
        let e = exposure(
            "const t = new StreamableHTTPServerTransport({});\napp.listen(3000, () => {});\n",
            Language::TypeScript,
        );
        assert_eq!(e.bind_all().map(|b| b.overridable), Some(false));
        let e = exposure(
            "const t = new SSEServerTransport('/m', res);\nconst HOST = process.env.HOST || '127.0.0.1';\napp.listen(PORT, HOST);\n",
            Language::TypeScript,
        );
        assert_eq!(e.binds[0].scope, Scope::Loopback);
    }

    #[test]
    fn python_and_go_binds() {
        let e = exposure(
            "mcp = FastMCP('x')\nmcp.run(transport=\"sse\", host=\"0.0.0.0\", port=8000)\n",
            Language::Python,
        );
        assert!(e.bind_all().is_some());
        let e = exposure(
            "s := server.NewStreamableHTTPServer(m)\naddr := \":\" + port\ns.Start(addr)\n",
            Language::Go,
        );
        assert!(e.bind_all().is_some());
        let e = exposure(
            "h := mcp.NewStreamableHTTPHandler(f, nil)\nhttp.ListenAndServe(\"127.0.0.1:8080\", h)\n",
            Language::Go,
        );
        assert!(e.bind_all().is_none() && e.protected_by_default.is_some());
    }
}
