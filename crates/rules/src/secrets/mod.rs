//! `AS6xx`: leaked secrets, gitleaks-style: a keyword prefilter (Aho-Corasick), then
//! regexes, then entropy and known-fake checks. Every finding is redacted at the source.
//!
//! Five rules, one per kind of secret, most specific first:
//!
//! | rule | finds |
//! |---|---|
//! | `AS601` [`ProviderApiToken`] | provider token formats, from the [`providers`] table |
//! | `AS602` [`PrivateKeyBlock`] | PEM / OpenSSH / PGP private key blocks |
//! | `AS603` [`JwtToken`] | JSON Web Tokens |
//! | `AS605` [`CredentialsInUrl`] | `scheme://user:password@host` |
//! | `AS604` [`GenericSecretAssignment`] | random values assigned to secret-named variables |
//!
//! A secret is reported once: where two kinds overlap, the more specific one wins (a
//! GitHub token assigned to `GITHUB_TOKEN` is an `AS601` finding, not an `AS604` one).
//! Matches in tests, examples, docs and configuration templates (`.env.example`) are
//! still reported, with low confidence.
//!
//! Rules of other families that meet named values (client configuration `env`, HTTP
//! headers, Dockerfile `ENV`) judge them with [`find_in_value`], so every family agrees
//! on what a secret is.

mod candidate;
mod credentials_in_url;
mod entropy;
mod generic_secret_assignment;
mod in_value;
mod jwt_token;
mod locate;
mod placeholder;
mod private_key_block;
mod provider_api_token;
pub mod providers;
mod report;
mod window;

pub use credentials_in_url::CredentialsInUrl;
pub use generic_secret_assignment::GenericSecretAssignment;
pub use in_value::{ValueSecret, find_in_value, is_placeholder, is_secret_name};
pub use jwt_token::JwtToken;
pub use private_key_block::PrivateKeyBlock;
pub use provider_api_token::ProviderApiToken;

use crate::Rule;

/// Every `AS6xx` rule.
pub static RULES: &[&dyn Rule] = &[
    &ProviderApiToken,
    &PrivateKeyBlock,
    &JwtToken,
    &GenericSecretAssignment,
    &CredentialsInUrl,
];
