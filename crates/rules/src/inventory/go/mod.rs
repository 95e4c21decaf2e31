//! Go surface extraction.
//!
//! | module | finds |
//! |---|---|
//! | [`mcpgo`] | mark3labs/mcp-go: `mcp.NewTool(…, mcp.WithDescription(…), mcp.WithString(…))`, `NewPrompt`, `NewResource(Template)`, `server.NewMCPServer(…, server.WithInstructions(…))` |
//! | [`gosdk`] | the official SDK: `&mcp.Tool{…}`, `&mcp.Prompt{…}`, `&mcp.Resource{…}`, `&mcp.ServerOptions{Instructions: …}`; typed handler inputs as parameters |
//! | [`walk`] | the traversal: `Add*` registrations linking items to handlers, `range` loops over literal tool tables |
//!
//! Package aliases are honoured: any import whose path mentions MCP counts. Names are
//! resolved inside the file only ([`scope`], [`strings`]).

mod gosdk;
mod mcpgo;
pub(crate) mod scope;
mod strings;
pub(crate) mod structs;
mod walk;

use std::collections::HashMap;

use assay_core::{Inventory, Location};
use tree_sitter::{Node, Tree};

use super::common::{mentions_mcp, node_location};
use crate::registry::FileContext;
use scope::{Bound, Env, Scope, arguments};

/// `sdk` value of mark3labs/mcp-go declarations.
const SDK_MCP_GO: &str = "mcp-go";
/// `sdk` value of official Go SDK declarations.
const SDK_GO_SDK: &str = "go-sdk";

/// Extracts the surface declared in `file`.
pub fn extract(file: &FileContext<'_>, tree: &Tree) -> Inventory {
    if !mentions_mcp(file.text) {
        return Inventory::default();
    }
    let root = tree.root_node();
    let mut cx = Cx {
        path: file.path,
        scope: Scope::new(file.text, root),
        out: Inventory::default(),
    };
    walk::walk_file(&mut cx, root);
    let mut inventory = cx.out;
    merge_duplicates(&mut inventory);
    inventory.sort();
    inventory
}

/// Extraction state for one file.
struct Cx<'t> {
    path: &'t str,
    scope: Scope<'t>,
    out: Inventory,
}

impl<'t> Cx<'t> {
    fn location(&self, node: Node<'_>) -> Location {
        node_location(self.path, self.scope.text, node)
    }

    /// The function a handler expression stands for: a `func` literal, a function or
    /// method of this file, or the function wrapped by an adapter call
    /// (`mcp.NewTypedToolHandler(handle)`).
    fn handler_function(&self, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<Node<'t>> {
        if depth > 3 {
            return None;
        }
        let Bound::Node(node) = self.scope.deref(node, env) else {
            return None;
        };
        match node.kind() {
            "func_literal" | "function_declaration" | "method_declaration" => Some(node),
            "identifier" => self.scope.function(self.scope.text_of(node)),
            "selector_expression" => {
                let field = self.scope.text_of(node.child_by_field_name("field")?);
                self.scope
                    .method(field)
                    .or_else(|| self.scope.function(field))
            }
            "call_expression" => arguments(node)
                .into_iter()
                .find_map(|a| self.handler_function(a, env, depth + 1)),
            _ => None,
        }
    }

    /// `mcp-go` or `go-sdk`, from the import path of package `local`.
    fn sdk_of(&self, local: &str) -> &'static str {
        match self.scope.mcp_import(local) {
            Some(path) if path.contains("mark3labs") => SDK_MCP_GO,
            _ => SDK_GO_SDK,
        }
    }
}

/// An item reached both as a declaration and through its `Add*` registration is
/// reported once, keeping the registration's handler (and handler-derived parameters).
fn merge_duplicates(inventory: &mut Inventory) {
    fn merge<T>(
        items: &mut Vec<T>,
        key: impl Fn(&T) -> (String, Location),
        has_handler: impl Fn(&T) -> bool,
    ) {
        let mut best: HashMap<(String, Location), usize> = HashMap::new();
        let mut keep = vec![false; items.len()];
        for (i, item) in items.iter().enumerate() {
            match best.get(&key(item)) {
                Some(&j) if has_handler(&items[j]) || !has_handler(item) => {}
                Some(&j) => {
                    keep[j] = false;
                    keep[i] = true;
                    best.insert(key(item), i);
                }
                None => {
                    keep[i] = true;
                    best.insert(key(item), i);
                }
            }
        }
        let mut flags = keep.into_iter();
        items.retain(|_| flags.next().unwrap_or(false));
    }
    merge(
        &mut inventory.tools,
        |t| (t.name.clone(), t.location.clone()),
        |t| t.handler.is_some(),
    );
    merge(
        &mut inventory.prompts,
        |p| (p.name.clone(), p.location.clone()),
        |p| p.handler.is_some(),
    );
    merge(
        &mut inventory.resources,
        |r| (r.name.clone(), r.location.clone()),
        |r| r.handler.is_some(),
    );
    merge(
        &mut inventory.instructions,
        |i| (i.text.clone(), i.location.clone()),
        |_| false,
    );
}
