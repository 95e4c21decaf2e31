//! The traversal behind FastMCP extraction. It visits every call and decorated
//! definition, and additionally:
//!
//! * expands `for` loops over literal tables (`for name, desc, fn in TOOLS:`,
//!   `for name, spec in SPECS.items():`, `enumerate(…)`) by binding the loop targets to
//!   each row in turn;
//! * inlines calls to module-level helpers that register tools
//!   (`def register(fn, name, desc): mcp.add_tool(fn, name=name, description=desc)`),
//!   binding the helper's parameters to the call's arguments.
//!
//! Work is bounded: nesting of expansions, rows per table and total visits.

use tree_sitter::Node;

use super::Cx;
use super::fastmcp;
use super::scope::{Bound, Env, dict_pairs, elements, keyword_argument, positional_arguments};
use super::strings::resolve;

/// Nested loop expansions and helper inlinings.
const MAX_EXPANSION_DEPTH: usize = 4;
/// Rows of one table.
const MAX_TABLE_ROWS: usize = 512;
/// Nodes visited in one file, expansions included.
const MAX_VISITS: usize = 4_000_000;

/// Walks the whole module.
pub(super) fn walk_module<'t>(cx: &mut Cx<'t>, root: Node<'t>) {
    let mut walker = Walker { visits: 0 };
    walker.walk(cx, root, &Env::default(), 0);
}

struct Walker {
    visits: usize,
}

impl Walker {
    fn walk<'t>(&mut self, cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>, depth: usize) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            self.visits += 1;
            if self.visits > MAX_VISITS {
                return;
            }
            match node.kind() {
                "decorated_definition" => fastmcp::decorated(cx, node, env),
                "call" => {
                    fastmcp::call(cx, node, env);
                    if depth < MAX_EXPANSION_DEPTH {
                        self.inline_helper(cx, node, env, depth);
                    }
                }
                "for_statement"
                    if depth < MAX_EXPANSION_DEPTH && self.expand_loop(cx, node, env, depth) =>
                {
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            let children: Vec<_> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }

    /// Walks the body of a loop over a literal table once per row. Returns false when
    /// the iterable is not literal.
    fn expand_loop<'t>(
        &mut self,
        cx: &mut Cx<'t>,
        node: Node<'t>,
        env: &Env<'t>,
        depth: usize,
    ) -> bool {
        let (Some(target), Some(iterable), Some(body)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
            node.child_by_field_name("body"),
        ) else {
            return false;
        };
        let Some(rows) = rows(cx, iterable, env) else {
            return false;
        };
        // The loop header itself may hold calls (`for x in build(): …`); the body
        // is walked per row.
        for row in rows.into_iter().take(MAX_TABLE_ROWS) {
            let mut row_env = env.clone();
            bind_target(cx, target, row, &mut row_env);
            self.walk(cx, body, &row_env, depth + 1);
        }
        true
    }

    /// Walks the body of a module-level helper that registers tools, with its parameters
    /// bound to this call's arguments.
    fn inline_helper<'t>(&mut self, cx: &mut Cx<'t>, call: Node<'t>, env: &Env<'t>, depth: usize) {
        let Some(callee) = call.child_by_field_name("function") else {
            return;
        };
        if callee.kind() != "identifier" {
            return;
        }
        let Some(helper) = cx.scope.function(cx.scope.text_of(callee)) else {
            return;
        };
        if !fastmcp::may_register(cx.scope.text_of(helper)) || call_is_inside(call, helper) {
            return;
        }
        let (Some(params), Some(args), Some(body)) = (
            helper.child_by_field_name("parameters"),
            call.child_by_field_name("arguments"),
            helper.child_by_field_name("body"),
        ) else {
            return;
        };
        let mut helper_env = Env::default();
        let mut positional = positional_arguments(args);
        let mut cursor = params.walk();
        for param in params.named_children(&mut cursor) {
            let (name, default) = match param.kind() {
                "identifier" => (Some(param), None),
                "typed_parameter" => (param.named_child(0), None),
                "default_parameter" | "typed_default_parameter" => (
                    param.child_by_field_name("name"),
                    param.child_by_field_name("value"),
                ),
                _ => continue,
            };
            let Some(name) = name.filter(|n| n.kind() == "identifier") else {
                continue;
            };
            let name = cx.scope.text_of(name);
            let value = keyword_argument(args, name, cx.scope.text)
                .or_else(|| positional.next())
                .or(default);
            if let Some(value) = value {
                helper_env.bind(name, capture(cx, value, env));
            }
        }
        self.walk(cx, body, &helper_env, depth + 1);
    }
}

