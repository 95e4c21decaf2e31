//! One ecosystem's listed names, indexed for every kind of lookalike check.

use std::collections::{HashMap, HashSet};

use super::distance::osa;
use super::fold::{Shape, flatten, is_separator, split_scope, without_punctuation};
use super::lists::{self, List};
use super::namespaces::Families;
use super::near::{self, Neighbourhoods};
use super::{Ecosystem, Technique};

/// Words that, added to a well-known MCP name, claim an authority the package lacks
/// (`fastmcp-official`). Other added words are too common in legitimate names.
const CLAIMS: &[&[u8]] = &[
    b"official",
    b"verified",
    b"original",
    b"genuine",
    b"authentic",
    b"trusted",
];

/// Work done by lookups, for the complexity tests.
#[derive(Debug, Default)]
pub(super) struct Work {
    /// Deletion hashes looked up.
    pub lookups: usize,
    /// Edit distances measured.
    pub distances: usize,
}

/// A listed name that a looked-up name imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    /// The listed name, as its list spells it.
    pub resembles: &'static str,
    /// How it imitates it.
    pub technique: Technique,
    /// Edit distance, 0 for shape lookalikes.
    pub distance: u32,
}

struct Entry {
    name: &'static str,
    shape: Shape,
    from_mcp_list: bool,
}

/// A possible hit, by entry id (the entry's popularity rank).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    id: u32,
    distance: u32,
    technique: Technique,
}

/// The index of one ecosystem's lists. Entry ids are popularity ranks: the lists are
/// read most popular first, the general list before the MCP one.
pub(super) struct Index {
    ecosystem: Ecosystem,
    entries: Vec<Entry>,
    /// Canonical name to id.
    exact: HashMap<String, u32>,
    /// Scopes of listed scoped names: only their owners publish under them.
    scopes: HashSet<Box<[u8]>>,
    /// Flat form to ids.
    flat: HashMap<Box<[u8]>, Vec<u32>>,
    /// Package part (folded) of listed scoped names to ids.
    packages: HashMap<Box<[u8]>, Vec<u32>>,
    /// Deletion neighbourhoods of the unscoped names.
    near: Neighbourhoods,
    families: Families,
    /// Length of the longest unscoped folded name.
    longest: usize,
}

impl Index {
    /// Indexes `ecosystem`'s lists.
    pub fn build(ecosystem: Ecosystem) -> Self {
        let mut index = Self {
            ecosystem,
            entries: Vec::new(),
            exact: HashMap::new(),
            scopes: HashSet::new(),
            flat: HashMap::new(),
            packages: HashMap::new(),
            near: Neighbourhoods::default(),
            families: Families::default(),
            longest: 0,
        };
        let lists = lists::LISTS
            .iter()
            .filter(|list| list.ecosystem == ecosystem);
        for List { text, mcp, .. } in lists {
            for name in lists::names(text) {
                index.add(name, *mcp);
            }
        }
        let unscoped = || {
            index.entries.iter().enumerate().filter_map(|(id, entry)| {
                let folded = entry.shape.folded.as_slice();
                split_scope(folded).is_none().then_some((id, folded))
            })
        };
        let near = Neighbourhoods::build(unscoped().map(|(id, name)| (to_id(id), name)));
        let families = Families::build(unscoped().map(|(_, name)| name));
        let longest = unscoped().map(|(_, name)| name.len()).max().unwrap_or(0);
        Self {
            near,
            families,
            longest,
            ..index
        }
    }

    fn add(&mut self, name: &'static str, from_mcp_list: bool) {
        let shape = Shape::of(self.ecosystem, name);
        if self.exact.contains_key(&shape.canonical) {
            return;
        }
        let id = to_id(self.entries.len());
        self.exact.insert(shape.canonical.clone(), id);
        if let Some((scope, _)) = split_scope(shape.canonical.as_bytes()) {
            self.scopes.insert(Box::from(scope));
        }
        if let Some((_, package)) = split_scope(&shape.folded) {
            self.packages
                .entry(Box::from(package))
                .or_default()
                .push(id);
        }
        self.flat
            .entry(shape.flat.clone().into())
            .or_default()
            .push(id);
        self.entries.push(Entry {
            name,
            shape,
            from_mcp_list,
        });
    }

