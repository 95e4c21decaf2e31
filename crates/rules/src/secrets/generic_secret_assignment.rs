//! `AS604` generic-secret-assignment: a literal, random-looking value assigned to a name
//! that says it is a secret (`password`, `client_secret`, `API_KEY`, `authToken`, …) in
//! code, configuration or `.env` files.
//!
//! The name is split into words (`snake_case`, `camelCase`, `kebab-case`, dotted paths)
//! and must end in a secret word — `password`, `secret`, `token`, `credential`, `auth`,
//! or `key` qualified by `api`, `access`, `private`, … — optionally followed by neutral
//! words (`_value`, `_b64`). `tokenUrl`, `secretName`, `max_tokens`, `public_key` and
//! `next_page_token` are not secret names. Only quoted values count, except in
//! configuration formats (`.env`, YAML, TOML, INI, shell, …) where bare values do.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};

use super::candidate::{Candidate, Kind};
use super::entropy::shannon;
use super::placeholder::{is_known_public, is_reference, looks_fake};
use super::report;
use crate::lang::Language;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct GenericSecretAssignment;

static META: RuleMeta = RuleMeta {
    id: "AS604",
    name: "generic-secret-assignment",
    title: "Hard-coded secret assigned to a secret-named variable",
    family: Family::Secrets,
    severity: Severity::Medium,
    cwe: &[798, 259],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds literal values assigned to secret-named variables, keys and fields \
        (`password = \"…\"`, `\"client_secret\": \"…\"`, `API_KEY=…` in `.env`) when the \
        value looks random: at least 8 characters, two character classes, enough entropy, \
        and not a reference (`process.env.X`, `os.environ[...]`, `${VAR}`, `<your-token>`), \
        a placeholder (`changeme`, `xxxx`, `****`, repeated or sequential characters), a \
        type name, an identifier, a path or a URL. Values in a provider's own format are \
        reported by AS601 instead, JWTs by AS603, URLs by AS605. Confidence is medium: \
        the value's meaning is inferred from its name.",
    why: "A password, signing secret or API key in the package is readable by everyone who \
        installs it. For an MCP server that typically means its database, its upstream API \
        account or its session signing are open to any user of the package.",
    remediation: "Rotate the secret, then read it at run time from the environment or a \
        secret manager. Keep a `.env.example` with placeholders and the real `.env` out of \
        version control and out of the published package.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://cwe.mitre.org/data/definitions/259.html",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "src/db.ts",
            concat!(
                "export const pool = new Pool({\n  host: \"db.internal\",\n  user: \"app\",\n  password: \"tfx",
                "cI9SkSX7ba8dO%l\",\n});\n"
            ),
        ),
        Example::flags(
            ".env",
            concat!("PORT=8080\nSESSION_SECRET=P1V", "R153EE2iZZMTsjeHv3UdW\n"),
        ),
        Example::flags(
            "app/settings.py",
            concat!("DEBUG = False\nSECRET_KEY = '1bE", "1ooeONLKmjbPM'\n"),
        ),
        Example::flags(
            "cmd/server/main.go",
            concat!(
                "package main\n\nfunc main() {\n\tapiKey := \"P1V",
                "R153EE2iZZMTsjeHv3UdW\"\n\trun(apiKey)\n}\n"
            ),
        ),
        Example::allows(
            "src/db.ts",
            "export const pool = new Pool({ password: process.env.DB_PASSWORD });\nconst token = getToken();\ninterface Creds { apiKey: string; password?: string }\n",
        ),
        Example::allows(
            "app/settings.py",
            "SECRET_KEY = os.environ[\"SECRET_KEY\"]\nPASSWORD_FIELD = \"password-input\"\ntoken_type = \"Bearer\"\nmax_tokens = 4096\n",
        ),
        Example::allows(
            "config.yaml",
            "db:\n  password: ${DB_PASSWORD}\n  api_key: <your-api-key>\n  token: xxxxxxxxxxxx\n  secret: \"\"\n",
        ),
        Example::allows(
            "src/i18n.ts",
            "export const en = { passwordLabel: \"Enter your password\", tokenExpired: \"auth.token.expired\", secretName: \"my-app-secret\" };\n",
        ),
        Example::allows(
            ".env",
            "DB_PASSWORD=changeme\nAPI_TOKEN=your_api_token_here\nJWT_SECRET=${JWT_SECRET}\n",
        ),
    ],
};

