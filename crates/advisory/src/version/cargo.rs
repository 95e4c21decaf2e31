//! Crate versions as crates.io and Cargo read them: strict SemVer 2.0 (no prefix, no
//! whitespace, no shorthand, no leading zeros), ordered by SemVer precedence. Build
//! metadata is ignored, as crates.io refuses to publish two versions that differ
//! only by it.

use std::fmt;

use super::semver::{self, Syntax};

const CARGO: Syntax = Syntax {
    npm_clean: false,
    optional_v: false,
    shorthand: false,
    max_number: u64::MAX,
};

/// A crate version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(semver::Version);

impl Version {
    /// Parses a crate version; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        semver::Version::parse_with(text, CARGO).map(Self)
    }

    /// The version as SemVer, for OSV's `SEMVER` ranges.
    pub(super) fn as_semver(&self) -> &semver::Version {
        &self.0
    }
}

impl fmt::Display for Version {
    /// The canonical spelling: `1.2.3-alpha.1+build`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_spelling() {
        assert!(Version::parse("1.0.0-alpha.1+build.7").is_some());
        assert!(Version::parse("18446744073709551615.0.0").is_some());
        for bad in ["v1.0.0", "=1.0.0", " 1.0.0", "1.0", "1.0.0-", "1.0.0-00"] {
            assert!(Version::parse(bad).is_none(), "{bad:?} should not parse");
        }
    }
}
