//! API key material: generation, parsing, hashing and verification. Pure; the store keeps
//! only the public prefix and the SHA-256 of the whole key.
//!
//! A key reads `assay_<10 hex: public id>_<64 hex: 32 random bytes>`. The prefix
//! (`assay_<public id>`) identifies the row; the whole string is hashed.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use crate::error::{Result, StoreError};

/// What every key starts with.
pub const KEY_PREFIX: &str = "assay_";
/// Random bytes in the public id.
const ID_BYTES: usize = 5;
/// Random bytes in the secret.
const SECRET_BYTES: usize = 32;
/// Lifetime of a key when none is asked for.
pub const DEFAULT_KEY_LIFETIME: Duration = Duration::days(90);
/// The longest lifetime a key may have.
pub const MAX_KEY_LIFETIME: Duration = Duration::days(365);
/// Active (unrevoked, unexpired) keys an account may hold.
pub const MAX_ACTIVE_KEYS: usize = 10;

/// A freshly generated key. The plaintext exists only here: it is shown once and then
/// dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedKey {
    /// `assay_<public id>`, stored and shown in listings.
    pub prefix: String,
    /// The whole key, to hand to the user once.
    pub plaintext: String,
    /// SHA-256 of `plaintext`, stored.
    pub hash: [u8; 32],
}

/// Generates a key from the operating system's randomness.
pub fn generate() -> Result<GeneratedKey> {
    let mut id = [0u8; ID_BYTES];
    let mut secret = [0u8; SECRET_BYTES];
    getrandom::fill(&mut id).map_err(|e| StoreError::Random(e.to_string()))?;
    getrandom::fill(&mut secret).map_err(|e| StoreError::Random(e.to_string()))?;
    let prefix = format!("{KEY_PREFIX}{}", hex::encode(id));
    let plaintext = format!("{prefix}_{}", hex::encode(secret));
    let hash = hash(&plaintext);
    Ok(GeneratedKey {
        prefix,
        plaintext,
        hash,
    })
}

/// The prefix of a presented key, or `None` when it is not shaped like an Assay key.
pub fn prefix_of(presented: &str) -> Option<&str> {
    let rest = presented.strip_prefix(KEY_PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let is_hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hex(id, ID_BYTES * 2) && is_hex(secret, SECRET_BYTES * 2))
        .then(|| &presented[..KEY_PREFIX.len() + ID_BYTES * 2])
}

/// SHA-256 of a whole key.
pub fn hash(plaintext: &str) -> [u8; 32] {
    Sha256::digest(plaintext.as_bytes()).into()
}

/// Whether `presented` hashes to `stored`, compared in constant time.
pub fn verify(presented: &str, stored: &[u8]) -> bool {
    hash(presented).ct_eq(stored).into()
}

/// When a key created at `now` with the requested lifetime expires: 90 days by default,
/// refused when not positive or longer than 365 days.
pub fn expiry(now: OffsetDateTime, requested: Option<Duration>) -> Result<OffsetDateTime> {
    let lifetime = requested.unwrap_or(DEFAULT_KEY_LIFETIME);
    if !lifetime.is_positive() {
        return Err(StoreError::invalid(
            "expiry",
            "a key's lifetime must be positive",
        ));
    }
    if lifetime > MAX_KEY_LIFETIME {
        return Err(StoreError::invalid(
            "expiry",
            format!(
                "a key lives at most 365 days (asked for {} days)",
                lifetime.whole_days()
            ),
        ));
    }
    Ok(now + lifetime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn generated_keys_parse_verify_and_differ() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a.plaintext, b.plaintext);
        assert_ne!(a.prefix, b.prefix);
        assert_eq!(a.plaintext.len(), KEY_PREFIX.len() + 10 + 1 + 64);
        assert_eq!(prefix_of(&a.plaintext), Some(a.prefix.as_str()));
        assert!(verify(&a.plaintext, &a.hash));
        assert!(!verify(&b.plaintext, &a.hash));
        assert!(!a.plaintext.contains(&hex::encode(a.hash)));
    }

    #[test]
    fn a_tampered_key_does_not_verify() {
        let key = generate().unwrap();
        let mut tampered = key.plaintext.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(prefix_of(&tampered), Some(key.prefix.as_str()));
        assert!(!verify(&tampered, &key.hash));
        assert!(!verify(&key.plaintext, &key.hash[..31]));
    }

    #[test]
    fn malformed_keys_have_no_prefix() {
        for bad in [
            "",
            "assay_",
            "mcpsafe_0123456789_00",
            "assay_0123456789",
            "assay_012345678_".to_string().as_str(),
            &format!("assay_012345678g_{}", "0".repeat(64)),
            &format!("assay_0123456789_{}", "0".repeat(63)),
            &format!("assay_0123456789_{}z", "0".repeat(63)),
            &format!("assay_0123456789_{}", "0".repeat(65)),
        ] {
            assert_eq!(prefix_of(bad), None, "{bad}");
        }
        let good = format!("assay_0123456789_{}", "ab".repeat(32));
        assert_eq!(prefix_of(&good), Some("assay_0123456789"));
    }

    #[test]
    fn expiry_defaults_to_90_days_and_caps_at_365() {
        let now = datetime!(2026-01-01 00:00 UTC);
        assert_eq!(expiry(now, None).unwrap(), datetime!(2026-04-01 00:00 UTC));
        assert_eq!(
            expiry(now, Some(Duration::days(365))).unwrap(),
            datetime!(2027-01-01 00:00 UTC)
        );
        assert!(expiry(now, Some(Duration::days(366))).is_err());
        assert!(expiry(now, Some(Duration::ZERO)).is_err());
        assert!(expiry(now, Some(Duration::days(-1))).is_err());
    }
}