impl Rule for GenericSecretAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        report::check(&META, Kind::Generic, file, out);
    }
}

/// Fragments of secret names: the prefilter.
const KEYWORDS: &[&str] = &[
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "credential",
    "auth",
];

/// Words that make a name a secret's name on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "auth",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "masterkey",
    "authtoken",
    "accesstoken",
    "refreshtoken",
    "clientsecret",
];

/// Words that make a following `key` a secret key (`api_key`, `signingKey`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "auth",
    "client",
    "signing",
    "encryption",
    "master",
    "service",
    "app",
    "account",
    "admin",
    "session",
];

/// Words before `token` that make it a non-secret: pagination and change-tracking
/// cursors, idempotency and request ids, CSRF form fields, limits.
const NON_SECRET_TOKEN_QUALIFIERS: &[&str] = &[
    "next",
    "page",
    "pagination",
    "continuation",
    "forward",
    "backward",
    "marker",
    "cancel",
    "cancellation",
    "csrf",
    "xsrf",
    "sync",
    "max",
    "min",
    "change",
    "update",
    "lock",
    "client",
    "request",
    "idempotency",
    "verification",
    "input",
    "output",
];

/// Words that may follow the secret word without changing what the name holds.
const NEUTRAL_SUFFIXES: &[&str] = &[
    "value",
    "str",
    "string",
    "b64",
    "base64",
    "hex",
    "raw",
    "plain",
    "plaintext",
    "encoded",
    "base",
    "bytes",
    "prod",
    "production",
    "live",
];

/// Substrings (any case) of values that are placeholders or default passwords rather
/// than secrets: `Password123`, `mysecret`, `admin1234`.
const WEAK_MARKERS: &[&str] = &[
    "password", "passwd", "pass", "secret", "admin", "changeit", "letmein", "token", "apikey",
];

/// Longest identifier and value looked at.
const MAX_NAME: usize = 64;
const MAX_VALUE: usize = 200;
/// Shortest value taken for a secret.
const MIN_VALUE: usize = 8;

static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(KEYWORDS)
        .expect("keywords form a valid automaton")
});

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Every secret-named assignment of a plausible secret in `text`.
pub(super) fn candidates(text: &str, path: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let language = Language::from_path(path);
    let unquoted_values = takes_unquoted_values(path);
    let mut out = Vec::new();
    let mut resume = 0;
    for hit in PREFILTER.find_iter(text) {
        if hit.start() < resume {
            continue;
        }
        let mut left = hit.start();
        while left > 0 && is_name_byte(bytes[left - 1]) && hit.start() - left < MAX_NAME {
            left -= 1;
        }
        let mut right = hit.end();
        while right < bytes.len() && is_name_byte(bytes[right]) && right - hit.end() < MAX_NAME {
            right += 1;
        }
        resume = right;
        while left < right && matches!(bytes[left], b'-' | b'.') {
            left += 1;
        }
        let name = &text[left..right];
        if !is_secret_name(name) {
            continue;
        }
        let Some(value) = assigned_value(text, left, right, language, unquoted_values) else {
            continue;
        };
        resume = value.end;
        if !plausible_secret(&text[value.clone()]) {
            continue;
        }
        let mut candidate = Candidate::new(value.clone(), "Secret value", Confidence::Medium);
        candidate.span = left..value.end;
        candidate.subject = Some(name.to_string());
        out.push(candidate);
    }
    out
}

/// Configuration formats where a bare value is a value: `.env` files, YAML, TOML, INI,
/// properties, shell scripts, Dockerfiles, `.npmrc`/`.pypirc`/`.netrc`, Terraform
/// variables. Elsewhere (code, JSON, prose) only quoted literals count.
fn takes_unquoted_values(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    name.starts_with(".env")
        || name == "dockerfile"
        || matches!(
            ext,
            "env"
                | "yaml"
                | "yml"
                | "toml"
                | "ini"
                | "cfg"
                | "conf"
                | "properties"
                | "sh"
                | "bash"
                | "zsh"
                | "dockerfile"
                | "npmrc"
                | "pypirc"
                | "netrc"
                | "envrc"
                | "tfvars"
        )
}

