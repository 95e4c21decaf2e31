//! The traversal behind Go extraction. Every call and struct literal is visited once;
//! `Add*` registrations link an item (inline, or a variable holding `NewTool(…)` /
//! `&mcp.Tool{…}`) to its handler; `for _, t := range table` loops over a literal slice
//! (or map) of rows are expanded by binding `t` to each row, so that
//! `mcp.NewTool(t.Name, mcp.WithDescription(t.Desc))` yields one tool per row.

use tree_sitter::Node;

use super::Cx;
use super::gosdk::{self, Item};
use super::mcpgo;
use super::scope::{Bound, Env, arguments};

/// Nested loop expansions.
const MAX_EXPANSION_DEPTH: usize = 3;
/// Rows of one table.
const MAX_TABLE_ROWS: usize = 512;
/// Nodes visited in one file, expansions included.
const MAX_VISITS: usize = 4_000_000;

/// Walks the whole file.
pub(super) fn walk_file<'t>(cx: &mut Cx<'t>, root: Node<'t>) {
    let mut visits = 0;
    walk(cx, root, &Env::default(), 0, &mut visits);
}

fn walk<'t>(cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>, depth: usize, visits: &mut usize) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        *visits += 1;
        if *visits > MAX_VISITS {
            return;
        }
        match node.kind() {
            "call_expression" => call(cx, node, env),
            "composite_literal" => {
                if let Some(item) = gosdk::item(cx, node, env) {
                    push(cx, item, None);
                }
                gosdk::server_options(cx, node, env);
            }
            "for_statement"
                if depth < MAX_EXPANSION_DEPTH && expand_range(cx, node, env, depth, visits) =>
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

/// The package operand (if any) and the function or method name of a call.
fn callee<'t>(cx: &Cx<'t>, call: Node<'t>) -> Option<(Option<&'t str>, &'t str)> {
    let mut function = call.child_by_field_name("function")?;
    if function.kind() == "index_expression" {
        function = function.child_by_field_name("operand")?;
    }
    match function.kind() {
        "selector_expression" => Some((
            function
                .child_by_field_name("operand")
                .filter(|o| o.kind() == "identifier")
                .map(|o| cx.scope.text_of(o)),
            cx.scope.text_of(function.child_by_field_name("field")?),
        )),
        _ => None,
    }
}

fn call<'t>(cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>) {
    let Some((operand, name)) = callee(cx, node) else {
        return;
    };
    let from_mcp_package = operand.is_some_and(|o| cx.scope.mcp_import(o).is_some());
    let args = arguments(node);
    if from_mcp_package {
        if let Some(item) = constructor(cx, node, name, env) {
            push(cx, item, None);
            return;
        }
        match name {
            "NewMCPServer" => mcpgo::server_instructions(cx, node, env),
            // The official SDK's generic `mcp.AddTool(server, tool, handler)`.
            "AddTool" if args.len() == 3 => register(cx, args[1], args[2], env),
            _ => {}
        }
        return;
    }
    if matches!(
        name,
        "AddTool" | "AddPrompt" | "AddResource" | "AddResourceTemplate"
    ) && args.len() == 2
    {
        register(cx, args[0], args[1], env);
    }
}

/// `mcp.NewTool(…)` and the other mcp-go constructors.
fn constructor<'t>(cx: &Cx<'t>, call: Node<'t>, name: &str, env: &Env<'t>) -> Option<Item> {
    match name {
        "NewTool" | "NewToolWithRawSchema" => mcpgo::tool(cx, call, name, env).map(Item::Tool),
        "NewPrompt" => mcpgo::prompt(cx, call, env).map(Item::Prompt),
        "NewResource" | "NewResourceTemplate" => mcpgo::resource(cx, call, env).map(Item::Resource),
        _ => None,
    }
}

/// `Add*(item, handler)`: the item (inline or through a variable) with its handler.
fn register<'t>(cx: &mut Cx<'t>, item: Node<'t>, handler: Node<'t>, env: &Env<'t>) {
    let Bound::Node(definition) = cx.scope.deref(item, env) else {
        return;
    };
    let item = match definition.kind() {
        "call_expression" => callee(cx, definition)
            .filter(|(operand, _)| operand.is_some_and(|o| cx.scope.mcp_import(o).is_some()))
            .and_then(|(_, name)| constructor(cx, definition, name, env)),
        "composite_literal" => gosdk::item(cx, definition, env),
        _ => None,
    };
    if let Some(item) = item {
        let function = cx.handler_function(handler, env, 0);
        push(cx, item, function);
    }
}

