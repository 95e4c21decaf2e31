//! The OSV event walk (<https://ossf.github.io/osv-schema/#evaluation>): whether a
//! version falls in one of an `affected` entry's ranges or is in its `versions` list.
//!
//! A range's events are sorted by version (`introduced: "0"` first, a `limit`
//! containing `*` last; ties keep the record's order) and walked: `introduced` opens
//! an interval at its version, `fixed` closes it before its version, `last_affected`
//! after its version; `limit` events bound the whole range from above. `SEMVER`
//! ranges are ordered by SemVer whatever the ecosystem, `ECOSYSTEM` ranges by the
//! ecosystem, `GIT` ranges (commit hashes) cannot decide a version and are skipped.
//! A range with an event that does not parse is skipped rather than guessed at. An
//! event object with several fields counts as one event per field.

use crate::osv;

use super::{Ecosystem, Version, cargo, go, pep440, semver};

/// The range a version was found affected in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedRange {
    /// The interval as text, with the record's spellings: `>=1.0.0, <1.4.2`,
    /// `<=2.1.214`, `*` for every version, `=1.2.3` for a listed version.
    pub text: String,
    /// The `fixed` version that ends the interval, when one does.
    pub fixed: Option<String>,
}

/// Whether `version` of `ecosystem` is affected according to `affected` (whose
/// package is not checked), and in which range.
pub fn affected_by(
    ecosystem: Ecosystem,
    affected: &osv::Affected,
    version: &str,
) -> Option<AffectedRange> {
    Subject::new(ecosystem, version).affected_by(affected)
}

/// A version to check, parsed once for every ordering a range may ask for.
#[derive(Debug, Clone)]
pub(super) struct Subject {
    ecosystem: Ecosystem,
    text: String,
    native: Option<Version>,
    semver: Option<semver::Version>,
    /// The version's [`digit_signature`], to skip most listed versions unparsed.
    signature: Vec<u8>,
}

impl Subject {
    /// Parses `version` in the ecosystem's ordering and in SemVer's.
    pub(super) fn new(ecosystem: Ecosystem, version: &str) -> Self {
        let native = ecosystem.parse(version);
        let semver = match native.as_ref().map(Version::as_semver) {
            Some(Some(v)) => Some(v.clone()),
            _ => semver::Version::parse(version),
        };
        Self {
            ecosystem,
            text: version.trim().to_owned(),
            native,
            semver,
            signature: digit_signature(ecosystem, version).collect(),
        }
    }

    /// The first range of `affected` the version falls in, else its listing in
    /// `affected.versions`.
    pub(super) fn affected_by(&self, affected: &osv::Affected) -> Option<AffectedRange> {
        affected
            .ranges
            .iter()
            .find_map(|range| self.in_range(range))
            .or_else(|| self.listed_in(&affected.versions))
    }

    fn in_range(&self, range: &osv::Range) -> Option<AffectedRange> {
        if range.kind.eq_ignore_ascii_case("SEMVER") {
            return walk(range, self.semver.as_ref()?, semver::Version::parse);
        }
        if !range.kind.eq_ignore_ascii_case("ECOSYSTEM") {
            return None;
        }
        match self.native.as_ref()? {
            Version::Npm(v) => walk(range, v, semver::Version::parse),
            Version::PyPI(v) => walk(range, v, pep440::Version::parse),
            Version::Go(v) => walk(range, v, go::Version::parse),
            Version::Cargo(v) => walk(range, v, cargo::Version::parse),
        }
    }

    /// The version's entry in an explicit list: the same spelling, or (the list is
    /// in the ecosystem's syntax) an equal version. Lists run to hundreds of
    /// versions, so only those with the same digit signature are parsed.
    fn listed_in(&self, versions: &[String]) -> Option<AffectedRange> {
        let listed = versions.iter().map(|listed| listed.trim()).find(|listed| {
            *listed == self.text
                || self.native.as_ref().is_some_and(|native| {
                    digit_signature(self.ecosystem, listed).eq(self.signature.iter().copied())
                        && self.ecosystem.parse(listed).as_ref() == Some(native)
                })
        })?;
        Some(AffectedRange {
            text: format!("={listed}"),
            fixed: None,
        })
    }
}