/// Splits an identifier into lowercase words: `DB_PASSWORD` → `db`, `password`;
/// `clientSecretValue` → `client`, `secret`, `value`; `APIKey` → `api`, `key`.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when `name` says it holds a secret (see the module docs).
pub(super) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let secret_at = words.iter().enumerate().rev().find_map(|(i, word)| {
        let prev = i.checked_sub(1).map(|p| words[p].as_str());
        let secret = match word.as_str() {
            "key" => prev.is_some_and(|p| KEY_QUALIFIERS.contains(&p)),
            "token" => !prev.is_some_and(|p| NON_SECRET_TOKEN_QUALIFIERS.contains(&p)),
            w => SECRET_WORDS.contains(&w),
        };
        secret.then_some(i)
    });
    secret_at.is_some_and(|i| {
        words[i + 1..]
            .iter()
            .all(|w| NEUTRAL_SUFFIXES.contains(&w.as_str()))
    })
}

/// The byte range of the literal assigned to the name at `left..right`, if any.
fn assigned_value(
    text: &str,
    left: usize,
    right: usize,
    language: Language,
    unquoted_values: bool,
) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut at = right;
    // A quoted key: `"password": …`, `['password'] = …`.
    if left > 0
        && matches!(bytes[left - 1], b'"' | b'\'')
        && bytes.get(at) == Some(&bytes[left - 1])
    {
        at += 1;
    }
    if bytes.get(at) == Some(&b']') {
        at += 1;
    }
    // TypeScript optional field: `password?: …`.
    if bytes.get(at) == Some(&b'?') {
        at += 1;
    }
    at = skip_blanks(bytes, at);
    at = operator_end(bytes, at)?;
    at = skip_blanks(bytes, at);
    if language != Language::Other && bytes.get(right..at).is_some_and(|op| op.contains(&b':')) {
        // A type annotation: `password: str = "…"`; without `= …` there is no value.
        if bytes.get(at).is_some_and(|b| b.is_ascii_alphabetic()) {
            let type_end = at
                + bytes[at..]
                    .iter()
                    .take_while(|&&b| is_name_byte(b) || matches!(b, b'[' | b']' | b'|' | b' '))
                    .count();
            at = operator_end(bytes, skip_blanks(bytes, type_end))
                .filter(|&end| bytes[end - 1] == b'=')?;
            at = skip_blanks(bytes, at);
        }
    }
    // Python string prefixes: r"…", b'…'.
    if bytes
        .get(at)
        .is_some_and(|b| matches!(b, b'r' | b'b' | b'u' | b'R' | b'B' | b'U'))
        && bytes.get(at + 1).is_some_and(|b| matches!(b, b'"' | b'\''))
    {
        at += 1;
    }
    match bytes.get(at)? {
        quote @ (b'"' | b'\'' | b'`') => {
            let value = quoted(bytes, at + 1, *quote)?;
            // `"user:" + password`, `"%s" % x`, `"abc".encode()`: part of an expression.
            let next = skip_blanks(bytes, value.end + 1);
            (!matches!(bytes.get(next), Some(b'+' | b'%' | b'*' | b'.'))).then_some(value)
        }
        _ if unquoted_values => {
            let len = bytes[at..]
                .iter()
                .take(MAX_VALUE + 1)
                .take_while(|&&b| {
                    !b.is_ascii_whitespace()
                        && !matches!(b, b',' | b';' | b'}' | b']' | b')' | b'"' | b'\'' | b'`')
                })
                .count();
            (len > 0 && len <= MAX_VALUE).then_some(at..at + len)
        }
        _ => None,
    }
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// The end of an assignment operator at `at`: `=`, `:=`, `:`, `=>` (not `==`, `::`).
fn operator_end(bytes: &[u8], at: usize) -> Option<usize> {
    match (bytes.get(at)?, bytes.get(at + 1)) {
        (b'=', Some(b'>')) => Some(at + 2),
        (b'=', Some(b'=')) => None,
        (b'=', _) => Some(at + 1),
        (b':', Some(b'=')) => Some(at + 2),
        (b':', Some(b':')) => None,
        (b':', _) => Some(at + 1),
        _ => None,
    }
}

/// The content of the string literal opening at `start` (just past the quote), if it
/// closes on the same line within [`MAX_VALUE`] bytes.
fn quoted(bytes: &[u8], start: usize, quote: u8) -> Option<Range<usize>> {
    let mut i = start;
    while i < bytes.len() && i - start <= MAX_VALUE {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b if b == quote => return Some(start..i),
            _ => i += 1,
        }
    }
    None
}

