//! `AS603` jwt-token: a JSON Web Token literal — three base64url segments whose header
//! and payload decode to JSON objects, the header naming an `alg`.
//!
//! Severity follows what the token can do, read from its own claims (never from the
//! clock, so reports stay deterministic):
//! * `alg: none` — unsigned, not a credential by itself: low.
//! * `role: anon` (public client keys such as Supabase's anon key, meant to ship): low.
//! * a privileged `role` (`service_role`, `admin`, `superuser`, `root`): high.
//! * otherwise the rule default, medium; a missing `exp` (a token that never expires) is
//!   noted in the evidence.
//!
//! Documentation tokens (the jwt.io sample, claims mentioning `example`, `dummy`, …) and
//! signed algorithms with an empty signature (templates) are not reported.

use std::sync::LazyLock;

use assay_core::{Confidence, Evidence, Example, Family, Finding, RuleMeta, Severity};
use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use memchr::memmem;
use serde_json::{Map, Value};

use super::candidate::{Candidate, Kind};
use super::placeholder::has_marker_word;
use super::report;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct JwtToken;

static META: RuleMeta = RuleMeta {
    id: "AS603",
    name: "jwt-token",
    title: "Hard-coded JSON Web Token",
    family: Family::Secrets,
    severity: Severity::Medium,
    cwe: &[798, 522],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds JSON Web Tokens in code and configuration: `eyJ…` header and payload \
        segments that decode to JSON objects with an `alg`, plus a signature. Severity is \
        read from the claims: high for privileged roles (`service_role`, `admin`), low for \
        unsigned (`alg: none`) and public `anon` tokens, medium otherwise. The jwt.io \
        sample and tokens whose claims say `example` or `dummy` are ignored.",
    why: "A bearer token works for whoever holds it, until it expires — and hard-coded \
        service tokens are usually minted to last. Shipped in an MCP server, it hands every \
        user of the package the identity and scopes of its author's service account.",
    remediation: "Revoke the token (rotate the signing key if the token cannot be revoked \
        individually), then have the server obtain tokens at run time from configuration \
        or an OAuth flow. Prefer short-lived tokens with an `exp` claim.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://datatracker.ietf.org/doc/html/rfc7519",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "src/db.ts",
            concat!(
                "import { createClient } from \"@supabase/supabase-js\";\nexport const db = createClient(url, \"eyJ",
                "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImRwa2hmYnpydWNmcGtya2xvbHZ5Iiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcxODAwMDAwMCwiZXhwIjoyMDMzNTc2MDAwfQ.VSW2ZMZ5kqsJM9FBpcVND7V3MnrYhouZViT1y3y1-zP\");\n"
            ),
        ),
        Example::flags(
            "client.py",
            concat!(
                "HEADERS = {\"Authorization\": \"Bearer eyJ",
                "hbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJzdWIiOiJzdmMtaW5kZXhlciIsInNjb3BlIjoicmVwbzp3cml0ZSIsImlhdCI6MTcxODAwMDAwMH0.nzTLVH37kbcLeKb594GvqLHA8W8pnpaQnBeWOG7t2Qp\"}\n"
            ),
        ),
        Example::flags(
            ".env",
            concat!(
                "INDEXER_TOKEN=eyJ",
                "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTg4NDEiLCJpYXQiOjE3MTgwMDAwMDAsImV4cCI6MTcxODA4NjQwMH0.0jFpivQ5uQLCsUdVTvpvQ2fqCBGP_42XC0Ep6hMGWKQ\n"
            ),
        ),
        Example::allows(
            "README.md",
            "Pass a token such as `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c` in the header.\n",
        ),
        Example::allows(
            "src/token.ts",
            "const token = `${header}.${payload}.${signature}`;\nconst prefix = \"eyJhbGciOiJIUzI1NiJ9\";\n",
        ),
        Example::allows(
            "dist/index.js.map",
            "{\"version\":3,\"data\":\"data:application/json;base64,eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbXX0=\"}\n",
        ),
        Example::allows(
            "src/sign.ts",
            concat!(
                "const unsigned = \"eyJ",
                "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTg4NDEiLCJpYXQiOjE3MTgwMDAwMDB9.\";\n"
            ),
        ),
    ],
};

impl Rule for JwtToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        report::check(&META, Kind::Jwt, file, out);
    }
}

/// Longest segment looked at; real tokens are well under this.
const MAX_SEGMENT: usize = 8 * 1024;