/// The nonzero digits of a version, in order (for the SemVer ecosystems, before any
/// build metadata, which equality ignores). Every spelling of equal versions has the
/// same signature: respelling adds or drops only zeros (`1.0` and `1.0.0`, `01`,
/// `a` and `a0`, `0!`) and non-digits (prefixes, separators, labels, case), and
/// keeps the parts in their order.
fn digit_signature(ecosystem: Ecosystem, version: &str) -> impl Iterator<Item = u8> + '_ {
    let compared = match ecosystem {
        Ecosystem::PyPI => version,
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::CratesIo => {
            version.split('+').next().unwrap_or_default()
        }
    };
    compared.bytes().filter(|b| matches!(b, b'1'..=b'9'))
}

/// What an event does in the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// Where an event sits: `introduced: "0"` before every version, a `*` limit after.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Bound<T> {
    Min,
    At(T),
    Max,
}

/// One event, parsed.
struct Point<'r, T> {
    bound: Bound<T>,
    kind: Kind,
    text: &'r str,
}

/// The range's events, parsed; `None` when one does not parse.
fn points<'r, T>(range: &'r osv::Range, parse: fn(&str) -> Option<T>) -> Option<Vec<Point<'r, T>>> {
    let mut points = Vec::with_capacity(range.events.len());
    for event in &range.events {
        let fields = [
            (Kind::Introduced, &event.introduced),
            (Kind::Fixed, &event.fixed),
            (Kind::LastAffected, &event.last_affected),
            (Kind::Limit, &event.limit),
        ];
        for (kind, field) in fields {
            let Some(text) = field.as_deref().map(str::trim) else {
                continue;
            };
            let bound = match kind {
                Kind::Introduced if text == "0" => Bound::Min,
                Kind::Limit if text.contains('*') => Bound::Max,
                _ => Bound::At(parse(text)?),
            };
            points.push(Point { bound, kind, text });
        }
    }
    Some(points)
}

/// Walks one range for `v`: the interval `v` falls in, if any.
fn walk<T: Ord>(range: &osv::Range, v: &T, parse: fn(&str) -> Option<T>) -> Option<AffectedRange> {
    let below = |bound: &Bound<T>| match bound {
        Bound::Min => false,
        Bound::At(at) => v < at,
        Bound::Max => true,
    };
    let (limits, mut events): (Vec<_>, Vec<_>) = points(range, parse)?
        .into_iter()
        .partition(|p| p.kind == Kind::Limit);
    let limit = limits
        .iter()
        .filter(|p| below(&p.bound))
        .min_by(|a, b| a.bound.cmp(&b.bound));
    if !limits.is_empty() && limit.is_none() {
        return None;
    }
    events.sort_by(|a, b| a.bound.cmp(&b.bound));

    let mut open: Option<usize> = None;
    for (index, event) in events.iter().enumerate() {
        if below(&event.bound) {
            break;
        }
        match event.kind {
            Kind::Introduced => {
                open.get_or_insert(index);
            }
            Kind::Fixed => open = None,
            Kind::LastAffected if !matches!(&event.bound, Bound::At(at) if at == v) => open = None,
            Kind::LastAffected | Kind::Limit => {}
        }
    }
    let start = open?;
    let end = events[start..]
        .iter()
        .find(|p| matches!(p.kind, Kind::Fixed | Kind::LastAffected));
    Some(describe(&events[start], end, limit))
}

/// The text of the interval from `start` to `end`, cut by the tightest limit above
/// the version.
fn describe<T: Ord>(
    start: &Point<'_, T>,
    end: Option<&Point<'_, T>>,
    limit: Option<&Point<'_, T>>,
) -> AffectedRange {
    let mut parts = Vec::with_capacity(3);
    if start.bound != Bound::Min {
        parts.push(format!(">={}", start.text));
    }
    match end {
        Some(end) if end.kind == Kind::Fixed => parts.push(format!("<{}", end.text)),
        Some(end) => parts.push(format!("<={}", end.text)),
        None => {}
    }
    let tighter = |limit: &Point<'_, T>| match end {
        None => true,
        Some(end) if end.kind == Kind::Fixed => limit.bound < end.bound,
        Some(end) => limit.bound <= end.bound,
    };
    if let Some(limit) = limit
        && limit.bound != Bound::Max
        && tighter(limit)
    {
        parts.push(format!("<{}", limit.text));
    }
    AffectedRange {
        text: if parts.is_empty() {
            "*".to_owned()
        } else {
            parts.join(", ")
        },
        fixed: end
            .filter(|end| end.kind == Kind::Fixed)
            .map(|end| end.text.to_owned()),
    }
}
