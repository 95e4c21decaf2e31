//! Handler effects: what each handler does (runs processes, writes, deletes or reads
//! files, talks to the network), in its body and in the same-file functions it calls,
//! whether or not tool input reaches the call.

use std::collections::HashSet;

use assay_core::Location;
use tree_sitter::Node;

use super::handlers::Entry;
use super::index::FileIndex;
use super::locate::Locator;
use super::names::Alias;
use super::sinks::effect_of;
use super::syntax::{field, is_function, member_property, text_of, unwrap, walk_tree};
use crate::taint::{Effect, HandlerEffects};

/// How deep same-file calls are followed.
const MAX_DEPTH: usize = 3;
/// Most nodes visited per handler.
const MAX_NODES: usize = 200_000;

/// The effects of every handler.
pub(super) fn handler_effects(
    entries: &[Entry<'_>],
    index: &FileIndex<'_>,
    text: &str,
    path: &str,
) -> Vec<HandlerEffects> {
    let locator = Locator::new(path, text);
    entries
        .iter()
        .map(|entry| {
            let mut walker = Walker {
                index,
                text,
                path,
                locator: &locator,
                visited: HashSet::new(),
                nodes: 0,
                effects: Vec::new(),
            };
            walker.visit(entry.body, 0);
            let mut effects = walker.effects;
            effects.sort_by(|a, b| (&a.location, a.kind).cmp(&(&b.location, b.kind)));
            effects.dedup();
            HandlerEffects {
                tool: entry.name.clone(),
                handler: Location {
                    path: path.to_string(),
                    ..entry.location.clone()
                },
                effects,
            }
        })
        .collect()
}

struct Walker<'a, 't> {
    index: &'a FileIndex<'t>,
    text: &'t str,
    path: &'a str,
    locator: &'a Locator<'a>,
    visited: HashSet<usize>,
    nodes: usize,
    effects: Vec<Effect>,
}

impl<'t> Walker<'_, 't> {
    fn visit(&mut self, root: Node<'t>, depth: usize) {
        let mut calls = Vec::new();
        let budget = MAX_NODES.saturating_sub(self.nodes);
        walk_tree(root, budget, |node| {
            self.nodes += 1;
            if matches!(node.kind(), "call_expression" | "new_expression") {
                calls.push(node);
            }
            true
        });
        for call in calls {
            self.call(call, depth);
        }
    }

    fn call(&mut self, call: Node<'t>, depth: usize) {
        let is_new = call.kind() == "new_expression";
        let Some(callee) = field(call, if is_new { "constructor" } else { "function" }).map(unwrap)
        else {
            return;
        };
        let (alias, global, function) = self.resolve(callee);
        let kind = match (&alias, global) {
            (Some(Alias::Package(name)), _) => effect_of(name, is_new, false),
            (None, Some(name)) => effect_of(name, is_new, true),
            _ => None,
        };
        if let Some(kind) = kind {
            self.effects.push(Effect {
                kind,
                callee: text_of(callee, self.text).chars().take(80).collect(),
                location: self.locator.location(call),
            });
        }
        if let Some(function) = function
            && depth < MAX_DEPTH
            && self.visited.insert(function.id())
            && let Some(body) = field(function, "body")
        {
            self.visit(body, depth + 1);
        }
    }

    /// The alias, unbound global name, or same-file function a callee refers to.
    fn resolve(&self, callee: Node<'t>) -> (Option<Alias>, Option<&'t str>, Option<Node<'t>>) {
        match callee.kind() {
            "identifier" => {
                let name = text_of(callee, self.text);
                if let Some(alias) = self.index.aliases.get(name) {
                    return ((**alias).clone().into(), None, None);
                }
                match self.index.function(name) {
                    Some(function) => (None, None, Some(function)),
                    None if self.index.functions.contains_key(name) => (None, None, None),
                    None => (None, Some(name), None),
                }
            }
            "member_expression" | "subscript_expression" => {
                let Some(object) = field(callee, "object").map(unwrap) else {
                    return (None, None, None);
                };
                let Some(prop) = member_property(callee, self.text) else {
                    return (None, None, None);
                };
                if object.kind() == "this" {
                    return (
                        None,
                        None,
                        self.index.method(prop).filter(|m| is_function(*m)),
                    );
                }
                let alias = match object.kind() {
                    "identifier" | "member_expression" => self.resolve(object).0,
                    "call_expression" => super::names::require_alias(object, self.text, self.path),
                    _ => None,
                };
                (alias.and_then(|a| a.member(prop)), None, None)
            }
            _ => (None, None, None),
        }
    }
}