/// True when `call` is (recursively) inside `function`: a helper calling itself.
fn call_is_inside(call: Node<'_>, function: Node<'_>) -> bool {
    function.start_byte() <= call.start_byte() && call.end_byte() <= function.end_byte()
}

/// One row of a table: a single value, or the parts of a `(key, value)` pair.
enum Row<'t> {
    Value(Bound<'t>),
    Parts(Vec<Bound<'t>>),
}

/// The rows a literal iterable yields.
fn rows<'t>(cx: &Cx<'t>, iterable: Node<'t>, env: &Env<'t>) -> Option<Vec<Row<'t>>> {
    let scope = &cx.scope;
    if iterable.kind() == "call" {
        let function = iterable.child_by_field_name("function")?;
        let args = iterable.child_by_field_name("arguments")?;
        if function.kind() == "attribute" {
            let Bound::Node(dict) = scope.deref(function.child_by_field_name("object")?, env)
            else {
                return None;
            };
            if dict.kind() != "dictionary" {
                return None;
            }
            let pairs = dict_pairs(dict);
            let method = scope.text_of(function.child_by_field_name("attribute")?);
            return match method {
                "items" => Some(
                    pairs
                        .map(|(k, v)| Row::Parts(vec![Bound::Node(k), Bound::Node(v)]))
                        .collect(),
                ),
                "keys" => Some(pairs.map(|(k, _)| Row::Value(Bound::Node(k))).collect()),
                "values" => Some(pairs.map(|(_, v)| Row::Value(Bound::Node(v))).collect()),
                _ => None,
            };
        }
        if scope.text_of(function) == "enumerate" {
            let inner = rows(cx, positional_arguments(args).next()?, env)?;
            return Some(
                inner
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, row)| match row {
                        Row::Value(v) => Some(Row::Parts(vec![Bound::Text(i.to_string()), v])),
                        Row::Parts(_) => None,
                    })
                    .collect(),
            );
        }
        return None;
    }
    let Bound::Node(container) = scope.deref(iterable, env) else {
        return None;
    };
    match container.kind() {
        "list" | "tuple" | "set" => Some(
            elements(container)
                .map(|e| Row::Value(Bound::Node(e)))
                .collect(),
        ),
        "dictionary" => Some(
            dict_pairs(container)
                .map(|(k, _)| Row::Value(Bound::Node(k)))
                .collect(),
        ),
        _ => None,
    }
}

/// Binds a loop target (`x`, `a, b`, `(a, (b, c))`) to one row.
fn bind_target<'t>(cx: &Cx<'t>, target: Node<'t>, row: Row<'t>, env: &mut Env<'t>) {
    match target.kind() {
        "identifier" => {
            let value = match row {
                Row::Value(v) => v,
                // A pair bound to one name: keep the value part.
                Row::Parts(parts) => match parts.into_iter().last() {
                    Some(v) => v,
                    None => return,
                },
            };
            env.bind(cx.scope.text_of(target), value);
        }
        "pattern_list" | "tuple_pattern" | "list_pattern" | "parenthesized_expression" => {
            let names: Vec<Node<'t>> = elements(target).collect();
            let parts: Vec<Bound<'t>> = match row {
                Row::Parts(parts) => parts,
                Row::Value(Bound::Node(n)) => match cx.scope.deref(n, env) {
                    Bound::Node(n) if matches!(n.kind(), "tuple" | "list") => {
                        elements(n).map(Bound::Node).collect()
                    }
                    _ => return,
                },
                Row::Value(Bound::Text(_)) => return,
            };
            for (name, part) in names.into_iter().zip(parts) {
                bind_target(cx, name, Row::Value(part), env);
            }
        }
        _ => {}
    }
}

/// An argument as the callee will see it: strings computed now (they may use the
/// caller's loop variables), anything else dereferenced to its defining expression.
fn capture<'t>(cx: &Cx<'t>, value: Node<'t>, env: &Env<'t>) -> Bound<'t> {
    match cx.scope.deref(value, env) {
        Bound::Node(n)
            if !matches!(
                n.kind(),
                "function_definition" | "lambda" | "dictionary" | "list" | "tuple" | "call"
            ) =>
        {
            resolve(&cx.scope, value, env).map_or(Bound::Node(n), Bound::Text)
        }
        other => other,
    }
}
