//! `AS304` tls-verification-disabled: HTTPS clients or TLS settings that accept any
//! certificate (`rejectUnauthorized: false`, `verify=False`, `InsecureSkipVerify: true`…).

use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::lang::Language;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: "AS304",
    name: "tls-verification-disabled",
    title: "TLS certificate verification disabled",
    family: Family::Transport,
    severity: Severity::Medium,
    cwe: &[295],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds code that turns certificate verification off: `rejectUnauthorized: \
        false` (Node `https`/`tls` options, `https.Agent`), `NODE_TLS_REJECT_UNAUTHORIZED` \
        set to `0`, `strictSSL: false`, `verify=False` on requests/httpx calls and clients, \
        aiohttp `ssl=False`, `ssl._create_unverified_context`, `CERT_NONE`, \
        `check_hostname = False`, Go `InsecureSkipVerify: true`. Only literal `false`/\
        `0` values count: configuration-driven settings (`verify=settings.verify`) are left \
        alone. A setting applied only when an `insecure`/`skip-verify`/development flag is \
        set is reported with low severity and medium confidence; tests and examples with \
        low confidence.",
    why: "Without certificate checks anyone on the network path (public Wi-Fi, a \
        compromised router, a proxy) can impersonate the upstream API: read the API keys \
        and tokens the server sends, and feed the agent forged responses that then steer \
        its next actions.",
    remediation: "Leave verification on. For private CAs, pass the CA bundle (`ca:` in \
        Node, `verify=\"/path/ca.pem\"` in Python, `RootCAs` in Go) instead of disabling \
        checks. If an opt-out is needed for development, make it an explicit, \
        off-by-default flag.",
    references: &[
        "https://cwe.mitre.org/data/definitions/295.html",
        "https://nodejs.org/api/tls.html#tlsconnectoptions-callback",
        "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
    ],
    examples: &[
        Example::flags(
            "src/client.ts",
            "import https from \"node:https\";\n\nconst agent = new https.Agent({ rejectUnauthorized: false });\n\nexport async function getIssues(token: string) {\n  return fetch(\"https://jira.internal/rest/api/2/search\", { agent, headers: { Authorization: `Bearer ${token}` } });\n}\n",
        ),
        Example::flags(
            "server.py",
            "import requests\n\ndef fetch_status(url: str) -> dict:\n    resp = requests.get(url, timeout=10, verify=False)\n    return resp.json()\n",
        ),
        Example::flags(
            "client.go",
            "package client\n\nimport (\n\t\"crypto/tls\"\n\t\"net/http\"\n)\n\nvar Client = &http.Client{Transport: &http.Transport{\n\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},\n}}\n",
        ),
        Example::flags(
            "index.js",
            "process.env.NODE_TLS_REJECT_UNAUTHORIZED = \"0\";\nconst { McpServer } = require(\"@modelcontextprotocol/sdk/server/mcp.js\");\n",
        ),
        Example::allows(
            "server.py",
            "import httpx\nfrom .config import settings\n\nclient = httpx.Client(verify=settings.verify_tls, timeout=10)\n",
        ),
        Example::allows(
            "src/client.ts",
            "import https from \"node:https\";\nimport { readFileSync } from \"node:fs\";\n\n// Never use rejectUnauthorized: false here; trust the internal CA instead.\nconst agent = new https.Agent({ ca: readFileSync(\"/etc/ssl/internal-ca.pem\") });\n",
        ),
        Example::allows(
            "client.go",
            "package client\n\nimport \"crypto/tls\"\n\nvar Config = &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS12}\n",
        ),
        Example::allows(
            "src/api.py",
            "import requests\n\ndef get(url):\n    return requests.get(url, verify=True, timeout=5)\n",
        ),
    ],
};

/// Words without which this rule cannot fire: the driver calls it only on files that
/// contain one.
const KEYWORDS: &[&str] = &[
    "rejectUnauthorized",
    "REJECT_UNAUTHORIZED",
    "strictSSL",
    "verify",
    "TCPConnector",
    "_create_unverified_context",
    "CERT_NONE",
    "check_hostname",
    "InsecureSkipVerify",
];

