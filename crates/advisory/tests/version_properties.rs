//! Property tests for the version orderings: order laws, display round trips,
//! agreement with independent implementations (`nodejs-semver` for SemVer,
//! `pep440_rs` for PEP 440), PEP 440 spelling normalisation, Go pseudo-version
//! order, hostile input, and the OSV event walk against a literal transcription of
//! the schema's evaluation pseudocode.

use std::cmp::Ordering;
use std::str::FromStr;

use assay_advisory::osv;
use assay_advisory::version::{Ecosystem, affected_by, compare};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------- generators

fn semver_identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..20).prop_map(|n| n.to_string()),
        "[a-zA-Z-][0-9a-zA-Z-]{0,4}",
        "[0-9]{1,3}[a-zA-Z-][0-9a-zA-Z-]{0,2}",
        select(vec!["alpha", "beta", "rc", "pre"]).prop_map(str::to_owned),
    ]
}

/// The parts of a SemVer version: core numbers, prerelease and build identifiers.
type SemverParts = ((u64, u64, u64), Vec<String>, Vec<String>);

fn semver_parts() -> impl Strategy<Value = SemverParts> {
    let number = prop_oneof![8 => 0u64..4, 1 => 0u64..100_000];
    (
        (number.clone(), number.clone(), number),
        prop::collection::vec(semver_identifier(), 0..3),
        prop::collection::vec("[0-9a-zA-Z-]{1,4}", 0..3),
    )
}

fn render_semver(((major, minor, patch), pre, build): &SemverParts) -> String {
    let mut text = format!("{major}.{minor}.{patch}");
    if !pre.is_empty() {
        text = format!("{text}-{}", pre.join("."));
    }
    if !build.is_empty() {
        text = format!("{text}+{}", build.join("."));
    }
    text
}

/// `n` strict SemVer strings (no prefix) that often share their core numbers and a
/// prefix of their prerelease, so that the interesting comparisons happen.
fn semver_family(n: usize) -> impl Strategy<Value = Vec<String>> {
    (
        semver_parts(),
        prop::collection::vec((semver_parts(), any::<bool>(), 0usize..4), n),
    )
        .prop_map(|((base_core, base_pre, _), members)| {
            members
                .into_iter()
                .map(|((core, pre, build), keep_core, kept_pre)| {
                    let core = if keep_core { base_core } else { core };
                    let mut shared = base_pre[..kept_pre.min(base_pre.len())].to_vec();
                    shared.extend(pre);
                    render_semver(&(core, shared, build))
                })
                .collect()
        })
}

/// npm's spellings of SemVer strings.
fn npm_family(n: usize) -> impl Strategy<Value = Vec<String>> {
    let spelling = (
        select(vec!["", "v", "=", "=v", " ", " v"]),
        select(vec!["", " ", "\t"]),
    );
    (semver_family(n), prop::collection::vec(spelling, n)).prop_map(|(versions, spellings)| {
        versions
            .into_iter()
            .zip(spellings)
            .map(|(version, (prefix, suffix))| format!("{prefix}{version}{suffix}"))
            .collect()
    })
}

