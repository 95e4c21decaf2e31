//! Language-independent helpers shared by the surface extractors.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use assay_core::Location;
use tree_sitter::Node;

/// The [`Location`] of `node` in `text` (the file at `path`), with 1-based lines and
/// character-counted columns. Only the node's own lines are scanned, so this stays cheap
/// on large files.
pub fn node_location(path: &str, text: &str, node: Node<'_>) -> Location {
    let start = node.start_position();
    let end = node.end_position();
    Location {
        path: path.to_string(),
        line: to_u32(start.row + 1),
        column: char_column(text, node.start_byte(), start.column),
        end_line: to_u32(end.row + 1),
        end_column: char_column(text, node.end_byte(), end.column),
    }
}

/// 1-based character column of byte offset `byte`, which sits `byte_column` bytes after
/// the start of its line.
fn char_column(text: &str, byte: usize, byte_column: usize) -> u32 {
    let line_start = byte.saturating_sub(byte_column);
    let chars = text
        .get(line_start..byte)
        .map_or(byte_column, |s| s.chars().count());
    to_u32(chars + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The [`Location`] spanning from the start of `first` to the end of `last`.
pub fn span_location(path: &str, text: &str, first: Node<'_>, last: Node<'_>) -> Location {
    let start = node_location(path, text, first);
    let end = node_location(path, text, last);
    Location {
        end_line: end.end_line,
        end_column: end.end_column,
        ..start
    }
}

/// Whether `text` mentions "mcp" in any case. Python and Go servers import an MCP SDK
/// (`mcp`, `fastmcp`, `mcp-go`, the Go SDK) and Python decorators name a server object
/// from such an import, so a file without it declares nothing.
pub fn mentions_mcp(text: &str) -> bool {
    static MCP: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(["mcp"])
            .expect("valid pattern")
    });
    MCP.is_match(text)
}

/// Nodes indexed per function body; the rest of a (generated, megabyte) function is
/// left unindexed and its names unresolved.
const MAX_LOCAL_INDEX_NODES: usize = 1_000_000;

/// The assignments of one function body, by assigned name, in source order — built once
/// per function so that resolving many names stays linear in the function's size.
pub struct LocalAssignments<'t> {
    by_name: HashMap<&'t str, Vec<(usize, Node<'t>)>>,
}

impl<'t> LocalAssignments<'t> {
    /// Indexes `body`. `assignments` lists the `(name, value)` pairs a node assigns
    /// (none for most nodes); bodies of nested functions (node kinds in `nested`) are
    /// skipped, they have their own locals.
    pub fn build(
        body: Node<'t>,
        text: &'t str,
        nested: &[&str],
        assignments: impl Fn(Node<'t>) -> Vec<(Node<'t>, Node<'t>)>,
    ) -> Self {
        let mut by_name: HashMap<&'t str, Vec<(usize, Node<'t>)>> = HashMap::new();
        let mut stack = vec![body];
        let mut visited = 0;
        while let Some(node) = stack.pop() {
            visited += 1;
            if visited > MAX_LOCAL_INDEX_NODES {
                break;
            }
            for (name, value) in assignments(node) {
                let name = text.get(name.byte_range()).unwrap_or("");
                by_name
                    .entry(name)
                    .or_default()
                    .push((node.end_byte(), value));
            }
            if node != body && nested.contains(&node.kind()) {
                continue;
            }
            let mut cursor = node.walk();
            let children: Vec<_> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        LocalAssignments { by_name }
    }

    /// The value of the last assignment to `name` that ends before byte `offset`.
    pub fn before(&self, name: &str, offset: usize) -> Option<Node<'t>> {
        self.by_name
            .get(name)?
            .iter()
            .rev()
            .find(|(end, _)| *end <= offset)
            .map(|(_, value)| *value)
    }
}

/// [`LocalAssignments`] per function, built on first use.
#[derive(Default)]
pub struct LocalsCache<'t> {
    cache: RefCell<HashMap<usize, Rc<LocalAssignments<'t>>>>,
}

impl<'t> LocalsCache<'t> {
    /// The value last assigned to `name` before `use_site` in the function enclosing it
    /// (the innermost ancestor whose kind is in `function_kinds`; functions of those
    /// kinds nested in it keep their own locals). The function is indexed on first use,
    /// `assignments` listing the `(name, value)` pairs a node assigns.
    pub fn before(
        &self,
        use_site: Node<'t>,
        name: &str,
        text: &'t str,
        function_kinds: &[&str],
        assignments: impl Fn(Node<'t>) -> Vec<(Node<'t>, Node<'t>)>,
    ) -> Option<Node<'t>> {
        let function = enclosing(use_site, function_kinds)?;
        let body = function.child_by_field_name("body")?;
        self.get(function, || {
            LocalAssignments::build(body, text, function_kinds, assignments)
        })
        .before(name, use_site.start_byte())
    }

    /// The index of `function` (keyed by node id), building it with `build` if needed.
    fn get(
        &self,
        function: Node<'t>,
        build: impl FnOnce() -> LocalAssignments<'t>,
    ) -> Rc<LocalAssignments<'t>> {
        if let Some(index) = self.cache.borrow().get(&function.id()) {
            return Rc::clone(index);
        }
        let index = Rc::new(build());
        self.cache
            .borrow_mut()
            .insert(function.id(), Rc::clone(&index));
        index
    }
}

/// The innermost ancestor of `node` whose kind is in `kinds`.
fn enclosing<'t>(node: Node<'t>, kinds: &[&str]) -> Option<Node<'t>> {
    let mut parent = node.parent();
    while let Some(p) = parent {
        if kinds.contains(&p.kind()) {
            return Some(p);
        }
        parent = p.parent();
    }
    None
}
