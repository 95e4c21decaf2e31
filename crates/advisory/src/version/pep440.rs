//! Python package versions (PEP 440, as `packaging.version.Version` reads and orders
//! them).
//!
//! Accepted spellings, normalised as PEP 440 describes: any case, surrounding
//! whitespace, a leading `v`; an epoch `N!`; release segments `1.2.3` (trailing zeros
//! do not change the ordering: `1.0 == 1.0.0`); a prerelease `a`/`alpha`, `b`/`beta`,
//! `rc`/`c`/`pre`/`preview`, optionally separated by `.`, `-` or `_` on either side,
//! with an implicit 0 (`1.0-alpha1`, `1.0rc1`, `1.0.b`); a post-release `.postN`,
//! `-N`, `rev`/`r` (`1.0.post1`, `1.0-1`); a dev release `.devN` (`1.0_dev2`); a
//! local version `+abc.5` with `-`/`_` separators read as `.`.
//!
//! Ordering (epoch, release, prerelease, post, dev, local): a dev release of a final
//! sorts before its prereleases (`1.0.dev0 < 1.0a0`); prereleases before the final,
//! post-releases after it; within any of them a dev release sorts first; a local
//! version after the same public version, its segments compared numerically when
//! both are numbers, a text segment below a number.

use std::cmp::Ordering;
use std::fmt;

use super::cursor::{Cursor, cmp_digits, number};

const SEPARATORS: &[u8] = b"-_.";
/// Prerelease spellings, longest first where one prefixes another.
const PRE_WORDS: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "rc", "c"];
/// Post-release spellings, longest first where one prefixes another.
const POST_WORDS: [&str; 3] = ["post", "rev", "r"];

/// A PEP 440 version.
#[derive(Debug, Clone)]
pub struct Version {
    epoch: u64,
    release: Box<[u64]>,
    pre: Option<(PreKind, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Box<[Local]>,
}

/// The kind of a prerelease, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

impl PreKind {
    /// The kind a [`PRE_WORDS`] entry spells.
    fn of(index: usize) -> Self {
        match PRE_WORDS[index] {
            "alpha" | "a" => PreKind::Alpha,
            "beta" | "b" => PreKind::Beta,
            _ => PreKind::Rc,
        }
    }
}

/// A local version segment: lowercase text, or digits without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Local {
    Text(Box<str>),
    Number(Box<str>),
}

impl Ord for Local {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Local::Number(a), Local::Number(b)) => cmp_digits(a, b),
            (Local::Text(a), Local::Text(b)) => a.cmp(b),
            (Local::Text(_), Local::Number(_)) => Ordering::Less,
            (Local::Number(_), Local::Text(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Local {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Version {
    /// Parses a version in any spelling PEP 440 normalises; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let mut cursor = Cursor::new(text)?;
        cursor.eat_one_of(b"vV");
        let first = number(cursor.eat_digits())?;
        let (epoch, first) = if cursor.eat(b'!') {
            (first, number(cursor.eat_digits())?)
        } else {
            (0, first)
        };
        let mut release = vec![first];
        while cursor.peek_at(0) == Some(b'.')
            && cursor.peek_at(1).is_some_and(|b| b.is_ascii_digit())
        {
            cursor.eat(b'.');
            release.push(number(cursor.eat_digits())?);
        }
        let pre = labelled(&mut cursor, &PRE_WORDS)?.map(|(index, n)| (PreKind::of(index), n));
        let post = post_release(&mut cursor)?;
        let dev = labelled(&mut cursor, &["dev"])?.map(|(_, n)| n);
        let local = if cursor.eat(b'+') {
            local_segments(&mut cursor)?
        } else {
            Box::default()
        };
        cursor.is_done().then(|| Self {
            epoch,
            release: release.into(),
            pre,
            post,
            dev,
            local,
        })
    }

    /// The release segments without trailing zeros, which do not count in the
    /// ordering.
    fn significant_release(&self) -> &[u64] {
        let kept = self
            .release
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        &self.release[..kept]
    }

    /// `packaging`'s sort key for the prerelease, post and dev parts.
    fn suffix_key(&self) -> (PreKey, Option<u64>, DevKey) {
        let pre = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => PreKey::BeforeAll,
            (None, _, _) => PreKey::Final,
            (Some((kind, n)), _, _) => PreKey::Pre(kind, n),
        };
        let dev = self.dev.map_or(DevKey::None, DevKey::Dev);
        (pre, self.post, dev)
    }
}

/// Where the prerelease part puts a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    /// A dev release of a final (`1.0.dev1`): before every prerelease.
    BeforeAll,
    Pre(PreKind, u64),
    Final,
}

/// Where the dev part puts a version: a dev release before the same version without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DevKey {
    Dev(u64),
    None,
}

