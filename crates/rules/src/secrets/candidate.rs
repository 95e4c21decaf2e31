//! What every `AS6xx` scanner produces — a [`Candidate`] — and how the five rules stay
//! out of each other's way: each secret is reported once, by the most specific rule.

use std::ops::Range;

use assay_core::{Confidence, Evidence, Severity};

use super::{
    credentials_in_url, generic_secret_assignment, jwt_token, private_key_block, provider_api_token,
};

/// The kinds of secret, one per rule, most specific first. When two kinds claim
/// overlapping secrets, the earlier kind wins and the later one stays silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `AS601`: a provider's self-identifying token.
    Provider,
    /// `AS602`: a PEM / OpenSSH / PGP private key block.
    PrivateKey,
    /// `AS603`: a JSON Web Token.
    Jwt,
    /// `AS605`: `scheme://user:password@host`.
    UrlCredential,
    /// `AS604`: a high-entropy value assigned to a secret-looking name.
    Generic,
}

impl Kind {
    /// Every kind, most specific first.
    pub const ALL: [Kind; 5] = [
        Kind::Provider,
        Kind::PrivateKey,
        Kind::Jwt,
        Kind::UrlCredential,
        Kind::Generic,
    ];

    /// Every candidate of this kind in `text` (the file at `path`), before overlaps
    /// with other kinds are resolved.
    pub fn candidates(self, text: &str, path: &str) -> Vec<Candidate> {
        match self {
            Kind::Provider => provider_api_token::candidates(text),
            Kind::PrivateKey => private_key_block::candidates(text),
            Kind::Jwt => jwt_token::candidates(text),
            Kind::UrlCredential => credentials_in_url::candidates(text),
            Kind::Generic => generic_secret_assignment::candidates(text, path),
        }
    }
}

/// One secret found by a scanner.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// What the finding points at: the secret, or the assignment, URL or key block
    /// around it. Always contains `secret`.
    pub span: Range<usize>,
    /// The secret itself: what gets redacted.
    pub secret: Range<usize>,
    /// What it is, for humans, e.g. `GitHub personal access token (classic)`.
    pub detector: &'static str,
    /// Where it is assigned, when that helps a maintainer find it: the variable name, or
    /// the URL with its password cut out. Never the secret.
    pub subject: Option<String>,
    /// Confidence in production code (tests, examples and docs lower it).
    pub confidence: Confidence,
    /// Severity when it differs from the rule's default.
    pub severity: Option<Severity>,
    /// Further evidence, already free of secrets.
    pub notes: Vec<Evidence>,
}

impl Candidate {
    /// A candidate whose span is its secret, with no notes.
    pub fn new(secret: Range<usize>, detector: &'static str, confidence: Confidence) -> Self {
        Candidate {
            span: secret.clone(),
            secret,
            detector,
            subject: None,
            confidence,
            severity: None,
            notes: Vec::new(),
        }
    }
}

/// Upper bound on the length of any secret a scanner reports (private key blocks are
/// the longest).
pub const MAX_SECRET_LEN: usize = 64 * 1024;

/// The secrets of one file as one rule reports them.
pub struct Resolved {
    /// The rule's own candidates that no more specific kind claims.
    pub own: Vec<Candidate>,
    /// Every secret of every kind in the file, for redacting snippets.
    pub all_secrets: Vec<Range<usize>>,
}

/// Scans `text` for `kind` and resolves overlaps with the other kinds. Other kinds are
/// only scanned when `kind` found something, so a clean file costs one scan.
pub fn resolve(kind: Kind, text: &str, path: &str) -> Resolved {
    let mut own = kind.candidates(text, path);
    if own.is_empty() {
        return Resolved {
            own,
            all_secrets: Vec::new(),
        };
    }
    let mut all_secrets: Vec<Range<usize>> = own.iter().map(|c| c.secret.clone()).collect();
    let mut claimed: Vec<Range<usize>> = Vec::new();
    for other in Kind::ALL.into_iter().filter(|&k| k != kind) {
        for c in other.candidates(text, path) {
            if other < kind {
                claimed.push(c.secret.clone());
            }
            all_secrets.push(c.secret);
        }
    }
    claimed.sort_by_key(|r| (r.start, r.end));
    own.retain(|c| !overlaps_any(&claimed, &c.secret));
    all_secrets.sort_by_key(|r| (r.start, r.end));
    Resolved { own, all_secrets }
}

/// True when `range` shares a byte with any of `sorted` (sorted by start; no secret
/// is longer than [`MAX_SECRET_LEN`]).
fn overlaps_any(sorted: &[Range<usize>], range: &Range<usize>) -> bool {
    let end = sorted.partition_point(|r| r.start < range.end);
    sorted[..end]
        .iter()
        .rev()
        .take_while(|r| r.start.saturating_add(MAX_SECRET_LEN) > range.start)
        .any(|r| r.end > range.start)
}
