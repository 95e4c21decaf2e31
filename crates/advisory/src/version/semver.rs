//! SemVer 2.0 (<https://semver.org>) as npm reads it, and the core that the Go and
//! crates.io orderings share.
//!
//! Precedence: major, minor and patch numerically; a version with a prerelease sorts
//! before the same version without; prerelease identifiers compare left to right,
//! numeric ones numerically whatever their length (SemVer's rule: npm's JavaScript
//! numbers lose precision past 2^53), alphanumeric ones by ASCII, a
//! numeric identifier below an alphanumeric one, and a shorter list below a longer one
//! it prefixes. Build metadata is kept for display and ignored by the ordering.
//!
//! npm's spelling: surrounding whitespace and any leading run of `=` and `v` are
//! tolerated (`semver.clean`); numbers have no leading zeros and stay at or below
//! JavaScript's largest safe integer.

use std::cmp::Ordering;
use std::fmt;

use super::cursor::{Cursor, cmp_digits, number};

/// JavaScript's `Number.MAX_SAFE_INTEGER`: npm refuses larger version numbers.
const NPM_MAX_NUMBER: u64 = (1 << 53) - 1;

/// A SemVer version.
#[derive(Debug, Clone)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    /// The prerelease identifiers without the `-` (empty: a release).
    pre: Box<str>,
    /// The build metadata without the `+` (empty: none).
    build: Box<str>,
}

/// What a spelling of SemVer tolerates around the strict grammar.
#[derive(Debug, Clone, Copy)]
pub(super) struct Syntax {
    /// Trim whitespace and strip a leading run of `=` and `v` (npm).
    pub(super) npm_clean: bool,
    /// Accept one optional leading `v` (Go).
    pub(super) optional_v: bool,
    /// Accept `1` and `1.2` for `1.0.0` and `1.2.0` when nothing follows (Go).
    pub(super) shorthand: bool,
    /// The largest major, minor or patch number.
    pub(super) max_number: u64,
}

impl Syntax {
    /// npm's spelling.
    const NPM: Syntax = Syntax {
        npm_clean: true,
        optional_v: false,
        shorthand: false,
        max_number: NPM_MAX_NUMBER,
    };
}

impl Version {
    /// Parses a version as npm does; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::parse_with(text, Syntax::NPM)
    }

    /// Parses a version in the given spelling.
    pub(super) fn parse_with(text: &str, syntax: Syntax) -> Option<Self> {
        let text = if syntax.npm_clean {
            text.trim().trim_start_matches(['=', 'v'])
        } else if syntax.optional_v {
            text.strip_prefix('v').unwrap_or(text)
        } else {
            text
        };
        let mut cursor = Cursor::new(text)?;
        let core_number = |cursor: &mut Cursor<'_>| {
            let digits = cursor.eat_digits();
            if digits.len() > 1 && digits.starts_with('0') {
                return None;
            }
            number(digits).filter(|&n| n <= syntax.max_number)
        };
        let major = core_number(&mut cursor)?;
        if syntax.shorthand && cursor.is_done() {
            return Some(Self::release(major, 0, 0));
        }
        if !cursor.eat(b'.') {
            return None;
        }
        let minor = core_number(&mut cursor)?;
        if syntax.shorthand && cursor.is_done() {
            return Some(Self::release(major, minor, 0));
        }
        if !cursor.eat(b'.') {
            return None;
        }
        let patch = core_number(&mut cursor)?;
        let pre = if cursor.eat(b'-') {
            identifiers(&mut cursor, true)?
        } else {
            ""
        };
        let build = if cursor.eat(b'+') {
            identifiers(&mut cursor, false)?
        } else {
            ""
        };
        cursor.is_done().then(|| Self {
            major,
            minor,
            patch,
            pre: pre.into(),
            build: build.into(),
        })
    }

    fn release(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
            pre: "".into(),
            build: "".into(),
        }
    }
}

/// Consumes dot-separated identifiers of `[0-9A-Za-z-]`, none empty; prerelease
/// identifiers that are all digits have no leading zero.
fn identifiers<'a>(cursor: &mut Cursor<'a>, prerelease: bool) -> Option<&'a str> {
    let start = cursor.save();
    let all = cursor.eat_while(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    let leading_zero =
        |id: &str| id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit());
    let valid = all.split('.').all(|id| !id.is_empty())
        && !(prerelease && all.split('.').any(leading_zero));
    if valid {
        Some(all)
    } else {
        cursor.restore(start);
        None
    }
}

/// SemVer's precedence of two prerelease identifiers.
fn cmp_identifier(a: &str, b: &str) -> Ordering {
    let numeric = |id: &str| id.bytes().all(|b| b.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

/// SemVer's precedence of two prerelease lists (empty: a release, which is higher).
fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let (mut left, mut right) = (a.split('.'), b.split('.'));
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match cmp_identifier(x, y) {
                Ordering::Equal => {}
                unequal => return unequal,
            },
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| cmp_prerelease(&self.pre, &other.pre))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    /// The canonical spelling: `1.2.3-rc.1+build.5`, without a prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn npm_spellings_are_cleaned_and_build_metadata_kept_for_display() {
        assert_eq!(v(" =v1.2.3 ").to_string(), "1.2.3");
        assert_eq!(v("v1.2.3-beta.1+sha.5").to_string(), "1.2.3-beta.1+sha.5");
        assert_eq!(v("1.2.3+a"), v("1.2.3+b"));
    }

    #[test]
    fn refuses_what_npm_refuses() {
        for bad in [
            "",
            "1",
            "1.2",
            "01.2.3",
            "1.02.3",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3 4",
            "1.2.3-α",
            "9007199254740992.0.0",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad:?} should not parse");
        }
        assert!(Version::parse("9007199254740991.0.0").is_some());
    }

    #[test]
    fn prerelease_identifiers_compare_numerically_then_by_ascii() {
        assert!(v("1.0.0-2") < v("1.0.0-10"));
        assert!(v("1.0.0-99999999999999999999") < v("1.0.0-100000000000000000000"));
        assert!(v("1.0.0-10") < v("1.0.0-1a"), "numeric below alphanumeric");
        assert!(v("1.0.0-Beta") < v("1.0.0-alpha"), "ASCII: uppercase first");
        assert!(v("1.0.0-alpha") < v("1.0.0-alpha.0"));
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
    }
}