/// Go module versions: releases, prereleases, shorthands, pseudo-versions of the
/// three forms, `+incompatible`, with and without the `v`.
fn go_family(n: usize) -> impl Strategy<Value = Vec<String>> {
    let timestamp = (2018u32..2026, 1u32..13, 1u32..29, 0u32..86_400).prop_map(|(y, m, d, s)| {
        format!(
            "{y}{m:02}{d:02}{:02}{:02}{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    });
    let shape = (
        0usize..6,
        timestamp,
        "[0-9a-f]{12}",
        any::<bool>(),
        any::<bool>(),
    );
    (semver_family(n), prop::collection::vec(shape, n)).prop_map(|(versions, shapes)| {
        versions
            .into_iter()
            .zip(shapes)
            .map(|(version, (form, t, hash, incompatible, bare))| {
                let release = version.split('+').next().unwrap_or_default();
                let core: Vec<u64> = release
                    .split(['.', '-'])
                    .take(3)
                    .map(|n| n.parse().unwrap())
                    .collect();
                let (x, y, z) = (core[0], core[1], core[2]);
                let v = match form {
                    0 | 1 => format!("v{release}"),
                    2 => format!("v{x}.{y}"),
                    3 => format!("v{x}.0.0-{t}-{hash}"),
                    4 => format!("v{x}.{y}.{}-0.{t}-{hash}", z + 1),
                    _ => format!("v{x}.{y}.{z}-pre.0.{t}-{hash}"),
                };
                let v = if incompatible && form != 2 {
                    format!("{v}+incompatible")
                } else {
                    v
                };
                if bare { v[1..].to_owned() } else { v }
            })
            .collect()
    })
}

/// The parts of a PEP 440 version.
#[derive(Debug, Clone)]
struct Pep440 {
    epoch: u64,
    release: Vec<u64>,
    pre: Option<(usize, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<String>,
}

fn pep440_parts() -> impl Strategy<Value = Pep440> {
    let local_segment = prop_oneof![(0u64..20).prop_map(|n| n.to_string()), "[a-z][a-z0-9]{0,3}"];
    (
        prop_oneof![4 => Just(0u64), 1 => 0u64..3],
        prop::collection::vec(prop_oneof![3 => 0u64..3, 1 => 0u64..30], 1..5),
        prop::option::of((0usize..3, 0u64..3)),
        prop::option::of(0u64..3),
        prop::option::of(0u64..3),
        prop::collection::vec(local_segment, 0..3),
    )
        .prop_map(|(epoch, release, pre, post, dev, local)| Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
}

impl Pep440 {
    /// The normalised spelling, as PEP 440 writes it.
    fn canonical(&self) -> String {
        let mut text = String::new();
        if self.epoch != 0 {
            text += &format!("{}!", self.epoch);
        }
        text += &self
            .release
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if let Some((kind, n)) = self.pre {
            text += &format!("{}{n}", ["a", "b", "rc"][kind]);
        }
        if let Some(n) = self.post {
            text += &format!(".post{n}");
        }
        if let Some(n) = self.dev {
            text += &format!(".dev{n}");
        }
        if !self.local.is_empty() {
            text += &format!("+{}", self.local.join("."));
        }
        text
    }
}

/// Choices for spelling a PEP 440 version another way.
#[derive(Debug, Clone)]
struct Spelling {
    prefix: &'static str,
    explicit_epoch: bool,
    zero_pad: bool,
    pre_label: usize,
    separators: [&'static str; 6],
    implicit_numbers: bool,
    dash_post: bool,
    post_label: &'static str,
    dev_label: &'static str,
    local_separator: &'static str,
    upper: bool,
    padding: &'static str,
}

fn spelling() -> impl Strategy<Value = Spelling> {
    let sep = || select(vec!["", ".", "-", "_"]);
    (
        (
            select(vec!["", "v", "V"]),
            any::<bool>(),
            any::<bool>(),
            0usize..4,
        ),
        [sep(), sep(), sep(), sep(), sep(), sep()],
        (
            any::<bool>(),
            any::<bool>(),
            select(vec!["post", "rev", "r", "POST"]),
            select(vec!["dev", "DEV"]),
        ),
        (
            select(vec![".", "-", "_"]),
            any::<bool>(),
            select(vec!["", " ", "\n"]),
        ),
    )
        .prop_map(
            |(
                (prefix, explicit_epoch, zero_pad, pre_label),
                separators,
                (implicit_numbers, dash_post, post_label, dev_label),
                (local_separator, upper, padding),
            )| Spelling {
                prefix,
                explicit_epoch,
                zero_pad,
                pre_label,
                separators,
                implicit_numbers,
                dash_post,
                post_label,
                dev_label,
                local_separator,
                upper,
                padding,
            },
        )
}

impl Pep440 {
    /// This version in the alternative spelling `how`.
    fn spelled(&self, how: &Spelling) -> String {
        let num = |n: u64| {
            if how.zero_pad {
                format!("0{n}")
            } else {
                n.to_string()
            }
        };
        let optional = |n: u64| {
            if how.implicit_numbers && n == 0 {
                String::new()
            } else {
                num(n)
            }
        };
        let [
            pre_before,
            pre_after,
            post_before,
            post_after,
            dev_before,
            dev_after,
        ] = how.separators;
        let mut text = how.prefix.to_owned();
        if self.epoch != 0 || how.explicit_epoch {
            text += &format!("{}!", num(self.epoch));
        }
        text += &self
            .release
            .iter()
            .map(|&n| num(n))
            .collect::<Vec<_>>()
            .join(".");
        let dash_post = how.dash_post && self.post.is_some();
        if let Some((kind, n)) = self.pre {
            let labels: [&[&str]; 3] = [
                &["a", "alpha", "A", "Alpha"],
                &["b", "beta", "B", "Beta"],
                &["rc", "c", "pre", "preview"],
            ];
            let label = labels[kind][how.pre_label % labels[kind].len()];
            // `1.0a-1` reads as `1.0a1`: a `-N` post-release needs an explicit number.
            let n = if dash_post { num(n) } else { optional(n) };
            let after = if n.is_empty() && dash_post {
                ""
            } else {
                pre_after
            };
            text += &format!("{pre_before}{label}{after}{n}");
        }
        if let Some(n) = self.post {
            if dash_post {
                text += &format!("-{}", num(n));
            } else {
                text += &format!("{post_before}{}{post_after}{}", how.post_label, optional(n));
            }
        }
        if let Some(n) = self.dev {
            text += &format!("{dev_before}{}{dev_after}{}", how.dev_label, optional(n));
        }
        if !self.local.is_empty() {
            let segments: Vec<String> = self
                .local
                .iter()
                .map(|s| match s.parse::<u64>() {
                    Ok(n) => num(n),
                    Err(_) if how.upper => s.to_uppercase(),
                    Err(_) => s.clone(),
                })
                .collect();
            text += &format!("+{}", segments.join(how.local_separator));
        }
        format!("{}{text}{}", how.padding, how.padding)
    }
}

/// PEP 440 versions that often share parts, so that the interesting comparisons
/// happen.
fn pep440_family(n: usize) -> impl Strategy<Value = Vec<Pep440>> {
    (
        pep440_parts(),
        prop::collection::vec((pep440_parts(), any::<[bool; 6]>()), n),
    )
        .prop_map(|(base, members)| {
            members
                .into_iter()
                .map(|(own, keep)| Pep440 {
                    epoch: if keep[0] { base.epoch } else { own.epoch },
                    release: if keep[1] {
                        base.release.clone()
                    } else {
                        own.release
                    },
                    pre: if keep[2] { base.pre } else { own.pre },
                    post: if keep[3] { base.post } else { own.post },
                    dev: if keep[4] { base.dev } else { own.dev },
                    local: if keep[5] {
                        base.local.clone()
                    } else {
                        own.local
                    },
                })
                .collect()
        })
}

/// `n` related versions of `ecosystem`, in any spelling this file generates.
fn family(ecosystem: Ecosystem, n: usize) -> BoxedStrategy<Vec<String>> {
    match ecosystem {
        Ecosystem::Npm => npm_family(n).boxed(),
        Ecosystem::PyPI => (pep440_family(n), prop::collection::vec(spelling(), n))
            .prop_map(|(versions, spellings)| {
                versions
                    .iter()
                    .zip(&spellings)
                    .map(|(v, how)| v.spelled(how))
                    .collect()
            })
            .boxed(),
        Ecosystem::Go => go_family(n).boxed(),
        Ecosystem::CratesIo => semver_family(n).boxed(),
    }
}

fn ecosystem_and_family(n: usize) -> impl Strategy<Value = (Ecosystem, Vec<String>)> {
    select(Ecosystem::ALL.to_vec()).prop_flat_map(move |eco| (Just(eco), family(eco, n)))
}

// ---------------------------------------------------------------- order laws

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn ordering_is_a_total_order((eco, versions) in ecosystem_and_family(3)) {
        let [a, b, c] = <[String; 3]>::try_from(versions).unwrap();
        let cmp = |x: &str, y: &str| compare(eco, x, y).unwrap_or_else(|| panic!("{x:?} or {y:?} does not parse"));
        prop_assert_eq!(cmp(&a, &a), Ordering::Equal);
        prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
        let mut sorted = [a.as_str(), b.as_str(), c.as_str()];
        sorted.sort_by(|x, y| cmp(x, y));
        prop_assert_ne!(cmp(sorted[0], sorted[1]), Ordering::Greater);
        prop_assert_ne!(cmp(sorted[1], sorted[2]), Ordering::Greater);
        prop_assert_ne!(cmp(sorted[0], sorted[2]), Ordering::Greater, "transitivity: {:?}", sorted);
    }

    #[test]
    fn display_round_trips((eco, versions) in ecosystem_and_family(1)) {
        let a = &versions[0];
        let parsed = eco.parse(a).unwrap();
        let shown = parsed.to_string();
        let reparsed = eco.parse(&shown).unwrap_or_else(|| panic!("{shown:?} (from {a:?}) does not parse"));
        prop_assert!(reparsed == parsed, "{} vs {}", shown, a);
        prop_assert_eq!(reparsed.to_string(), shown);
    }

    #[test]
    fn anything_that_parses_round_trips(text in "[0-9a-zA-Z.+!_=-]{0,24}", eco in select(Ecosystem::ALL.to_vec())) {
        if let Some(parsed) = eco.parse(&text) {
            let shown = parsed.to_string();
            prop_assert!(eco.parse(&shown).is_some_and(|again| again == parsed && again.to_string() == shown), "{:?} -> {:?}", text, shown);
            prop_assert_eq!(compare(eco, &text, &text), Some(Ordering::Equal));
        }
    }

    #[test]
    fn hostile_input_never_panics(text in any::<String>(), eco in select(Ecosystem::ALL.to_vec())) {
        let _ = eco.parse(&text);
        let _ = compare(eco, &text, "1.0.0");
    }
}

// ---------------------------------------------------------------- oracles

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn npm_and_cargo_agree_with_nodejs_semver([a, b] in semver_family(2).prop_map(|v| <[String; 2]>::try_from(v).unwrap())) {
        let oracle = nodejs_semver::Version::parse(&a).unwrap().cmp(&nodejs_semver::Version::parse(&b).unwrap());
        prop_assert_eq!(compare(Ecosystem::Npm, &a, &b), Some(oracle));
        prop_assert_eq!(compare(Ecosystem::CratesIo, &a, &b), Some(oracle));
        prop_assert_eq!(compare(Ecosystem::Go, &format!("v{a}"), &format!("v{b}")), Some(oracle));
    }

    #[test]
    fn pypi_agrees_with_pep440_rs(versions in pep440_family(2)) {
        let (a, b) = (versions[0].canonical(), versions[1].canonical());
        let oracle = pep440_rs::Version::from_str(&a).unwrap().cmp(&pep440_rs::Version::from_str(&b).unwrap());
        prop_assert_eq!(compare(Ecosystem::PyPI, &a, &b), Some(oracle), "{} vs {}", a, b);
    }

    #[test]
    fn pypi_alternative_spellings_normalise(v in pep440_parts(), how in spelling()) {
        let spelled = v.spelled(&how);
        let parsed = Ecosystem::PyPI.parse(&spelled);
        prop_assert!(parsed.is_some(), "{:?} does not parse", spelled);
        prop_assert_eq!(parsed.unwrap().to_string(), v.canonical(), "from {:?}", spelled);
    }

    #[test]
    fn go_pseudo_versions_sit_between_their_base_and_the_next_release(
        (x, y, z) in (0u64..5, 0u64..5, 0u64..5),
        (t1, t2) in (20180101000000u64..20251231235959, 20180101000000u64..20251231235959),
        hash in "[0-9a-f]{12}",
    ) {
        let (early, late) = (t1.min(t2), t1.max(t2));
        let base = format!("v{x}.{y}.{z}");
        let next = format!("v{x}.{y}.{}", z + 1);
        let pseudo = |t: u64| format!("v{x}.{y}.{}-0.{t}-{hash}", z + 1);
        let lt = |a: &str, b: &str| compare(Ecosystem::Go, a, b) == Some(Ordering::Less);
        prop_assert!(lt(&base, &pseudo(early)));
        prop_assert!(early == late || lt(&pseudo(early), &pseudo(late)));
        prop_assert!(lt(&pseudo(late), &next));
        let untagged = format!("v0.0.0-{early}-{hash}");
        prop_assert!(lt(&untagged, "v0.0.1"));
    }
}

// ---------------------------------------------------------------- the event walk

/// A range event: kind and version text.
#[derive(Debug, Clone)]
enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

/// The schema's `IncludedInRanges` for one range, transcribed literally.
fn included_per_spec(eco: Ecosystem, v: &str, events: &[Event]) -> bool {
    let cmp = |a: &str, b: &str| compare(eco, a, b).unwrap();
    let limits: Vec<&String> = events
        .iter()
        .filter_map(|e| {
            if let Event::Limit(l) = e {
                Some(l)
            } else {
                None
            }
        })
        .collect();
    let before_limits = limits.is_empty()
        || limits
            .iter()
            .any(|l| l.contains('*') || cmp(v, l) == Ordering::Less);
    if !before_limits {
        return false;
    }
    let key = |e: &Event| match e {
        Event::Introduced(x) if x == "0" => None,
        Event::Introduced(x) | Event::Fixed(x) | Event::LastAffected(x) | Event::Limit(x) => {
            Some(x.clone())
        }
    };
    let mut sorted: Vec<&Event> = events
        .iter()
        .filter(|e| !matches!(e, Event::Limit(_)))
        .collect();
    sorted.sort_by(|a, b| match (key(a), key(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => cmp(&x, &y),
    });
    let mut vulnerable = false;
    for event in sorted {
        match event {
            Event::Introduced(x) if x == "0" || cmp(v, x) != Ordering::Less => vulnerable = true,
            Event::Fixed(x) if cmp(v, x) != Ordering::Less => vulnerable = false,
            Event::LastAffected(x) if cmp(v, x) == Ordering::Greater => vulnerable = false,
            _ => {}
        }
    }
    vulnerable
}

fn walk_case() -> impl Strategy<Value = (Ecosystem, &'static str, String, Vec<Event>)> {
    let npm: Vec<String> = (0..3)
        .flat_map(|x| (0..3).flat_map(move |y| ["0", "1"].map(|z| format!("{x}.{y}.{z}"))))
        .chain(["1.1.0-rc.1".to_owned(), "2.0.0-alpha".to_owned()])
        .collect();
    let pypi: Vec<String> = [
        "0.9",
        "1.0.dev1",
        "1.0a1",
        "1.0",
        "1.0.post1",
        "1.1",
        "1.1.1",
        "2.0rc1",
        "2.0",
        "2.0.0.1",
        "3",
    ]
    .map(str::to_owned)
    .to_vec();
    prop_oneof![
        Just((Ecosystem::Npm, "SEMVER", npm)),
        Just((Ecosystem::PyPI, "ECOSYSTEM", pypi))
    ]
    .prop_flat_map(|(eco, kind, universe)| {
        let version = select(universe.clone());
        let event = (0usize..9, version.clone()).prop_map(|(k, v)| match k {
            0 => Event::Introduced("0".to_owned()),
            1 | 2 => Event::Introduced(v),
            3 | 4 => Event::Fixed(v),
            5 | 6 => Event::LastAffected(v),
            7 => Event::Limit(v),
            _ => Event::Limit("*".to_owned()),
        });
        (
            Just(eco),
            Just(kind),
            version,
            prop::collection::vec(event, 0..8),
        )
    })
}

fn affected_with(kind: &str, events: &[Event]) -> osv::Affected {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|e| match e {
            Event::Introduced(x) => serde_json::json!({ "introduced": x }),
            Event::Fixed(x) => serde_json::json!({ "fixed": x }),
            Event::LastAffected(x) => serde_json::json!({ "last_affected": x }),
            Event::Limit(x) => serde_json::json!({ "limit": x }),
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "ranges": [{ "type": kind, "events": events }] }))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn event_walk_agrees_with_the_schema_pseudocode((eco, kind, v, events) in walk_case()) {
        let found = affected_by(eco, &affected_with(kind, &events), &v);
        prop_assert_eq!(found.is_some(), included_per_spec(eco, &v, &events), "{} in {:?}", v, events);
        let Some(range) = found else { return Ok(()) };
        let cmp = |a: &str, b: &str| compare(eco, a, b).unwrap();
        if range.text != "*" {
            for part in range.text.split(", ") {
                let holds = if let Some(x) = part.strip_prefix(">=") {
                    cmp(&v, x) != Ordering::Less
                } else if let Some(x) = part.strip_prefix("<=") {
                    cmp(&v, x) != Ordering::Greater
                } else if let Some(x) = part.strip_prefix('<') {
                    cmp(&v, x) == Ordering::Less
                } else {
                    false
                };
                prop_assert!(holds, "{} does not satisfy {:?} of {:?}", v, part, range.text);
            }
        }
        if let Some(fixed) = &range.fixed {
            prop_assert_eq!(cmp(&v, fixed), Ordering::Less);
            prop_assert!(events.iter().any(|e| matches!(e, Event::Fixed(x) if x == fixed)));
            let upper = format!("<{fixed}");
            prop_assert!(range.text.contains(&upper));
        }
    }
}