/// One way of switching verification off, per language.
struct Pattern {
    regex: Regex,
    js: bool,
    python: bool,
    go: bool,
    what: &'static str,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |re: &str, langs: &str, what: &'static str| Pattern {
        regex: Regex::new(re).expect("valid regex"),
        js: langs.contains('j'),
        python: langs.contains('p'),
        go: langs.contains('g'),
        what,
    };
    vec![
        p(
            r#"\brejectUnauthorized['"]?\s*[:=]\s*(?:false|0)\b"#,
            "j",
            "`rejectUnauthorized: false` accepts any certificate",
        ),
        p(
            r#"NODE_TLS_REJECT_UNAUTHORIZED['"]?\s*\]?\s*[:=]\s*['"]?0"#,
            "jpg",
            "`NODE_TLS_REJECT_UNAUTHORIZED=0` disables certificate checks for the whole process",
        ),
        p(
            r#"\bstrictSSL['"]?\s*:\s*false\b"#,
            "j",
            "`strictSSL: false` accepts any certificate",
        ),
        p(
            r"\bverify\s*=\s*False\b",
            "p",
            "`verify=False` accepts any certificate",
        ),
        p(
            r"\bTCPConnector\([^)]*\bssl\s*=\s*False\b",
            "p",
            "aiohttp `ssl=False` turns certificate checks off",
        ),
        p(
            r"\bssl\._create_unverified_context\b",
            "p",
            "an unverified SSL context accepts any certificate",
        ),
        p(
            r"\b(?:verify_mode|cert_reqs)\s*=\s*(?:ssl\.)?CERT_NONE\b",
            "p",
            "`CERT_NONE` accepts any certificate",
        ),
        p(
            r"\bcheck_hostname\s*=\s*False\b",
            "p",
            "`check_hostname = False` accepts certificates for any host",
        ),
        p(
            r"\bInsecureSkipVerify\s*[:=]\s*true\b",
            "g",
            "`InsecureSkipVerify: true` accepts any certificate",
        ),
    ]
});

/// `verify=False` of things other than TLS (JWT signature checks are another problem).
static NOT_TLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bjwt\b|\bdecode\(|\bjws\b").expect("valid regex"));

/// An opt-in flag guarding the setting.
static OPT_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:if|when|unless)\b[^\n]*(?:insecure|skip_?verify|no_?verify|allow_?self_?signed|self_?signed|development|NODE_ENV|debug|dev_?mode)|(?:insecure|skip_?verify|no_?verify|allow_?self_?signed)\w*\s*(?:\?|&&|\bif\b)")
        .expect("valid regex")
});

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        KEYWORDS.to_vec()
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(code) = file.code() else {
            return;
        };
        let mut hits = Vec::new();
        for pattern in PATTERNS.iter() {
            let applies = match code.language {
                Language::Python => pattern.python,
                Language::Go => pattern.go,
                _ => pattern.js,
            };
            if !applies {
                continue;
            }
            for m in pattern.regex.find_iter(&code.code) {
                let line = code.line_start(m.start())..code.line_end(m.end());
                if code.in_string(m.start()) || NOT_TLS.is_match(&code.code[line]) {
                    continue;
                }
                let guard = code.lines_before(m.start(), 3)..code.line_end(m.end());
                let hit = Hit::new(&META, m.start(), m.end(), pattern.what);
                hits.push(if OPT_IN.is_match(&code.code[guard]) {
                    Hit {
                        message: format!(
                            "{} when an insecure/development option is set",
                            pattern.what
                        ),
                        ..hit.severity(Severity::Low).confidence(Confidence::Medium)
                    }
                } else {
                    hit
                });
            }
        }
        emit(&META, file, hits, OutsideProduction::CapAtLow, out);
    }
}
