//! `AS703` plaintext-secret-in-config: API keys, tokens and passwords written into a
//! client configuration — in a server's `env`, its HTTP `headers` (`Authorization:
//! Bearer …`), its `args` or its URL — instead of referenced from the environment or an
//! input prompt.

use std::ops::Range;

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::config::Server;
use super::{for_each_server, server_finding};
use crate::container::finding::cap_confidence;
use crate::registry::{FileContext, Rule};
use crate::secrets::{ValueSecret, find_in_value, is_placeholder};
use crate::text::{redact, redact_in};

/// The rule.
pub struct PlaintextSecretInConfig;

static META: RuleMeta = RuleMeta {
    id: "AS703",
    name: "plaintext-secret-in-config",
    title: "Plaintext secret in an MCP client configuration",
    family: Family::ClientConfig,
    severity: Severity::High,
    cwe: &[798, 312],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds secrets, as the `AS6xx` detectors recognise them, in a configured \
        server's `env` values, HTTP `headers` (a literal `Bearer`/`Basic`/`token` \
        credential in `Authorization` included), `args` (`--api-key sk-…`) and URL \
        (passwords, token query parameters). References — `${env:VAR}`, `${input:id}`, \
        `${VAR}`, `$VAR` — and placeholders are fine. One finding per server, every \
        secret redacted.",
    why: "Client configurations are copied between machines, committed to repositories \
        (`.vscode/mcp.json`, `.cursor/mcp.json`, `.mcp.json`), pasted into issues and read \
        by other local tools and MCP servers with file access. A token written there is \
        readable by all of them.",
    remediation: "Rotate the secret. Reference it instead: `\"env\": {\"GITHUB_TOKEN\": \
        \"${env:GITHUB_TOKEN}\"}` or a VS Code `${input:…}` prompt with `\"password\": \
        true`, or let the server read it from the OS keychain.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://code.visualstudio.com/docs/copilot/customization/mcp-servers",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "claude_desktop_config.json",
            concat!(
                "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"],\n      \"env\": { \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"ghp_",
                "Zq8vN3kLm2Xw9Rt5hT7kQ2mW9xR4vBnLpZcY\" }\n    }\n  }\n}\n"
            ),
        ),
        Example::flags(
            ".vscode/mcp.json",
            concat!(
                "{\n  \"servers\": {\n    \"tickets\": {\n      \"type\": \"http\",\n      \"url\": \"https://mcp.tickets.test/mcp\",\n      \"headers\": { \"Authorization\": \"Bearer tfx",
                "cI9SkSX7ba8dOql2Wn\" }\n    }\n  }\n}\n"
            ),
        ),
        Example::flags(
            ".cursor/mcp.json",
            concat!(
                "{\n  \"mcpServers\": {\n    \"db\": {\n      \"command\": \"uvx\",\n      \"args\": [\"mcp-db==1.0.0\", \"--dsn\", \"postgres://app:EtD",
                "bBjvhXYR1AKlWDm@db.internal:5432/app\"]\n    }\n  }\n}\n"
            ),
        ),
        Example::allows(
            ".vscode/mcp.json",
            "{\n  \"inputs\": [{ \"type\": \"promptString\", \"id\": \"gh\", \"password\": true }],\n  \"servers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"],\n      \"env\": { \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${input:gh}\" }\n    }\n  }\n}\n",
        ),
        Example::allows(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"api\": {\n      \"command\": \"uvx\",\n      \"args\": [\"api-mcp==2.0.1\"],\n      \"env\": { \"API_KEY\": \"<your-api-key>\", \"LOG_LEVEL\": \"debug\", \"MAX_TOKENS\": \"4096\" }\n    }\n  }\n}\n",
        ),
        Example::allows(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"tickets\": {\n      \"url\": \"https://mcp.tickets.test/mcp\",\n      \"headers\": { \"Authorization\": \"Bearer ${env:TICKETS_TOKEN}\", \"X-Client\": \"cursor\" }\n    }\n  }\n}\n",
        ),
    ],
};

/// Authorization schemes whose credential follows a space.
const AUTH_SCHEMES: &[&str] = &["bearer", "basic", "token", "apikey", "api-key"];

/// One secret found in a server entry.
struct Hit {
    /// Where the value is (its JSON string).
    span: Range<usize>,
    /// Where it sits, for humans: `env GITHUB_TOKEN`.
    place: String,
    /// The secret itself.
    secret: String,
    /// The detector's verdict.
    found: ValueSecret,
}

impl Rule for PlaintextSecretInConfig {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        for_each_server(file, |server| {
            let hits = secrets_of(server);
            let Some(first) = hits.first() else {
                return;
            };
            let places: Vec<&str> = hits.iter().map(|h| h.place.as_str()).collect();
            let mut f = server_finding(
                &META,
                file,
                server,
                first.span.clone(),
                format!(
                    "Server `{}` has a plaintext secret in its configuration ({})",
                    server.name,
                    places.join(", ")
                ),
            );
            for hit in &hits {
                f.snippet = redact_in(&f.snippet, &hit.secret);
                f.evidence.push(Evidence::new(
                    hit.place.clone(),
                    format!("{} ({})", redact(&hit.secret), hit.found.detector),
                ));
            }
            cap_confidence(&mut f, first.found.confidence);
            out.push(f);
        });
    }
}

/// Every secret of `server`'s env, headers, args and URL.
fn secrets_of(server: &Server<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut judge = |place: String, name: &str, value: &str, span: Range<usize>| {
        if value.is_empty()
            || value.contains("${")
            || value.starts_with('$')
            || is_placeholder(value)
        {
            return;
        }
        if let Some(found) = find_in_value(name, value) {
            hits.push(Hit {
                span,
                place,
                secret: value[found.secret.clone()].to_string(),
                found,
            });
        }
    };
    for member in server.env() {
        if let Some(value) = member.value.as_str() {
            judge(
                format!("env {}", member.key),
                &member.key,
                value,
                member.value.span.clone(),
            );
        }
    }
    for member in server.headers() {
        let Some(value) = member.value.as_str() else {
            continue;
        };
        let place = format!("header {}", member.key);
        match value.split_once(' ') {
            Some((scheme, credential))
                if AUTH_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) =>
            {
                // The credential of an `Authorization` scheme is a token by definition.
                judge(place, "token", credential.trim(), member.value.span.clone());
            }
            _ => judge(place, &member.key, value, member.value.span.clone()),
        }
    }
    let argv = server.argv();
    for (i, word) in argv.iter().enumerate().skip(1) {
        let (name, value) = match word.text.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => {
                (flag.trim_start_matches('-').to_string(), value)
            }
            _ => {
                let previous = &argv[i - 1].text;
                let name = if previous.starts_with('-') {
                    previous.trim_start_matches('-')
                } else {
                    "value"
                };
                (name.to_string(), word.text.as_str())
            }
        };
        let place = if name == "value" {
            format!("argument {i}")
        } else {
            format!("argument --{name}")
        };
        judge(place, &name, value, word.span.clone());
    }
    if let Some(url) = server.url()
        && let Some(text) = url.as_str()
    {
        judge("url".into(), "url", text, url.span.clone());
    }
    hits
}
