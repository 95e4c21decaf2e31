//! Names that imitate popular packages.
//!
//! A name is a candidate when it is *not* itself on the bundled lists (the most
//! depended-upon npm packages, the most downloaded PyPI projects, well-known MCP servers
//! and SDKs) but reads like a listed name:
//!
//! - `edit-distance`: one edit away (two for names of ten characters or more), counting
//!   adjacent transpositions as one edit (`loadsh`, `electorn`, `reqeusts`). Names of four
//!   characters or fewer are never compared this way, and within a name family
//!   (`eslint-plugin-…`, `mcp-server-…`) only the member's own words count;
//! - `confusable`: the same once lookalike characters are folded (`jeIlyfish`, Cyrillic
//!   `а` for `a`, `rn` for `m`, `0` for `o`, fullwidth and accented letters);
//! - `separator`: the same once `-`, `_` and `.` are removed (`crossenv`, `babelcli`); for
//!   PyPI, names equal under PEP 503 are the same project, not imitations;
//! - `scope`: an npm scope one or two edits from a listed scope with a listed package
//!   behind it (`@modeicontextprotocol/sdk`), or a scoped name flattened
//!   (`modelcontextprotocol-sdk`, `@modelcontextprotocol-sdk`). A name under a listed
//!   scope is never a candidate: only the scope's owner can publish there;
//! - `combo`: a well-known MCP name with a word claiming authority (`fastmcp-official`).
//!
//! Precision matters more than recall: popular names are often close to each other
//! (`react` and `preact`), and a listed name is never a candidate.

mod distance;
mod fold;
mod index;
mod lists;
mod namespaces;
mod near;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::sync::OnceLock;

use assay_core::{ResolvedDependency, TyposquatCandidate};

use index::{Index, Work};

/// The ecosystems with bundled lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ecosystem {
    Npm,
    PyPI,
}

impl Ecosystem {
    fn from_osv(name: &str) -> Option<Self> {
        match name {
            "npm" => Some(Self::Npm),
            "PyPI" => Some(Self::PyPI),
            _ => None,
        }
    }

    fn osv_name(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::PyPI => "PyPI",
        }
    }

    fn index(self) -> &'static Index {
        static NPM: OnceLock<Index> = OnceLock::new();
        static PYPI: OnceLock<Index> = OnceLock::new();
        let cell = match self {
            Self::Npm => &NPM,
            Self::PyPI => &PYPI,
        };
        cell.get_or_init(|| Index::build(self))
    }
}

/// How a name imitates a listed one, strongest evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Technique {
    Separator,
    Confusable,
    Scope,
    Combo,
    EditDistance,
}

impl Technique {
    fn as_str(self) -> &'static str {
        match self {
            Self::Separator => "separator",
            Self::Confusable => "confusable",
            Self::Scope => "scope",
            Self::Combo => "combo",
            Self::EditDistance => "edit-distance",
        }
    }
}

/// The listed name that `name` (in OSV ecosystem `ecosystem`) imitates, the most popular
/// one when it resembles several; `None` when `name` is itself listed, resembles no
/// listed name, or the ecosystem has no list (only `npm` and `PyPI` have).
pub fn candidates(ecosystem: &str, name: &str) -> Option<TyposquatCandidate> {
    let ecosystem = Ecosystem::from_osv(ecosystem)?;
    let hit = ecosystem.index().lookup(name, &mut Work::default())?;
    Some(TyposquatCandidate {
        ecosystem: ecosystem.osv_name().to_owned(),
        name: name.to_owned(),
        resembles: hit.resembles.to_owned(),
        technique: hit.technique.as_str().to_owned(),
        distance: hit.distance,
    })
}

/// [`candidates`] for each distinct (ecosystem, name) among `dependencies`, in the order
/// they first appear.
pub fn candidates_in(dependencies: &[ResolvedDependency]) -> Vec<TyposquatCandidate> {
    let mut seen = HashSet::new();
    dependencies
        .iter()
        .filter(|dependency| seen.insert((&dependency.ecosystem, &dependency.name)))
        .filter_map(|dependency| candidates(&dependency.ecosystem, &dependency.name))
        .collect()
}