/// True when `value` looks like a real secret rather than a placeholder, reference,
/// type, identifier, word, path or URL.
fn plausible_secret(value: &str) -> bool {
    let len = value.chars().count();
    if !(MIN_VALUE..=MAX_VALUE).contains(&len)
        || value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        || value.contains("://")
        || value.starts_with(['/', '~', '.', '-', '#'])
        || value.starts_with("arn:")
        || is_uuid(value)
        || looks_fake(value)
        || is_reference(value)
        || is_known_public(value)
        || is_env_var_name(value)
        || is_wordlike(value)
        || is_relative_file_path(value)
    {
        return false;
    }
    let plain = unleet(value);
    if WEAK_MARKERS.iter().any(|m| plain.contains(m)) {
        return false;
    }
    let classes = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
        value.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&c| c)
    .count();
    // Eight distinct characters give at most 3 bits; ask for 90% of what the length
    // allows, capped at 3.0.
    let floor = (f64::from(u32::try_from(len).unwrap_or(u32::MAX)).log2() * 0.9).min(3.0);
    classes >= 2 && shannon(value) >= floor
}

/// `value` in lower case with common letter substitutions undone (`P@55w0rd` →
/// `password`), to spot default passwords dressed up.
fn unleet(value: &str) -> String {
    value
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .collect()
}

/// `dist/index.js`, `bin/server.py`: a relative path to a file (slash-separated segments
/// of name characters, the last with a short extension). Base64 secrets contain `/` but
/// do not end in `.ext` after name-like segments.
fn is_relative_file_path(value: &str) -> bool {
    let Some((dirs, file)) = value.rsplit_once('/') else {
        return false;
    };
    let name_chars = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
    };
    let has_extension = file.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    has_extension && name_chars(file) && dirs.split('/').all(name_chars)
}

/// A canonical UUID: request, idempotency and resource ids, not secrets (provider keys
/// in UUID form are matched by their provider's detector, with context).
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `GITHUB_TOKEN`, `DB_PASSWORD`: the name of an environment variable, not its value.
fn is_env_var_name(value: &str) -> bool {
    value.contains('_')
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Letters (and `.`, `_`, `-`, `:`) only, in words of 3.5 letters or more on average:
/// identifiers and phrases such as `my-app-secret`, `passwordInputField`,
/// `AWSAccessKeyId`, `serverlessrepo:applicationId`. Random letters split into far
/// shorter case-change "words".
fn is_wordlike(value: &str) -> bool {
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'.' | b'_' | b'-' | b':'))
    {
        return false;
    }
    let words = words(value);
    let letters: usize = words.iter().map(String::len).sum();
    !words.is_empty() && letters * 2 >= words.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_file_paths_are_not_secrets() {
        assert!(is_relative_file_path("dist/index.js"));
        assert!(is_relative_file_path("src/bin/server-main.py"));
        assert!(!is_relative_file_path("aB3/xY9+kL2mN8pQ"));
        assert!(!is_relative_file_path("index.js"));
        assert!(!is_relative_file_path("ab/cd/"));
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("clientSecretValue"), ["client", "secret", "value"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("config.auth-token"), ["config", "auth", "token"]);
    }

    #[test]
    fn secret_names_are_recognised() {
        for name in [
            "password",
            "DB_PASSWORD",
            "apiKey",
            "api_key",
            "API-KEY",
            "client_secret",
            "authToken",
            "GITHUB_TOKEN",
            "secret_key_base",
            "_authToken",
            "privateKey",
            "config.db.password",
            "APIKEY",
            "refresh_token",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "tokenUrl",
            "token_type",
            "secretName",
            "max_tokens",
            "public_key",
            "next_page_token",
            "keyboard",
            "monkey",
            "author",
            "passwordField",
            "bypass",
            "csrf_token",
            "key",
            "tokenizer",
            "hashKey",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn values_are_judged() {
        for value in [
            "Zq8vN3kLm2Xw9Rt5",
            "hT7k-Q2mW_9xR4vB",
            "a8f3c1e9d2b7",
            "hTkQmWxRvBnLpZcYjFgDsA",
        ] {
            assert!(plausible_secret(value), "{value}");
        }
        for value in [
            "changeme",
            "password-input",
            "Bearer",
            "GITHUB_TOKEN",
            "auth.token.expired",
            "process.env.X",
            "${X}",
            "/etc/secret",
            "https://a.b/c",
            "Password123!",
            "short1",
            "my-app-secret",
            "passwordInputField",
            "xxxxxxxxxxxx",
        ] {
            assert!(!plausible_secret(value), "{value}");
        }
    }
}