    /// The most popular listed name that `name` imitates, if any.
    pub fn lookup(&self, name: &str, work: &mut Work) -> Option<Hit> {
        let query = Shape::of(self.ecosystem, name);
        if query.canonical.is_empty() || self.exact.contains_key(&query.canonical) {
            return None;
        }
        let scoped = split_scope(query.canonical.as_bytes());
        if scoped.is_some_and(|(scope, _)| self.scopes.contains(scope)) {
            // Published by the owner of a listed scope: not an imitation.
            return None;
        }
        let mut found = Vec::new();
        for &id in self.flat.get(query.flat.as_slice()).into_iter().flatten() {
            let technique = self.same_shape_technique(&query, id);
            found.push(Found {
                id,
                distance: 0,
                technique,
            });
        }
        match split_scope(&query.folded) {
            Some((scope, package)) => self.scope_typos(scope, package, work, &mut found),
            None => {
                self.typos(&query.folded, work, &mut found);
                self.claims(&query.folded, &mut found);
            }
        }
        let best = found.into_iter().min()?;
        Some(Hit {
            resembles: self.entries[best.id as usize].name,
            technique: best.technique,
            distance: best.distance,
        })
    }

    /// How a name with the same flat form as entry `id` imitates it.
    fn same_shape_technique(&self, query: &Shape, id: u32) -> Technique {
        let listed = &self.entries[id as usize].shape.canonical;
        let has_scope_punctuation = |name: &str| name.contains(['@', '/']);
        if has_scope_punctuation(listed) || has_scope_punctuation(&query.canonical) {
            Technique::Scope
        } else if without_punctuation(query.canonical.as_bytes())
            .eq(without_punctuation(listed.as_bytes()))
        {
            Technique::Separator
        } else {
            Technique::Confusable
        }
    }

    /// Unscoped listed names within the edit budget of `folded`, measured on the words
    /// that are not a shared family prefix or suffix.
    fn typos(&self, folded: &[u8], work: &mut Work, found: &mut Vec<Found>) {
        if folded.len() > self.longest + near::MAX_BUDGET {
            return;
        }
        let mut ids = Vec::new();
        work.lookups += self.near.near(folded, &mut ids);
        for id in ids {
            let listed = &self.entries[id as usize].shape.folded;
            let (own, listed_own) = self.families.own_parts(folded, listed);
            let budget = near::budget(own.len().min(listed_own.len()));
            if budget == 0 || own.len().abs_diff(listed_own.len()) > budget {
                continue;
            }
            work.distances += 1;
            let distance = osa(own, listed_own);
            if (1..=budget).contains(&(distance as usize)) {
                found.push(Found {
                    id,
                    distance,
                    technique: Technique::EditDistance,
                });
            }
        }
    }

    /// Listed scoped names with the same package part whose scope is within the edit
    /// budget of `scope` (`@modeicontextprotocol/sdk`).
    fn scope_typos(&self, scope: &[u8], package: &[u8], work: &mut Work, found: &mut Vec<Found>) {
        for &id in self.packages.get(package).into_iter().flatten() {
            let listed = &self.entries[id as usize].shape.folded;
            let Some((listed_scope, _)) = split_scope(listed) else {
                continue;
            };
            let budget = near::budget(scope.len().min(listed_scope.len()));
            if budget == 0 || scope.len().abs_diff(listed_scope.len()) > budget {
                continue;
            }
            work.distances += 1;
            let distance = osa(scope, listed_scope);
            if (1..=budget).contains(&(distance as usize)) {
                found.push(Found {
                    id,
                    distance,
                    technique: Technique::Scope,
                });
            }
        }
    }

    /// A well-known MCP name with a word claiming authority before or after it.
    fn claims(&self, folded: &[u8], found: &mut Vec<Found>) {
        let Some(first) = folded.iter().position(|&byte| is_separator(byte)) else {
            return;
        };
        let last = folded
            .iter()
            .rposition(|&byte| is_separator(byte))
            .unwrap_or(first);
        let rests = [
            CLAIMS
                .contains(&&folded[..first])
                .then(|| &folded[first + 1..]),
            CLAIMS
                .contains(&&folded[last + 1..])
                .then(|| &folded[..last]),
        ];
        for rest in rests.into_iter().flatten() {
            let ids = self
                .flat
                .get(flatten(rest).as_slice())
                .into_iter()
                .flatten();
            for &id in ids.filter(|&&id| self.entries[id as usize].from_mcp_list) {
                found.push(Found {
                    id,
                    distance: 0,
                    technique: Technique::Combo,
                });
            }
        }
    }

    /// The listed names, most popular first.
    #[cfg(test)]
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|entry| entry.name)
    }
}

fn to_id(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}
