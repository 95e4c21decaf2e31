//! The bundled lists of names worth imitating, one name per line, `#` comments. Each
//! list is read most popular first: a name's line decides its rank.

use super::Ecosystem;

/// One bundled list.
pub(super) struct List {
    /// The ecosystem its names belong to.
    pub ecosystem: Ecosystem,
    /// True for the well-known MCP servers and SDKs (the only names combosquats are
    /// checked against).
    pub mcp: bool,
    /// The file's text.
    pub text: &'static str,
}

/// Every bundled list; within an ecosystem, the general list comes before the MCP one.
pub(super) const LISTS: &[List] = &[
    List {
        ecosystem: Ecosystem::Npm,
        mcp: false,
        text: include_str!("../../data/typosquat/npm-popular.txt"),
    },
    List {
        ecosystem: Ecosystem::Npm,
        mcp: true,
        text: include_str!("../../data/typosquat/npm-mcp.txt"),
    },
    List {
        ecosystem: Ecosystem::PyPI,
        mcp: false,
        text: include_str!("../../data/typosquat/pypi-popular.txt"),
    },
    List {
        ecosystem: Ecosystem::PyPI,
        mcp: true,
        text: include_str!("../../data/typosquat/pypi-mcp.txt"),
    },
];

/// The names in a list's text: trimmed lines that are neither blank nor comments.
pub(super) fn names(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}
