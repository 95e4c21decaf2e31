//! One pass over the file before the walk: module-wide import and `require` bindings,
//! named functions and methods (for calls the walk reaches before the definition, and
//! for handler effects), and the functions the module exports.

use std::collections::HashMap;
use std::rc::Rc;

use tree_sitter::Node;

use super::names::{Alias, import_bindings, pattern_aliases, require_alias};
use super::syntax::{children, field, is_function, text_of, unwrap, walk_tree};

/// Most nodes the pre-pass visits.
const MAX_NODES: usize = 4_000_000;

/// What the pre-pass found.
#[derive(Default)]
pub(super) struct FileIndex<'t> {
    /// Import and `require` bindings, by local name (names bound twice left out).
    pub(super) aliases: HashMap<&'t str, Rc<Alias>>,
    /// Named functions (`function f`, `const f = () => …`), by name (`None`: ambiguous).
    pub(super) functions: HashMap<&'t str, Option<Node<'t>>>,
    /// Class methods, by name (`None`: ambiguous).
    pub(super) methods: HashMap<&'t str, Option<Node<'t>>>,
    /// Exported functions: (name other modules use, function).
    pub(super) exports: Vec<(String, Node<'t>)>,
    /// Start bytes, in document order, of calls that may fetch remote data.
    pub(super) sources: Vec<usize>,
    /// Start bytes, in document order, of handler functions and dispatch branches.
    pub(super) handlers: Vec<usize>,
}

impl<'t> FileIndex<'t> {
    /// Indexes the tree of the file at `path`; `handlers` are the start bytes of the
    /// inventory's handlers.
    pub(super) fn build(
        root: Node<'t>,
        text: &'t str,
        path: &str,
        mut handlers: Vec<usize>,
    ) -> FileIndex<'t> {
        let mut index = FileIndex::default();
        let mut aliases: HashMap<&'t str, Option<Rc<Alias>>> = HashMap::new();
        let mut record = |name: &'t str, alias: Alias| {
            aliases
                .entry(name)
                .and_modify(|e| {
                    if e.as_deref() != Some(&alias) {
                        *e = None;
                    }
                })
                .or_insert_with(|| Some(Rc::new(alias)));
        };
        walk_tree(root, MAX_NODES, |node| {
            match node.kind() {
                "import_statement" => {
                    for (name, alias) in import_bindings(node, text, path) {
                        record(name, alias);
                    }
                    return false;
                }
                "variable_declarator" => {
                    if let (Some(name), Some(value)) = (field(node, "name"), field(node, "value")) {
                        if let Some(alias) = require_alias(value, text, path) {
                            for (local, alias) in pattern_aliases(name, &alias, text) {
                                record(local, alias);
                            }
                        } else if name.kind() == "identifier" && is_function(unwrap(value)) {
                            add(&mut index.functions, text_of(name, text), unwrap(value));
                        }
                    }
                }
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = field(node, "name") {
                        add(&mut index.functions, text_of(name, text), node);
                    }
                }
                "method_definition" => {
                    if let Some(name) = field(node, "name") {
                        add(&mut index.methods, text_of(name, text), node);
                    }
                }
                "call_expression" | "new_expression" if may_fetch(node, text) => {
                    index.sources.push(node.start_byte());
                }
                _ => {}
            }
            true
        });
        handlers.sort_unstable();
        index.handlers = handlers;
        index.aliases = aliases
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        index.exports = exports(root, text, &index.functions);
        index
    }

    /// Whether a handler or a call that may fetch remote data lies in `start..end`.
    pub(super) fn has_interest_within(&self, start: usize, end: usize) -> bool {
        let within = |offsets: &[usize]| {
            let i = offsets.partition_point(|&o| o < start);
            offsets.get(i).is_some_and(|&o| o < end)
        };
        within(&self.sources) || within(&self.handlers)
    }

    /// The function named `name`, when unambiguous.
    pub(super) fn function(&self, name: &str) -> Option<Node<'t>> {
        self.functions.get(name).copied().flatten()
    }

    /// The method named `name`, when unambiguous.
    pub(super) fn method(&self, name: &str) -> Option<Node<'t>> {
        self.methods.get(name).copied().flatten()
    }
}

fn add<'t>(map: &mut HashMap<&'t str, Option<Node<'t>>>, name: &'t str, node: Node<'t>) {
    map.entry(name)
        .and_modify(|e| {
            if *e != Some(node) {
                *e = None;
            }
        })
        .or_insert(Some(node));
}

