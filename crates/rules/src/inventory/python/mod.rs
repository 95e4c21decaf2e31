//! Python surface extraction.
//!
//! | module | finds |
//! |---|---|
//! | [`fastmcp`] | FastMCP (`mcp.server.fastmcp` and standalone `fastmcp`): `@x.tool`, `@x.prompt`, `@x.resource(uri)`, `x.add_tool(fn, …)`, `x.tool(…)(fn)`, server `instructions` |
//! | [`lowlevel`] | the low-level `Server`: `@x.list_tools()` returning `Tool(…)`, `list_prompts`, `list_resources`, handlers narrowed to `if name == "…":` branches |
//! | [`walk`] | the traversal that expands loops over literal tool tables and inlines registering helpers |
//!
//! Names are resolved inside the file only ([`scope`], [`strings`]); nothing is executed.

mod annotations;
mod docstring;
mod fastmcp;
mod lowlevel;
mod params;
mod schema;
mod scope;
mod strings;
mod walk;

use std::collections::HashSet;

use assay_core::{Inventory, Location};
use tree_sitter::{Node, Tree};

use super::common::{mentions_mcp, node_location};
use crate::registry::FileContext;
use scope::Scope;

/// `sdk` value of FastMCP declarations.
const SDK_FASTMCP: &str = "fastmcp-py";
/// `sdk` value of low-level server declarations.
const SDK_LOWLEVEL: &str = "python-lowlevel";

/// Extracts the surface declared in `file`.
pub fn extract(file: &FileContext<'_>, tree: &Tree) -> Inventory {
    if !mentions_mcp(file.text) {
        return Inventory::default();
    }
    let root = tree.root_node();
    let scope = Scope::new(file.text, root);
    let mut cx = Cx {
        path: file.path,
        scope,
        out: Inventory::default(),
    };
    walk::walk_module(&mut cx, root);
    lowlevel::collect(&mut cx, root);
    let mut inventory = cx.out;
    dedupe(&mut inventory);
    inventory.sort();
    inventory
}

/// Static values of a parsed Python module, for readers outside surface extraction
/// (`setup.py`): module constants, literals and string expressions, nothing executed.
pub(crate) struct StaticModule<'t> {
    scope: Scope<'t>,
}

impl<'t> StaticModule<'t> {
    /// Indexes the module rooted at `root`.
    pub(crate) fn new(text: &'t str, root: Node<'t>) -> Self {
        StaticModule {
            scope: Scope::new(text, root),
        }
    }

    /// The string value of `node`, if statically known.
    pub(crate) fn string(&self, node: Node<'t>) -> Option<String> {
        strings::resolve(&self.scope, node, &scope::Env::default())
    }

    /// The expression `node` stands for (constants followed).
    pub(crate) fn value(&self, node: Node<'t>) -> Node<'t> {
        match self.scope.deref(node, &scope::Env::default()) {
            scope::Bound::Node(n) => n,
            scope::Bound::Text(_) => node,
        }
    }

    /// The string items of a list/tuple literal.
    pub(crate) fn strings(&self, node: Node<'t>) -> Vec<String> {
        let list = self.value(node);
        if !matches!(list.kind(), "list" | "tuple" | "set") {
            return Vec::new();
        }
        scope::elements(list)
            .filter_map(|e| self.string(e))
            .collect()
    }

    /// The `(key, value)` pairs of a dict literal with string keys.
    pub(crate) fn dict(&self, node: Node<'t>) -> Vec<(String, Node<'t>)> {
        let dict = self.value(node);
        if dict.kind() != "dictionary" {
            return Vec::new();
        }
        scope::dict_pairs(dict)
            .filter_map(|(k, v)| Some((self.string(k)?, v)))
            .collect()
    }

    /// Keyword argument `name` of an `argument_list`.
    pub(crate) fn keyword(&self, args: Node<'t>, name: &str) -> Option<Node<'t>> {
        scope::keyword_argument(args, name, self.scope.text)
    }
}

/// Extraction state for one file.
struct Cx<'t> {
    path: &'t str,
    scope: Scope<'t>,
    out: Inventory,
}

impl Cx<'_> {
    fn location(&self, node: Node<'_>) -> Location {
        node_location(self.path, self.scope.text, node)
    }
}

/// The same declaration reached twice (a helper walked both directly and inlined)
/// is reported once.
fn dedupe(inventory: &mut Inventory) {
    let mut seen = HashSet::new();
    inventory
        .tools
        .retain(|t| seen.insert(("tool", t.name.clone(), t.location.clone())));
    inventory
        .prompts
        .retain(|p| seen.insert(("prompt", p.name.clone(), p.location.clone())));
    inventory
        .resources
        .retain(|r| seen.insert(("resource", r.name.clone(), r.location.clone())));
    inventory
        .instructions
        .retain(|i| seen.insert(("instructions", i.text.clone(), i.location.clone())));
}
