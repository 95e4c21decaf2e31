//! Name families: leading and trailing words that many listed names share
//! (`eslint-plugin-`, `mcp-server-`, `pytest-`, `-loader`). Two names of one family
//! differ only in the family member's own word, and that word decides whether they are
//! too short to compare: `mcp-server-git` and `mcp-server-gis` are both real-looking
//! servers, not one imitating the other.

use std::collections::{HashMap, HashSet};

use super::fold::is_separator;

/// A leading or trailing part shared by this many listed names is a family.
const FAMILY_SIZE: usize = 4;

/// The families of one ecosystem's list.
#[derive(Default)]
pub(super) struct Families {
    /// Leading parts, each ending with its separator (`mcp-server-`).
    prefixes: HashSet<Box<[u8]>>,
    /// Trailing parts, each starting with its separator (`-loader`).
    suffixes: HashSet<Box<[u8]>>,
}

impl Families {
    /// Finds the families among `names` (folded, unscoped).
    pub fn build<'a>(names: impl Iterator<Item = &'a [u8]>) -> Self {
        let mut prefixes: HashMap<&[u8], usize> = HashMap::new();
        let mut suffixes: HashMap<&[u8], usize> = HashMap::new();
        for name in names {
            let inner = name
                .iter()
                .enumerate()
                .skip(1)
                .take(name.len().saturating_sub(2));
            for (at, _) in inner.filter(|&(_, &byte)| is_separator(byte)) {
                *prefixes.entry(&name[..=at]).or_default() += 1;
                *suffixes.entry(&name[at..]).or_default() += 1;
            }
        }
        let families = |counts: HashMap<&[u8], usize>| {
            counts
                .into_iter()
                .filter(|&(_, count)| count >= FAMILY_SIZE)
                .map(|(part, _)| Box::from(part))
                .collect()
        };
        Self {
            prefixes: families(prefixes),
            suffixes: families(suffixes),
        }
    }

    /// `a` and `b` without the longest family prefix and the longest family suffix they
    /// share.
    pub fn own_parts<'a, 'b>(&self, a: &'a [u8], b: &'b [u8]) -> (&'a [u8], &'b [u8]) {
        let shared = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let start = (0..shared)
            .rev()
            .find(|&at| is_separator(a[at]) && self.prefixes.contains(&a[..=at]))
            .map_or(0, |at| at + 1);
        let (a, b) = (&a[start..], &b[start..]);
        let shared = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let cut = (1..=shared)
            .rev()
            .find(|&length| {
                let suffix = &a[a.len() - length..];
                is_separator(suffix[0]) && self.suffixes.contains(suffix)
            })
            .unwrap_or(0);
        (&a[..a.len() - cut], &b[..b.len() - cut])
    }
}
