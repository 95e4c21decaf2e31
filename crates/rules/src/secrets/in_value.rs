//! Secrets in one named configuration value — an environment variable or header of an
//! MCP client configuration, a Dockerfile `ENV`/`ARG` — for rules of other families
//! that must recognise secrets exactly as the `AS6xx` rules do.

use std::ops::Range;

use assay_core::Confidence;

use super::candidate::{Kind, MAX_SECRET_LEN};
use super::generic_secret_assignment;
use super::placeholder::{is_reference, looks_fake};

/// A secret found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSecret {
    /// Where the secret is inside the value.
    pub secret: Range<usize>,
    /// What it is, for humans, e.g. `GitHub personal access token (classic)`.
    pub detector: &'static str,
    /// How sure the detector is.
    pub confidence: Confidence,
}

/// The most specific secret in `value`, which is assigned to `name`, as the `AS6xx`
/// detectors judge it: provider token formats, private keys, JWTs and URL passwords
/// anywhere in the value, and random-looking values of secret-named variables
/// (`API_KEY`, `client_secret`). References (`${env:TOKEN}`) and placeholders are not
/// secrets.
pub fn find_in_value(name: &str, value: &str) -> Option<ValueSecret> {
    if value.is_empty() || value.len() > MAX_SECRET_LEN {
        return None;
    }
    // The detectors read assignments; an odd name must not swallow the value.
    let name = if name.is_empty() || name.contains(['=', '\n', ' ', '"', '\'']) {
        "value"
    } else {
        name
    };
    let line = format!("{name}={value}");
    let offset = name.len() + 1;
    Kind::ALL.into_iter().find_map(|kind| {
        kind.candidates(&line, ".env")
            .into_iter()
            .find(|c| c.secret.start >= offset)
            .map(|c| ValueSecret {
                secret: c.secret.start - offset..c.secret.end - offset,
                detector: c.detector,
                confidence: c.confidence,
            })
    })
}

/// True when `name` says it holds a secret (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`;
/// not `max_tokens`, `public_key`, `TOKEN_URL`), by the `AS604` naming rules.
pub fn is_secret_name(name: &str) -> bool {
    generic_secret_assignment::is_secret_name(name)
}

/// True when `value` stands in for a secret instead of holding one: a reference
/// (`$VAR`, `${VAR}`, `{{ var }}`, `<token>`, `process.env.X`) or a documentation
/// placeholder (`changeme`, `your-token-here`, `xxxx`, `****`).
pub fn is_placeholder(value: &str) -> bool {
    is_reference(value) || looks_fake(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_provider_tokens_and_secret_named_values() {
        let token = concat!("ghp_", "Zq8vN3kLm2Xw9Rt5hT7kQ2mW9xR4vBnLpZcY");
        let hit = find_in_value("GITHUB_PERSONAL_ACCESS_TOKEN", token).expect("token");
        assert_eq!(hit.secret, 0..token.len());
        let bearer = format!("Bearer {token}");
        let hit = find_in_value("Authorization", &bearer).expect("token in header");
        assert_eq!(&bearer[hit.secret], token);
        let generic = concat!("Zq8vN3kL", "m2Xw9Rt5");
        assert!(find_in_value("DB_PASSWORD", generic).is_some());
        assert!(find_in_value("LOG_LEVEL", generic).is_none());
    }

    #[test]
    fn references_and_placeholders_are_not_secrets() {
        for value in [
            "${env:GITHUB_TOKEN}",
            "${input:token}",
            "$TOKEN",
            "changeme",
            "<your-token>",
            "",
        ] {
            assert!(find_in_value("API_TOKEN", value).is_none(), "{value}");
        }
        assert!(is_placeholder("${input:token}") && is_placeholder("your-api-key-here"));
        assert!(is_secret_name("NPM_TOKEN") && !is_secret_name("max_tokens"));
    }
}
