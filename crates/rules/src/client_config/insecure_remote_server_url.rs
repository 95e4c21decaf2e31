//! `AS705` insecure-remote-server-url: a remote MCP server reached over plain `http://`
//! (or `ws://`) to a non-loopback host, or by a bare IP address — in the server's `url`
//! or in the URL argument of a local bridge such as `mcp-remote`.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::{for_each_server, server_finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct InsecureRemoteServerUrl;

static META: RuleMeta = RuleMeta {
    id: "AS705",
    name: "insecure-remote-server-url",
    title: "Remote MCP server reached without TLS or by IP address",
    family: Family::ClientConfig,
    severity: Severity::Medium,
    cwe: &[319, 297],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds remote server URLs (`url`, `serverUrl`, `httpUrl`, and `http(s)://` / \
        `ws(s)://` arguments of bridges like `mcp-remote`) that use plain `http://` or \
        `ws://` to a host other than loopback — high for public hosts, medium for private \
        addresses and `.local`/`.internal` names — and `https://` URLs to a bare IP \
        address (low: the certificate can hardly be verified by name).",
    why: "Everything the agent sends the server — tool arguments, file contents, the \
        bearer token in the headers — crosses the network in clear text, and a network \
        attacker can rewrite tool descriptions and results in flight (tool poisoning \
        without touching the server).",
    remediation: "Use `https://` with a certificate for the server's host name. For a \
        server on the same machine use `http://localhost` or `127.0.0.1`; for one on the \
        LAN put it behind TLS (a reverse proxy) or tunnel it over SSH.",
    references: &[
        "https://cwe.mitre.org/data/definitions/319.html",
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/transports",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"crm\": { \"url\": \"http://mcp.crm-tools.test/sse\" }\n  }\n}\n",
        ),
        Example::flags(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"lab\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"mcp-remote@0.1.16\", \"http://192.168.1.40:8000/mcp\", \"--allow-http\"]\n    }\n  }\n}\n",
        ),
        Example::flags(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"edge\": { \"type\": \"http\", \"url\": \"https://203.0.113.7/mcp\" }\n  }\n}\n",
        ),
        Example::allows(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"crm\": { \"url\": \"https://mcp.crm-tools.test/sse\" }\n  }\n}\n",
        ),
        Example::allows(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"dev\": { \"type\": \"http\", \"url\": \"http://localhost:3000/mcp\" },\n    \"dev6\": { \"type\": \"sse\", \"url\": \"http://[::1]:8080/sse\" }\n  }\n}\n",
        ),
        Example::allows(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"docs\": { \"command\": \"uvx\", \"args\": [\"docs-mcp==1.0.0\", \"--source\", \"https://docs.tools.test\"] }\n  }\n}\n",
        ),
    ],
};

impl Rule for InsecureRemoteServerUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        for_each_server(file, |server| {
            let mut urls: Vec<(String, std::ops::Range<usize>)> = Vec::new();
            if let Some(url) = server.url()
                && let Some(text) = url.as_str()
            {
                urls.push((text.to_string(), url.span.clone()));
            }
            for word in server.argv().into_iter().skip(1) {
                let text = word
                    .text
                    .split_once('=')
                    .filter(|(f, _)| f.starts_with('-'))
                    .map_or(word.text.as_str(), |(_, v)| v);
                if text.contains("://") {
                    urls.push((text.to_string(), word.span.clone()));
                }
            }
            let Some((url, span, severity, why)) = urls
                .into_iter()
                .find_map(|(url, span)| judge(&url).map(|(s, w)| (url, span, s, w)))
            else {
                return;
            };
            let mut f = server_finding(
                &META,
                file,
                server,
                span,
                format!("Server `{}` is reached at `{url}`: {why}", server.name),
            );
            f.severity = severity;
            f.evidence.push(Evidence::new("url", url));
            out.push(f);
        });
    }
}

/// How risky a server URL is, if it is.
fn judge(url: &str) -> Option<(Severity, &'static str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .split_once(']')
            .map_or(host_port, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    }
    .to_ascii_lowercase();
    if host.is_empty() || host.contains(['$', '{', '<']) || is_loopback(&host) {
        return None;
    }
    match scheme.as_str() {
        "http" | "ws" if is_private(&host) => Some((
            Severity::Medium,
            "plain-text transport on the local network: anyone on it can read and rewrite the traffic",
        )),
        "http" | "ws" => Some((
            Severity::High,
            "plain-text transport over the internet: tool calls, results and tokens can be read and rewritten",
        )),
        "https" | "wss" if is_ip(&host) => Some((
            Severity::Low,
            "TLS to a bare IP address: the certificate cannot be checked against a host name",
        )),
        _ => None,
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || host == "host.docker.internal"
}

fn ipv4(host: &str) -> Option<[u8; 4]> {
    let parts: Vec<u8> = host
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

fn is_ip(host: &str) -> bool {
    ipv4(host).is_some() || host.contains(':')
}

/// Private, link-local and shared address space, and local-only names.
fn is_private(host: &str) -> bool {
    if let Some([a, b, ..]) = ipv4(host) {
        return a == 10
            || (a == 172 && (16..32).contains(&b))
            || (a == 192 && b == 168)
            || (a == 169 && b == 254)
            || (a == 100 && (64..128).contains(&b));
    }
    host.starts_with("fd") && host.contains(':')
        || host.starts_with("fe80:")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host.ends_with(".lan")
        || host.ends_with(".home.arpa")
        || !host.contains('.') && !host.contains(':')
}
