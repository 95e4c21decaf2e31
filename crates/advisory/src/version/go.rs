//! Go module versions (<https://go.dev/ref/mod#versions>), ordered as Go's
//! `golang.org/x/mod/semver.Compare` orders them: SemVer precedence with the build
//! suffix ignored, so `v2.0.0+incompatible` equals `v2.0.0`.
//!
//! Pseudo-versions (`v0.0.0-20210101000000-abcdef123456`,
//! `v1.2.4-0.20210101000000-abcdef123456`, `v1.3.0-pre.0.20210101000000-abcdef123456`)
//! are prereleases whose identifiers start with a UTC timestamp, so SemVer precedence
//! already puts them after their base version, before the next release, and in
//! commit-time order. Go's shorthands `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`.
//! The leading `v` is optional because the Go vulnerability database writes OSV
//! versions without it.

use std::fmt;

use super::semver::{self, Syntax};

const GO: Syntax = Syntax {
    npm_clean: false,
    optional_v: true,
    shorthand: true,
    max_number: u64::MAX,
};

/// A Go module version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(semver::Version);

impl Version {
    /// Parses a module version (`v1.2.3`, `1.2.3`, `v1.2`, `v2.0.0+incompatible`);
    /// `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        semver::Version::parse_with(text, GO).map(Self)
    }

    /// The version as SemVer, for OSV's `SEMVER` ranges.
    pub(super) fn as_semver(&self) -> &semver::Version {
        &self.0
    }
}

impl fmt::Display for Version {
    /// The canonical spelling, with its `v`: `v1.2.0`, `v2.0.0+incompatible`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn shorthands_prefixes_and_incompatible() {
        assert_eq!(v("v1.2").to_string(), "v1.2.0");
        assert_eq!(v("v1"), v("1.0.0"));
        assert_eq!(v("v2.0.0+incompatible"), v("v2.0.0"));
        assert_eq!(v("v2.0.0+incompatible").to_string(), "v2.0.0+incompatible");
        for bad in [
            "",
            "v",
            "v1.2-pre",
            "v01.2.3",
            "vv1.2.3",
            "=v1.2.3",
            " v1.2.3",
            "v1.2.3-01",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn pseudo_versions_order_by_base_then_time() {
        assert!(v("v0.0.0-20190101000000-abcdefabcdef") < v("v0.0.0-20210101000000-123456123456"));
        assert!(v("v1.2.3") < v("v1.2.4-0.20210101000000-abcdefabcdef"));
        assert!(v("v1.2.4-0.20210101000000-abcdefabcdef") < v("v1.2.4"));
        assert!(v("v1.3.0-pre") < v("v1.3.0-pre.0.20210101000000-abcdefabcdef"));
    }
}