/// Records an item; a known handler gives its location and, for tools without declared
/// parameters, the handler's typed input.
fn push<'t>(cx: &mut Cx<'t>, item: Item, handler: Option<Node<'t>>) {
    let location = handler.map(|h| cx.location(h));
    match item {
        Item::Tool(mut tool) => {
            if let Some(function) = handler
                && tool.parameters.is_empty()
            {
                tool.parameters = gosdk::handler_parameters(cx, function);
            }
            tool.handler = location;
            cx.out.tools.push(tool);
        }
        Item::Prompt(mut prompt) => {
            prompt.handler = location;
            cx.out.prompts.push(prompt);
        }
        Item::Resource(mut resource) => {
            resource.handler = location;
            cx.out.resources.push(resource);
        }
    }
}

/// Walks the body of `for _, row := range table` once per row of a literal table.
/// Returns false when the loop is not over a literal table.
fn expand_range<'t>(
    cx: &mut Cx<'t>,
    node: Node<'t>,
    env: &Env<'t>,
    depth: usize,
    visits: &mut usize,
) -> bool {
    let mut cursor = node.walk();
    let Some(clause) = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "range_clause")
    else {
        return false;
    };
    let (Some(left), Some(right), Some(body)) = (
        clause.child_by_field_name("left"),
        clause.child_by_field_name("right"),
        node.child_by_field_name("body"),
    ) else {
        return false;
    };
    let mut cursor = left.walk();
    let targets: Vec<_> = left.named_children(&mut cursor).collect();
    let Bound::Node(table) = cx.scope.deref(right, env) else {
        return false;
    };
    if table.kind() != "composite_literal" {
        return false;
    }
    let (Some(ty), Some(rows)) = (
        table.child_by_field_name("type"),
        table.child_by_field_name("body"),
    ) else {
        return false;
    };
    let is_map = ty.kind() == "map_type";
    let element_fields = element_struct(cx, ty);
    let mut cursor = rows.walk();
    let rows: Vec<_> = rows
        .named_children(&mut cursor)
        .filter(|r| r.kind() != "comment")
        .take(MAX_TABLE_ROWS)
        .collect();
    for row in rows {
        let mut row_env = env.clone();
        let (key, value) = if row.kind() == "keyed_element" {
            (
                row.child_by_field_name("key"),
                row.child_by_field_name("value"),
            )
        } else {
            (None, Some(row))
        };
        // `for i, v` binds the value second; `for k, v` over a map binds the key first.
        if let (Some(first), Some(key)) = (targets.first(), key.filter(|_| is_map)) {
            row_env.bind(cx.scope.text_of(*first), Bound::Node(key));
        }
        if let (Some(second), Some(value)) = (targets.get(1), value) {
            row_env.bind(
                cx.scope.text_of(*second),
                row_binding(cx, value, element_fields),
            );
        }
        walk(cx, body, &row_env, depth + 1, visits);
    }
    true
}

/// A row as a binding: struct literals become rows whose fields can be selected.
fn row_binding<'t>(cx: &Cx<'t>, element: Node<'t>, fields: Option<Node<'t>>) -> Bound<'t> {
    let inner = element.named_child(0).unwrap_or(element);
    match inner.kind() {
        "literal_value" => Bound::Row {
            value: inner,
            fields,
        },
        _ => match cx.scope.deref(inner, &Env::default()) {
            Bound::Node(n) if n.kind() == "composite_literal" => Bound::Row {
                value: n.child_by_field_name("body").unwrap_or(n),
                fields: n
                    .child_by_field_name("type")
                    .and_then(|t| element_struct_of(cx, t)),
            },
            other => other,
        },
    }
}

/// The struct type of a slice's (or map's) elements.
fn element_struct<'t>(cx: &Cx<'t>, table_type: Node<'t>) -> Option<Node<'t>> {
    let element = table_type.child_by_field_name(if table_type.kind() == "map_type" {
        "value"
    } else {
        "element"
    })?;
    element_struct_of(cx, element)
}

/// `struct{…}`, `T`, or `*T` with `T` a struct of this file.
fn element_struct_of<'t>(cx: &Cx<'t>, ty: Node<'t>) -> Option<Node<'t>> {
    match ty.kind() {
        "struct_type" => Some(ty),
        "pointer_type" => element_struct_of(cx, ty.named_child(0)?),
        "type_identifier" => cx.scope.struct_type(cx.scope.text_of(ty)),
        _ => None,
    }
}