/// A separated, labelled part with an optional number: `[-_.]?LABEL[-_.]?N?`.
/// Gives the label's index in `words` and the number (0 when implicit), or
/// `Some(None)`, having consumed nothing, when no label follows; `None` when the
/// number overflows.
fn labelled(cursor: &mut Cursor<'_>, words: &[&str]) -> Option<Option<(usize, u64)>> {
    let start = cursor.save();
    cursor.eat_one_of(SEPARATORS);
    let Some(index) = cursor.eat_word(words) else {
        cursor.restore(start);
        return Some(None);
    };
    cursor.eat_one_of(SEPARATORS);
    let digits = cursor.eat_digits();
    let n = if digits.is_empty() {
        0
    } else {
        number(digits)?
    };
    Some(Some((index, n)))
}

/// The post-release part: `-N` or `[-_.]?(post|rev|r)[-_.]?N?`, as [`labelled`]
/// gives it.
fn post_release(cursor: &mut Cursor<'_>) -> Option<Option<u64>> {
    if cursor.peek_at(0) == Some(b'-') && cursor.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        cursor.eat(b'-');
        return number(cursor.eat_digits()).map(Some);
    }
    Some(labelled(cursor, &POST_WORDS)?.map(|(_, n)| n))
}

/// Local segments after the `+`: `[a-z0-9]+` separated by `-`, `_` or `.`.
fn local_segments(cursor: &mut Cursor<'_>) -> Option<Box<[Local]>> {
    let mut segments = Vec::new();
    loop {
        let segment = cursor.eat_while(|b| b.is_ascii_alphanumeric());
        if segment.is_empty() {
            return None;
        }
        segments.push(if segment.bytes().all(|b| b.is_ascii_digit()) {
            let trimmed = segment.trim_start_matches('0');
            Local::Number(if trimmed.is_empty() { "0" } else { trimmed }.into())
        } else {
            Local::Text(segment.to_ascii_lowercase().into())
        });
        if !cursor.eat_one_of(SEPARATORS) {
            return Some(segments.into());
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.significant_release().cmp(other.significant_release()))
            .then_with(|| self.suffix_key().cmp(&other.suffix_key()))
            .then_with(|| self.local.cmp(&other.local))
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
    /// The normalised spelling: `1!2.0rc1.post2.dev3+ubuntu.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        for (i, n) in self.release.iter().enumerate() {
            let dot = if i == 0 { "" } else { "." };
            write!(f, "{dot}{n}")?;
        }
        if let Some((kind, n)) = self.pre {
            let label = match kind {
                PreKind::Alpha => "a",
                PreKind::Beta => "b",
                PreKind::Rc => "rc",
            };
            write!(f, "{label}{n}")?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        for (i, segment) in self.local.iter().enumerate() {
            let separator = if i == 0 { "+" } else { "." };
            let (Local::Text(text) | Local::Number(text)) = segment;
            write!(f, "{separator}{text}")?;
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
    fn alternative_spellings_normalise() {
        for (spelling, normal) in [
            ("1.0-alpha1", "1.0a1"),
            ("1.0.post1", "1.0.post1"),
            ("1.0rc1", "1.0rc1"),
            ("1.0_dev2", "1.0.dev2"),
            ("V1.0C1", "1.0rc1"),
            ("1.0-preview.2", "1.0rc2"),
            ("1.0.Beta", "1.0b0"),
            ("1.0-1", "1.0.post1"),
            ("1.0-r-4", "1.0.post4"),
            ("1.0rev", "1.0.post0"),
            ("1.0a.post", "1.0a0.post0"),
            ("  0!01.002  ", "1.2"),
            ("2!1.0+Ubuntu-1_2.007", "2!1.0+ubuntu.1.2.7"),
        ] {
            assert_eq!(v(spelling).to_string(), normal, "{spelling}");
        }
    }

    #[test]
    fn refuses_what_packaging_refuses() {
        for bad in [
            "",
            "v",
            "a1",
            "1.",
            "1..0",
            "1.0a1a",
            "1.0-",
            "1.0+",
            "1.0+a..b",
            "1.0+ä",
            "1.0.post1.post2",
            "1.0.dev1a1",
            "1.0 a1",
            "1!",
            "1.0ab",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn numbers_beyond_64_bits_are_refused() {
        // packaging accepts Python's unbounded integers; no published version needs them.
        assert!(Version::parse("18446744073709551616").is_none());
        assert!(Version::parse("1.0.post18446744073709551616").is_none());
        assert!(Version::parse("18446744073709551615.0").is_some());
        assert!(
            Version::parse("1.0+18446744073709551616").is_some(),
            "local segments are unbounded"
        );
    }

    #[test]
    fn dev_releases_of_a_final_come_before_its_prereleases() {
        assert!(v("1.0.dev0") < v("1.0a0"));
        assert!(v("1.0a1.dev0") < v("1.0a1"));
        assert!(v("1.0.post1.dev0") < v("1.0.post1"));
        assert!(v("1.0") < v("1.0.post1.dev0"));
        assert!(
            v("1.0+abc") < v("1.0+5"),
            "text below number in local segments"
        );
        assert_eq!(v("1.0"), v("1.0.0"));
    }
}
