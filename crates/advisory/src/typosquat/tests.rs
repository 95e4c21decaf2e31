//! The bundled lists' integrity, and what the index costs.

use std::collections::HashMap;

use super::fold::{LOOKALIKES, Shape, split_scope};
use super::index::Work;
use super::lists::{LISTS, names};
use super::{Ecosystem, Index};

const ECOSYSTEMS: [Ecosystem; 2] = [Ecosystem::Npm, Ecosystem::PyPI];

/// npm's rules for new package names, plus the capitals some old names still have.
fn valid_npm_name(name: &str) -> bool {
    let allowed = |part: &str| {
        !part.is_empty()
            && !part.starts_with(['.', '_'])
            && part
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
    };
    let valid = match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, package)| allowed(scope) && allowed(package)),
        None => allowed(name),
    };
    valid && name.len() <= 214
}

/// PEP 508's project names: ASCII letters and digits, `-`, `_` and `.` inside.
fn valid_pypi_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_alphanumeric);
    edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(byte))
}

#[test]
fn lookalike_table_is_sorted_for_binary_search() {
    assert!(LOOKALIKES.windows(2).all(|pair| pair[0].0 < pair[1].0));
}

#[test]
fn every_list_says_where_it_comes_from_and_when() {
    for list in LISTS {
        let header: Vec<&str> = list
            .text
            .lines()
            .take_while(|line| line.starts_with('#'))
            .collect();
        let says = |label: &str| header.iter().any(|line| line.starts_with(label));
        assert!(
            says("# Source: "),
            "{:?} list has no source",
            list.ecosystem
        );
        assert!(says("# Updated: "), "{:?} list has no date", list.ecosystem);
    }
}

#[test]
fn every_listed_name_is_valid_and_listed_once() {
    for ecosystem in ECOSYSTEMS {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let lists = LISTS.iter().filter(|list| list.ecosystem == ecosystem);
        for (list, name) in lists.flat_map(|list| names(list.text).map(move |name| (list, name))) {
            let valid = match ecosystem {
                Ecosystem::Npm => valid_npm_name(name),
                Ecosystem::PyPI => valid_pypi_name(name),
            };
            assert!(valid, "{ecosystem:?}: {name:?} is not a valid name");
            let canonical = Shape::of(ecosystem, name).canonical;
            if let Some(first) = seen.insert(canonical, name) {
                panic!(
                    "{ecosystem:?}: {name:?} (mcp list: {}) repeats {first:?}",
                    list.mcp
                );
            }
        }
    }
}

#[test]
fn lists_have_the_promised_sizes() {
    let count = |ecosystem: Ecosystem, mcp: bool| {
        LISTS
            .iter()
            .filter(|list| list.ecosystem == ecosystem && list.mcp == mcp)
            .map(|list| names(list.text).count())
            .sum::<usize>()
    };
    assert!((700..=1500).contains(&count(Ecosystem::Npm, false)));
    assert!((700..=1500).contains(&count(Ecosystem::PyPI, false)));
    assert!(count(Ecosystem::Npm, true) >= 40);
    assert!(count(Ecosystem::PyPI, true) >= 20);
}

#[test]
fn no_listed_name_is_a_candidate() {
    for ecosystem in ECOSYSTEMS {
        let index = Index::build(ecosystem);
        let mut work = Work::default();
        for name in index.names() {
            let hit = index.lookup(name, &mut work);
            assert_eq!(hit, None, "{ecosystem:?}: listed {name:?}");
        }
    }
}

/// Deterministic names for the complexity guard: one-edit and two-edit variants of
/// listed names, listed names themselves and unrelated names, 5 000 in all.
fn workload(index: &Index) -> Vec<String> {
    let listed: Vec<&str> = index.names().collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % bound as u64).unwrap_or(0)
    };
    (0..5_000)
        .map(|i| {
            let mut name: Vec<u8> = listed[next(listed.len())].bytes().collect();
            let edits = i % 4;
            for _ in 0..edits {
                let at = next(name.len());
                match next(3) {
                    0 if name.len() > 1 => {
                        name.remove(at);
                    }
                    1 => name.insert(at, b"abcdefghijklmnopqrstuvwxyz-"[next(27)]),
                    _ if at + 1 < name.len() => name.swap(at, at + 1),
                    _ => name.push(b'x'),
                }
            }
            if i % 10 == 9 {
                name = format!("internal-tooling-{i}").into_bytes();
            }
            String::from_utf8(name).unwrap_or_default()
        })
        .collect()
}

#[test]
fn checking_five_thousand_names_measures_few_distances() {
    for ecosystem in ECOSYSTEMS {
        let index = Index::build(ecosystem);
        let names = workload(&index);
        let mut work = Work::default();
        let flagged = names
            .iter()
            .filter(|name| index.lookup(name, &mut work).is_some())
            .count();
        let naive = names.len() * index.names().count();
        // Most edited names are found again (not all: short names, families and
        // edits that land on another listed name are not candidates).
        assert!(
            flagged > names.len() / 5,
            "{ecosystem:?}: only {flagged} flagged"
        );
        // A scan against every listed name measures `naive` distances; the index
        // measures a few per name.
        assert!(
            work.distances < 3 * names.len(),
            "{ecosystem:?}: {} distances for {} names ({naive} naively)",
            work.distances,
            names.len()
        );
        // Each name hashes at most its two-deletion neighbourhood.
        assert!(work.lookups < 150 * names.len(), "{ecosystem:?}: {work:?}");
    }
}

#[test]
fn hostile_names_are_cheap_and_never_panic() {
    let index = Index::build(Ecosystem::Npm);
    let huge = "a".repeat(1 << 20);
    let separators = "-".repeat(100_000);
    let marks = format!("lodash{}", "\u{0301}".repeat(100_000));
    let invisible = format!("lod{}ash", "\u{200B}".repeat(100_000));
    let mut work = Work::default();
    for name in [
        huge.as_str(),
        &separators,
        "",
        "@",
        "@/",
        "/",
        "@scope/",
        "@/package",
        "\u{0000}",
        "\u{FFFF}\u{10FFFF}",
        "İİİ",
    ] {
        assert_eq!(index.lookup(name, &mut work), None, "{name:.20?}");
    }
    assert_eq!(work.distances, 0);
    // Marks and invisible characters vanish when folded: what is left is lodash.
    for name in [&marks, &invisible] {
        let hit = index.lookup(name, &mut work);
        assert_eq!(hit.map(|hit| hit.resembles), Some("lodash"));
    }
}

#[test]
fn scoped_names_split_only_when_well_formed() {
    assert_eq!(split_scope(b"@a/b"), Some((&b"a"[..], &b"b"[..])));
    assert_eq!(split_scope(b"@a/b/c"), Some((&b"a"[..], &b"b/c"[..])));
    for name in [&b"a/b"[..], b"@a", b"@/b", b"@a/", b"@a-b"] {
        assert_eq!(split_scope(name), None);
    }
}