/// The module's exported functions, by the name importers use: ESM `export`s and
/// CommonJS `exports.f = …` / `module.exports = { … }`.
fn exports<'t>(
    root: Node<'t>,
    text: &'t str,
    functions: &HashMap<&'t str, Option<Node<'t>>>,
) -> Vec<(String, Node<'t>)> {
    let mut out: Vec<(String, Node<'t>)> = Vec::new();
    let by_name = |name: &str| functions.get(name).copied().flatten();
    let declared = |node: Node<'t>, out: &mut Vec<(String, Node<'t>)>| match node.kind() {
        "function_declaration" | "generator_function_declaration" => {
            if let Some(name) = field(node, "name") {
                out.push((text_of(name, text).to_string(), node));
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            for declarator in children(node) {
                if let (Some(name), Some(value)) =
                    (field(declarator, "name"), field(declarator, "value"))
                    && name.kind() == "identifier"
                    && is_function(unwrap(value))
                {
                    out.push((text_of(name, text).to_string(), unwrap(value)));
                }
            }
        }
        _ => {}
    };
    for statement in children(root) {
        match statement.kind() {
            "export_statement" => {
                if let Some(declaration) = field(statement, "declaration") {
                    declared(declaration, &mut out);
                } else if let Some(value) = field(statement, "value") {
                    let value = unwrap(value);
                    let function = if is_function(value) {
                        Some(value)
                    } else if value.kind() == "identifier" {
                        by_name(text_of(value, text))
                    } else {
                        None
                    };
                    if let Some(function) = function {
                        out.push(("default".to_string(), function));
                    }
                } else if let Some(default) =
                    children(statement).into_iter().find(|c| is_function(*c))
                {
                    out.push(("default".to_string(), default));
                }
                for clause in children(statement)
                    .into_iter()
                    .filter(|c| c.kind() == "export_clause")
                {
                    for spec in children(clause) {
                        let Some(name) = field(spec, "name") else {
                            continue;
                        };
                        let exported = field(spec, "alias").unwrap_or(name);
                        if let Some(function) = by_name(text_of(name, text)) {
                            out.push((text_of(exported, text).to_string(), function));
                        }
                    }
                }
            }
            "expression_statement" => {
                if let Some(assignment) = children(statement)
                    .first()
                    .filter(|c| c.kind() == "assignment_expression")
                {
                    commonjs_export(*assignment, text, &by_name, &mut out);
                }
            }
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(name, node)| seen.insert((name.clone(), node.id())));
    out
}

/// `exports.f = f`, `module.exports.f = function …`, `module.exports = { f, g: h }`.
fn commonjs_export<'t>(
    assignment: Node<'t>,
    text: &'t str,
    by_name: &dyn Fn(&str) -> Option<Node<'t>>,
    out: &mut Vec<(String, Node<'t>)>,
) {
    let (Some(left), Some(right)) = (field(assignment, "left"), field(assignment, "right")) else {
        return;
    };
    let right = unwrap(right);
    let resolve = |value: Node<'t>| {
        let value = unwrap(value);
        if is_function(value) {
            Some(value)
        } else if value.kind() == "identifier" {
            by_name(text_of(value, text))
        } else {
            None
        }
    };
    let left_text = text_of(left, text);
    if left_text == "module.exports" {
        if right.kind() == "object" {
            for prop in children(right) {
                let (key, value) = match prop.kind() {
                    "shorthand_property_identifier" => (prop, prop),
                    "pair" => match (field(prop, "key"), field(prop, "value")) {
                        (Some(k), Some(v)) => (k, v),
                        _ => continue,
                    },
                    _ => continue,
                };
                if let Some(function) = resolve(value) {
                    out.push((text_of(key, text).to_string(), function));
                }
            }
        } else if let Some(function) = resolve(right) {
            out.push(("default".to_string(), function));
        }
        return;
    }
    let Some(name) = left_text
        .strip_prefix("exports.")
        .or_else(|| left_text.strip_prefix("module.exports."))
    else {
        return;
    };
    if let Some(function) = resolve(right) {
        out.push((name.to_string(), function));
    }
}

/// Callee names of HTTP clients and their methods: a call by one of these names may
/// return remote data.
const FETCH_NAMES: &[&str] = &[
    "fetch",
    "axios",
    "got",
    "ky",
    "needle",
    "request",
    "get",
    "post",
    "put",
    "patch",
    "head",
    "delete",
    "WebSocket",
    "EventSource",
    "json",
    "text",
];

/// Whether a call may fetch remote data (judged by the callee's last name).
fn may_fetch(call: Node<'_>, text: &str) -> bool {
    let field_name = if call.kind() == "new_expression" {
        "constructor"
    } else {
        "function"
    };
    let Some(callee) = field(call, field_name).map(unwrap) else {
        return false;
    };
    let name = match callee.kind() {
        "identifier" => text_of(callee, text),
        "member_expression" => field(callee, "property").map_or("", |p| text_of(p, text)),
        _ => return false,
    };
    FETCH_NAMES.contains(&name)
}
