//! `AS605` credentials-in-url: a URL with a password in its userinfo,
//! `scheme://user:password@host` — database, broker and cache connection strings,
//! registry and Git remotes, proxy URLs.

use std::sync::LazyLock;

use assay_core::{Confidence, Evidence, Example, Family, Finding, RuleMeta, Severity};
use memchr::memmem;

use super::candidate::{Candidate, Kind};
use super::entropy::shannon;
use super::placeholder::{has_marker_word, is_known_public, is_reference, looks_fake};
use super::report;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct CredentialsInUrl;

static META: RuleMeta = RuleMeta {
    id: "AS605",
    name: "credentials-in-url",
    title: "Password embedded in a URL",
    family: Family::Secrets,
    severity: Severity::High,
    cwe: &[798, 522],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds URLs whose userinfo carries a password (`postgres://app:s3cret@db/app`, \
        `redis://:pw@cache`, `https://user:pw@git.host/repo.git`). Templates \
        (`${PASS}`, `{password}`, `%s`), masks (`****`), placeholder passwords \
        (`password`, `changeme`, the user name repeated) and documentation hosts \
        (`example.com`, `.test`, `.invalid`) are ignored; loopback hosts lower the \
        confidence (usually a local development database).",
    why: "A connection string in the package gives every user of the MCP server the \
        server's own database, queue or repository access — often with write rights — and \
        such URLs leak further through logs, error messages and tool output the agent \
        reads.",
    remediation: "Rotate the password. Build the URL at run time from configuration \
        (`DATABASE_URL` from the environment, a secret manager) and keep only a \
        placeholder such as `postgres://user:password@localhost/db` in documentation.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "src/db.ts",
            concat!(
                "import { Pool } from \"pg\";\nexport const pool = new Pool({ connectionString: \"postgres://app:EtD",
                "bBjvhXYR1AKlWDm@db.internal:5432/app\" });\n"
            ),
        ),
        Example::flags(
            ".env",
            concat!(
                "REDIS_URL=redis://default:XPb",
                "MmDakARDsoI@cache.internal:6379/0\n"
            ),
        ),
        Example::flags(
            "worker/settings.py",
            concat!(
                "BROKER_URL = \"amqp://svc:EtD",
                "bBjvhXYR1AKlWDm@mq.internal:5672//\"\n"
            ),
        ),
        Example::allows(
            "src/db.ts",
            "const url = `postgres://${user}:${password}@${host}:5432/app`;\n",
        ),
        Example::allows(
            "worker/settings.py",
            "DSN = f\"postgresql://{user}:{password}@{host}/app\"\nDEFAULT = \"postgres://postgres:postgres@localhost:5432/postgres\"\n",
        ),
        Example::allows(
            "README.md",
            "Set `DATABASE_URL=postgres://user:password@localhost:5432/db` or `mongodb+srv://admin:****@cluster0.mongodb.net/app`, see https://app:hunter2hunter@db.example.com too.\n",
        ),
        Example::allows(
            "src/proxy.ts",
            "const proxy = \"http://proxy.internal:3128\";\nconst git = \"https://token@git.internal/repo.git\";\n",
        ),
    ],
};

impl Rule for CredentialsInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        report::check(&META, Kind::UrlCredential, file, out);
    }
}

/// Longest scheme and userinfo-plus-host looked at.
const MAX_SCHEME: usize = 32;
const MAX_AUTHORITY: usize = 512;

/// Passwords that only stand in for one (compared case-insensitively).
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "pw", "secret", "changeme", "admin", "root", "user",
    "guest", "test", "postgres", "mysql", "redis", "mongo", "rabbitmq", "foo", "bar", "token",
    "apikey", "api_key", "key", "default",
];

static SCHEME_SEPARATOR: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("://"));

/// Bytes that end the userinfo-and-host part of a URL in source text.
fn ends_authority(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'/' | b'?'
                | b'#'
                | b'"'
                | b'\''
                | b'`'
                | b'<'
                | b'>'
                | b'\\'
                | b'('
                | b')'
                | b'{'
                | b'}'
                | b','
                | b';'
                | b'|'
                | b'^'
        )
}

/// Every URL with a real-looking password in `text`.
pub(super) fn candidates(text: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for sep in SCHEME_SEPARATOR.find_iter(bytes) {
        let mut start = sep;
        while start > 0
            && sep - start < MAX_SCHEME
            && (bytes[start - 1].is_ascii_alphanumeric()
                || matches!(bytes[start - 1], b'+' | b'.' | b'-'))
        {
            start -= 1;
        }
        while start < sep && !bytes[start].is_ascii_alphabetic() {
            start += 1;
        }
        if sep - start < 2 {
            continue;
        }
        let authority_start = sep + 3;
        let len = bytes[authority_start..]
            .iter()
            .take(MAX_AUTHORITY)
            .take_while(|&&b| !ends_authority(b))
            .count();
        let authority = &text[authority_start..authority_start + len];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let (userinfo, host) = (&authority[..at], &authority[at + 1..]);
        let Some((user, password)) = userinfo.split_once(':') else {
            continue;
        };
        let hostname = host_name(host);
        if hostname.is_empty()
            || !hostname.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[')
            || host.contains(['$', '%', '*'])
            || !real_password(user, password)
            || is_documentation_host(hostname)
        {
            continue;
        }
        let password_start = authority_start + user.len() + 1;
        let scheme = &text[start..sep];
        let mut candidate = Candidate::new(
            password_start..password_start + password.len(),
            "Password",
            if password.len() >= 8 && shannon(password) >= 2.5 {
                Confidence::High
            } else {
                Confidence::Medium
            },
        );
        candidate.span = start..authority_start + len;
        candidate.subject = Some(format!("{scheme}://{user}:****@{host}"));
        if is_loopback(hostname) {
            candidate.confidence = Confidence::Low;
            candidate.notes.push(Evidence::new(
                "host",
                "loopback: probably a local development credential",
            ));
        }
        out.push(candidate);
    }
    out
}

/// `host` without its port.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |i| &host[..=i]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// RFC 2606 / RFC 6761 names and hosts that say they are examples.
fn is_documentation_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let in_domain = |d: &str| {
        host.strip_suffix(d)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    };
    [
        "example.com",
        "example.org",
        "example.net",
        "example",
        "test",
        "invalid",
    ]
    .iter()
    .any(|d| in_domain(d))
        || has_marker_word(&host)
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "[::1]"
        || host == "0.0.0.0"
}

/// True when `password` is a real password, not a template, mask or stand-in.
fn real_password(user: &str, password: &str) -> bool {
    !password.is_empty()
        && !password.starts_with(['$', '%', '{', '<', ':', '['])
        && !password.eq_ignore_ascii_case(user)
        && !PLACEHOLDER_PASSWORDS
            .iter()
            .any(|p| password.eq_ignore_ascii_case(p))
        && !is_reference(password)
        && !looks_fake(password)
        && !is_known_public(password)
}
