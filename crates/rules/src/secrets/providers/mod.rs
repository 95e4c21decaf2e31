//! The provider table of `AS601`: one [`Detector`] per credential format, as data.
//!
//! Each detector names the keywords that must occur near a secret (the Aho-Corasick
//! prefilter), the regex that extracts it (capture group 1 is the secret), the entropy
//! the secret must reach, and its own true- and false-positive examples, which a generic
//! test runs (as gitleaks does). The table is split by provider domain; [`engine`] turns
//! it into one automaton and a set of regexes, compiled once.
//!
//! True-positive examples are synthetic random values of the right shape. They are
//! written with `concat!` split inside the token, so that this repository's own source
//! does not contain anything a secret scanner (Assay included) would flag.

mod ai;
mod cloud;
mod commerce;
mod devtools;
mod engine;
mod messaging;

use assay_core::Confidence;

pub use engine::{ProviderMatch, find};

/// How a detector recognises its secret.
#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    /// A self-identifying token (distinctive prefix or shape). The regex's first capture
    /// group is the secret; it should carry its own boundaries.
    Token(&'static str),
    /// A secret only recognisable by the name it is assigned to: `name…` followed within
    /// a few identifier characters by `=`, `:=`, `:`, `=>` or `,` and the (optionally
    /// quoted) value. `name` is matched case-insensitively, `secret` as written.
    Assigned {
        /// Regex for the provider name in the identifier, e.g. `twilio`.
        name: &'static str,
        /// Regex for the secret value, e.g. `[0-9a-f]{32}`.
        secret: &'static str,
    },
}

/// One credential format.
#[derive(Debug, Clone, Copy)]
pub struct Detector {
    /// Stable kebab-case id, e.g. `github-pat`.
    pub id: &'static str,
    /// Human name used in findings, e.g. `GitHub personal access token (classic)`.
    pub name: &'static str,
    /// Literals of which at least one occurs on the secret's line (ASCII
    /// case-insensitive). They gate the regex.
    pub keywords: &'static [&'static str],
    /// The regex.
    pub pattern: Pattern,
    /// Minimum Shannon entropy (bits per character) of the captured secret.
    pub min_entropy: f64,
    /// Confidence of a match in production code.
    pub confidence: Confidence,
    /// Inputs that must produce a match of this detector.
    pub true_positives: &'static [&'static str],
    /// Inputs that must produce no match of any detector.
    pub false_positives: &'static [&'static str],
}

/// Every detector, in priority order (earlier wins when two matches overlap).
pub fn detectors() -> impl Iterator<Item = &'static Detector> {
    [
        cloud::DETECTORS,
        devtools::DETECTORS,
        ai::DETECTORS,
        messaging::DETECTORS,
        commerce::DETECTORS,
    ]
    .into_iter()
    .flatten()
}
