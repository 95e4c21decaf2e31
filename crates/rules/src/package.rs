//! Package-level facts: what rules see once every file is analysed.

use std::collections::HashMap;

use assay_core::{Inventory, Tool};

use crate::taint::{HandlerEffects, TaintFlow};

/// Everything known about the package as a whole, with lookups package rules need (kept
/// as indexes so that rules stay linear on packages with hundreds of thousands of tools).
pub struct PackageFacts<'a> {
    /// The merged, sorted inventory.
    pub inventory: &'a Inventory,
    /// Every taint flow, in-file and cross-file ([`crate::taint::link`]).
    pub flows: &'a [TaintFlow],
    handlers_by_tool: HashMap<&'a str, Vec<&'a HandlerEffects>>,
    tools_by_name: HashMap<&'a str, &'a Tool>,
}

impl<'a> PackageFacts<'a> {
    /// Indexes the facts.
    pub fn new(
        inventory: &'a Inventory,
        flows: &'a [TaintFlow],
        handlers: &'a [HandlerEffects],
    ) -> Self {
        let mut handlers_by_tool: HashMap<&str, Vec<&HandlerEffects>> = HashMap::new();
        for handler in handlers {
            handlers_by_tool
                .entry(handler.tool.as_str())
                .or_default()
                .push(handler);
        }
        let mut tools_by_name = HashMap::new();
        for tool in &inventory.tools {
            tools_by_name.entry(tool.name.as_str()).or_insert(tool);
        }
        PackageFacts {
            inventory,
            flows,
            handlers_by_tool,
            tools_by_name,
        }
    }

    /// The effects of `tool`'s handler: the handlers recorded under its name whose
    /// location matches the inventory's handler location (or all of them, when the
    /// inventory has no handler location).
    pub fn handlers_of(&self, tool: &Tool) -> Vec<&'a HandlerEffects> {
        self.handlers_by_tool
            .get(tool.name.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|h| tool.handler.as_ref().is_none_or(|loc| *loc == h.handler))
            .collect()
    }

    /// The first tool (in inventory order) with this name.
    pub fn tool_named(&self, name: &str) -> Option<&'a Tool> {
        self.tools_by_name.get(name).copied()
    }
}
