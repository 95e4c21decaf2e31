//! The handlers of the file's inventory: which function each is, which of its parameters
//! carry caller data (FastMCP: the declared parameters, an injected `Context` excluded;
//! low-level `call_tool(name, arguments)`: the arguments mapping), and which tool a flow
//! through a shared dispatcher belongs to (the `if name == "…":` branch it passes).

use std::collections::HashMap;

use assay_core::{FlowStep, Inventory, Location};

use super::index::FileIndex;
use crate::inventory::common::node_location;

/// `sdk` of low-level server declarations (see the inventory).
const SDK_LOWLEVEL: &str = "python-lowlevel";

/// A tool, prompt or resource handler of this file.
#[derive(Debug, Clone)]
pub(super) struct Handler {
    /// The item's name.
    pub name: String,
    /// Where the handler is (a whole function, or a branch of a dispatcher).
    pub span: Location,
    /// The function holding it.
    pub function: usize,
    /// Whether the span is the function itself.
    pub direct: bool,
    /// A low-level dispatcher (`call_tool(name, arguments)`).
    pub lowlevel: bool,
    /// The declared parameter names (empty: every parameter is caller data).
    pub params: Vec<String>,
}

/// The handlers of `inventory` located in this file.
pub(super) fn find(index: &FileIndex<'_>, inventory: &Inventory) -> Vec<Handler> {
    let locations: Vec<Location> = index
        .functions
        .iter()
        .map(|f| node_location(index.path, index.text, f.node))
        .collect();
    let starts: HashMap<(u32, u32), usize> = locations
        .iter()
        .enumerate()
        .map(|(i, l)| ((l.line, l.column), i))
        .collect();
    let items = inventory
        .tools
        .iter()
        .map(|t| (&t.name, &t.handler, &t.sdk, names(&t.parameters)))
        .chain(
            inventory
                .prompts
                .iter()
                .map(|p| (&p.name, &p.handler, &p.sdk, names(&p.arguments))),
        )
        .chain(
            inventory
                .resources
                .iter()
                .map(|r| (&r.name, &r.handler, &r.sdk, Vec::new())),
        );
    let mut out = Vec::new();
    for (name, handler, sdk, params) in items {
        let Some(span) = handler.as_ref().filter(|h| h.path == index.path) else {
            continue;
        };
        let direct = starts.get(&(span.line, span.column)).copied();
        let function = direct.or_else(|| {
            locations
                .iter()
                .enumerate()
                .filter(|(_, l)| l.line <= span.line && span.line <= l.end_line)
                .max_by_key(|(_, l)| (l.line, l.column))
                .map(|(i, _)| i)
        });
        if let Some(function) = function {
            out.push(Handler {
                name: name.clone(),
                span: span.clone(),
                function,
                direct: direct.is_some(),
                lowlevel: sdk == SDK_LOWLEVEL,
                params,
            });
        }
    }
    out
}

fn names(params: &[assay_core::Parameter]) -> Vec<String> {
    params.iter().map(|p| p.name.clone()).collect()
}

/// Whether parameter `param` of `function` carries caller data for one of `handlers`.
pub(super) fn is_source(
    index: &FileIndex<'_>,
    handlers: &[&Handler],
    function: usize,
    param: usize,
) -> bool {
    let params = &index.functions[function].params;
    let Some(p) = params.get(param).filter(|p| !p.injected) else {
        return false;
    };
    handlers.iter().any(|h| {
        if h.lowlevel {
            // `(name, arguments)`: the name only selects the branch.
            params.len() < 2 || param > 0
        } else {
            h.params.is_empty() || h.params.iter().any(|n| n == p.name)
        }
    })
}

/// The tool a flow through `handlers` (all of one function) belongs to: the only one, or
/// the one whose branch holds the latest step inside it.
pub(super) fn tool_for(handlers: &[&Handler], steps: &[FlowStep]) -> Option<String> {
    match handlers {
        [] => None,
        [single] => Some(single.name.clone()),
        _ => {
            for step in steps.iter().rev() {
                let branch = handlers
                    .iter()
                    .filter(|h| !h.direct && contains(&h.span, &step.location))
                    .min_by_key(|h| h.span.end_line - h.span.line);
                if let Some(branch) = branch {
                    return Some(branch.name.clone());
                }
            }
            let first = &handlers[0].name;
            handlers
                .iter()
                .all(|h| &h.name == first)
                .then(|| first.clone())
        }
    }
}

/// Whether `outer` spans the start of `inner`.
pub(super) fn contains(outer: &Location, inner: &Location) -> bool {
    outer.path == inner.path
        && (outer.line, outer.column) <= (inner.line, inner.column)
        && (inner.line, inner.column) <= (outer.end_line, outer.end_column)
}