/// Shortest signature accepted for a signed algorithm (HS256 is 43 characters).
const MIN_SIGNATURE: usize = 16;

/// Roles that make a token a privileged service credential.
const PRIVILEGED_ROLES: &[&str] = &["service_role", "admin", "superuser", "root", "owner"];

static START_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("eyJ"));

/// base64url, padded or not.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Length of the base64url run of `bytes` starting at `at`, if it is at most
/// [`MAX_SEGMENT`] long.
fn segment(bytes: &[u8], at: usize) -> Option<usize> {
    let len = bytes[at..]
        .iter()
        .take(MAX_SEGMENT + 1)
        .take_while(|&&b| is_b64url(b))
        .count();
    (len <= MAX_SEGMENT).then_some(len)
}

/// Every JSON Web Token in `text`.
pub(super) fn candidates(text: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut resume = 0;
    for start in START_FINDER.find_iter(bytes) {
        if start < resume || start > 0 && (is_b64url(bytes[start - 1]) || bytes[start - 1] == b'.')
        {
            continue;
        }
        let Some(end) = token_end(bytes, start) else {
            continue;
        };
        resume = end;
        let token = &text[start..end];
        if let Some(candidate) = judge(token) {
            out.push(Candidate {
                span: start..end,
                secret: start..end,
                ..candidate
            });
        }
    }
    out
}

/// The end of the three-segment token starting at `start`, if there is one.
fn token_end(bytes: &[u8], start: usize) -> Option<usize> {
    let header = segment(bytes, start)?;
    let dot1 = start + header;
    if bytes.get(dot1) != Some(&b'.') || !bytes[dot1 + 1..].starts_with(b"eyJ") {
        return None;
    }
    let dot2 = dot1 + 1 + segment(bytes, dot1 + 1)?;
    if bytes.get(dot2) != Some(&b'.') {
        return None;
    }
    let end = dot2 + 1 + segment(bytes, dot2 + 1)?;
    // A fourth segment makes it a JWE or something else entirely.
    (bytes.get(end) != Some(&b'.')).then_some(end)
}

/// Decodes and classifies one token; `None` when it is not a real credential.
fn judge(token: &str) -> Option<Candidate> {
    let mut parts = token.split('.');
    let header = decode_object(parts.next()?)?;
    let payload = decode_object(parts.next()?)?;
    let signature = parts.next()?;
    let alg = header.get("alg")?.as_str()?;
    let unsigned = alg.eq_ignore_ascii_case("none");
    if (!unsigned && signature.len() < MIN_SIGNATURE) || is_documentation_sample(&payload) {
        return None;
    }
    let role = payload.get("role").and_then(Value::as_str);
    let mut candidate = Candidate::new(0..0, "JSON Web Token", Confidence::High);
    candidate.severity = if unsigned || role == Some("anon") {
        Some(Severity::Low)
    } else if role.is_some_and(|r| PRIVILEGED_ROLES.contains(&r)) {
        Some(Severity::High)
    } else {
        None
    };
    let notes = &mut candidate.notes;
    notes.push(Evidence::new("algorithm", alg));
    if let Some(iss) = payload.get("iss").and_then(Value::as_str) {
        notes.push(Evidence::new("issuer", iss));
    }
    if let Some(role) = role {
        notes.push(Evidence::new("role", role));
    }
    notes.push(Evidence::new(
        "expiry",
        match payload.get("exp").and_then(Value::as_i64) {
            Some(exp) => format!("exp {exp} (unix time)"),
            None => "none: the token never expires".to_string(),
        },
    ));
    let claims: Vec<&str> = payload.keys().map(String::as_str).collect();
    notes.push(Evidence::new("claims", claims.join(", ")));
    Some(candidate)
}

fn decode_object(segment: &str) -> Option<Map<String, Value>> {
    let bytes = BASE64URL.decode(segment).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The jwt.io sample (`sub` 1234567890, `name` John Doe) and tokens whose string
/// claims carry documentation markers.
fn is_documentation_sample(payload: &Map<String, Value>) -> bool {
    let claim = |k: &str| payload.get(k).and_then(Value::as_str);
    claim("sub") == Some("1234567890")
        || matches!(claim("name"), Some("John Doe" | "Jane Doe"))
        || payload
            .values()
            .filter_map(Value::as_str)
            .any(has_marker_word)
}
