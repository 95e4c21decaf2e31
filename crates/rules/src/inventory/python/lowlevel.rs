//! The low-level `mcp.server.lowlevel.Server`: `@server.list_tools()` functions that
//! return `Tool(name=…, description=…, inputSchema={…}, annotations=…)` (built inline or
//! in a module-level list), `list_prompts` → `Prompt(…, arguments=[PromptArgument(…)])`,
//! `list_resources` / `list_resource_templates` → `Resource(…)` / `ResourceTemplate(…)`.
//! Handlers are the `call_tool` / `get_prompt` / `read_resource` functions, narrowed to
//! the `if name == "x":` (or `case "x":`) branch for the item when there is one.

use std::collections::{HashMap, HashSet};

use assay_core::{Location, Parameter, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::annotations::annotations;
use super::schema::schema_parameters;
use super::scope::{Bound, Env, elements, keyword_argument};
use super::strings::resolve;
use super::{Cx, SDK_LOWLEVEL};
use crate::inventory::common::span_location;

/// Module constants followed from a `list_*` function (lists of lists of `Tool`s…).
const MAX_CONSTANT_HOPS: usize = 4;

/// The decorated handler functions of one server file.
#[derive(Default)]
struct Handlers<'t> {
    list_tools: Vec<Node<'t>>,
    call_tool: Vec<Node<'t>>,
    list_prompts: Vec<Node<'t>>,
    get_prompt: Vec<Node<'t>>,
    list_resources: Vec<Node<'t>>,
    read_resource: Vec<Node<'t>>,
}

/// Finds the low-level declarations in the module.
pub(super) fn collect<'t>(cx: &mut Cx<'t>, root: Node<'t>) {
    let handlers = find_handlers(cx, root);
    if !handlers.list_tools.is_empty() {
        let branches = Branches::new(cx, &handlers.call_tool);
        for function in &handlers.list_tools {
            for call in constructor_calls(cx, *function, "Tool") {
                tool(cx, call, &branches);
            }
        }
    }
    if !handlers.list_prompts.is_empty() {
        let branches = Branches::new(cx, &handlers.get_prompt);
        for function in &handlers.list_prompts {
            for call in constructor_calls(cx, *function, "Prompt") {
                prompt(cx, call, &branches);
            }
        }
    }
    for function in &handlers.list_resources {
        for class in ["Resource", "ResourceTemplate"] {
            for call in constructor_calls(cx, *function, class) {
                resource(cx, call, &handlers.read_resource);
            }
        }
    }
}

fn find_handlers<'t>(cx: &Cx<'t>, root: Node<'t>) -> Handlers<'t> {
    let mut handlers = Handlers::default();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "decorated_definition"
            && let Some(function) = node
                .child_by_field_name("definition")
                .filter(|d| d.kind() == "function_definition")
        {
            let mut cursor = node.walk();
            for decorator in node.named_children(&mut cursor) {
                let method = decorator
                    .named_child(0)
                    .filter(|e| e.kind() == "call")
                    .and_then(|c| c.child_by_field_name("function"))
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.child_by_field_name("attribute"))
                    .map(|a| cx.scope.text_of(a));
                let list = match method {
                    Some("list_tools") => &mut handlers.list_tools,
                    Some("call_tool") => &mut handlers.call_tool,
                    Some("list_prompts") => &mut handlers.list_prompts,
                    Some("get_prompt") => &mut handlers.get_prompt,
                    Some("list_resources" | "list_resource_templates") => {
                        &mut handlers.list_resources
                    }
                    Some("read_resource") => &mut handlers.read_resource,
                    _ => continue,
                };
                list.push(function);
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    handlers
}

/// Calls constructing `class` in `function`, and in the module constants it names.
fn constructor_calls<'t>(cx: &Cx<'t>, function: Node<'t>, class: &str) -> Vec<Node<'t>> {
    let mut calls = Vec::new();
    let mut seen = HashSet::new();
    let mut queue = vec![(function, 0)];
    while let Some((node, hops)) = queue.pop() {
        if !seen.insert(node.id()) {
            continue;
        }
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "call"
                    if n.child_by_field_name("function")
                        .is_some_and(|f| cx.scope.names_class(f, class)) =>
                {
                    calls.push(n);
                    continue;
                }
                "identifier" if hops < MAX_CONSTANT_HOPS => {
                    if let Some(target) = cx.scope.constant(cx.scope.text_of(n))
                        && matches!(target.kind(), "list" | "tuple" | "call" | "binary_operator")
                    {
                        queue.push((target, hops + 1));
                    }
                }
                _ => {}
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
    }
    calls.sort_by_key(|c| c.start_byte());
    calls
}

fn string_kw<'t>(cx: &Cx<'t>, args: Node<'t>, name: &str) -> Option<String> {
    keyword_argument(args, name, cx.scope.text).and_then(|v| resolve(&cx.scope, v, &Env::default()))
}

fn tool<'t>(cx: &mut Cx<'t>, call: Node<'t>, branches: &Branches) {
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let Some(name) = string_kw(cx, args, "name") else {
        return;
    };
    let env = Env::default();
    let parameters = keyword_argument(args, "inputSchema", cx.scope.text)
        .map(|s| schema_parameters(&cx.scope, s, &env))
        .unwrap_or_default();
    let mut declared = keyword_argument(args, "annotations", cx.scope.text)
        .map(|a| annotations(&cx.scope, a, &env))
        .unwrap_or_default();
    if declared.title.is_none() {
        declared.title = string_kw(cx, args, "title");
    }
    let tool = Tool {
        description: string_kw(cx, args, "description"),
        parameters,
        annotations: declared,
        sdk: SDK_LOWLEVEL.to_string(),
        location: cx.location(call),
        handler: branches.handler(&name),
        name,
    };
    cx.out.tools.push(tool);
}

fn prompt<'t>(cx: &mut Cx<'t>, call: Node<'t>, branches: &Branches) {
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let Some(name) = string_kw(cx, args, "name") else {
        return;
    };
    let arguments = keyword_argument(args, "arguments", cx.scope.text)
        .map(|a| prompt_arguments(cx, a))
        .unwrap_or_default();
    let prompt = Prompt {
        description: string_kw(cx, args, "description"),
        arguments,
        template: None,
        sdk: SDK_LOWLEVEL.to_string(),
        location: cx.location(call),
        handler: branches.handler(&name),
        name,
    };
    cx.out.prompts.push(prompt);
}

/// `[PromptArgument(name=…, description=…, required=True), …]`.
fn prompt_arguments<'t>(cx: &Cx<'t>, list: Node<'t>) -> Vec<Parameter> {
    let Bound::Node(list) = cx.scope.deref(list, &Env::default()) else {
        return Vec::new();
    };
    if !matches!(list.kind(), "list" | "tuple") {
        return Vec::new();
    }
    elements(list)
        .filter(|e| e.kind() == "call")
        .filter_map(|call| {
            let args = call.child_by_field_name("arguments")?;
            Some(Parameter {
                name: string_kw(cx, args, "name")?,
                ty: Some("string".to_string()),
                description: string_kw(cx, args, "description"),
                required: keyword_argument(args, "required", cx.scope.text)
                    .is_some_and(|r| r.kind() == "true"),
                default: None,
                enum_values: Vec::new(),
            })
        })
        .collect()
}

fn resource<'t>(cx: &mut Cx<'t>, call: Node<'t>, readers: &[Node<'t>]) {
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let uri = string_kw(cx, args, "uri").or_else(|| string_kw(cx, args, "uriTemplate"));
    let Some(name) = string_kw(cx, args, "name").or_else(|| uri.clone()) else {
        return;
    };
    let resource = Resource {
        name,
        uri,
        description: string_kw(cx, args, "description"),
        mime_type: string_kw(cx, args, "mimeType"),
        sdk: SDK_LOWLEVEL.to_string(),
        location: cx.location(call),
        handler: readers.first().map(|f| cx.location(*f)),
    };
    cx.out.resources.push(resource);
}

/// The branches of the dispatchers, by the item name each handles (first wins).
struct Branches {
    by_name: HashMap<String, Location>,
    fallback: Option<Location>,
}

impl Branches {
    /// Indexes every `if name == "x":` / `case "x":` branch of `dispatchers` once.
    fn new<'t>(cx: &Cx<'t>, dispatchers: &[Node<'t>]) -> Self {
        let mut by_name = HashMap::new();
        for dispatcher in dispatchers {
            for (name, location) in branches(cx, *dispatcher) {
                by_name.entry(name).or_insert(location);
            }
        }
        Branches {
            by_name,
            fallback: dispatchers.first().map(|d| cx.location(*d)),
        }
    }

    /// The branch handling `name`, else the first dispatcher itself.
    fn handler(&self, name: &str) -> Option<Location> {
        self.by_name
            .get(name)
            .cloned()
            .or_else(|| self.fallback.clone())
    }
}

/// `if name == "x": …` / `elif "x" == name:` / `if name in ("x", …):` / `case "x":`
/// branches inside `function`, as the span from the condition to the end of its block.
fn branches<'t>(cx: &Cx<'t>, function: Node<'t>) -> Vec<(String, Location)> {
    let mut out = Vec::new();
    let Some(body) = function.child_by_field_name("body") else {
        return out;
    };
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "if_statement" | "elif_clause" => {
                if let (Some(condition), Some(consequence)) = (
                    node.child_by_field_name("condition"),
                    node.child_by_field_name("consequence"),
                ) {
                    let names = compared_names(cx, condition);
                    if !names.is_empty() {
                        let location = span_location(cx.path, cx.scope.text, node, consequence);
                        out.extend(names.into_iter().map(|n| (n, location.clone())));
                    }
                }
            }
            "case_clause" => {
                let mut cursor = node.walk();
                let patterns: Vec<_> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "case_pattern")
                    .collect();
                for pattern in patterns {
                    let location = cx.location(node);
                    out.extend(
                        pattern_names(cx, pattern)
                            .into_iter()
                            .map(|n| (n, location.clone())),
                    );
                }
            }
            "function_definition" if node != body => continue,
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// The strings compared in `x == "name"`, `"name" == x`, `x in ("name", …)`, possibly
/// inside `and`/`or`.
fn compared_names<'t>(cx: &Cx<'t>, condition: Node<'t>) -> Vec<String> {
    let env = Env::default();
    let mut names = Vec::new();
    let mut stack = vec![condition];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "comparison_operator" => {
                let mut cursor = node.walk();
                let operands: Vec<_> = node.named_children(&mut cursor).collect();
                let operator = operands
                    .first()
                    .and_then(|first| cx.scope.text.get(first.end_byte()..node.end_byte()))
                    .unwrap_or("")
                    .trim_start();
                if operator.starts_with("==") {
                    names.extend(
                        operands
                            .iter()
                            .filter(|o| o.kind() != "identifier")
                            .filter_map(|o| resolve(&cx.scope, *o, &env)),
                    );
                } else if operator.starts_with("in")
                    && let Some(Bound::Node(set)) =
                        operands.get(1).map(|s| cx.scope.deref(*s, &env))
                {
                    names.extend(elements(set).filter_map(|e| resolve(&cx.scope, e, &env)));
                }
            }
            "boolean_operator" | "parenthesized_expression" => {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
            _ => {}
        }
    }
    names
}

/// The strings of a `case` pattern (`case "x":`, `case "x" | "y":`).
fn pattern_names<'t>(cx: &Cx<'t>, pattern: Node<'t>) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![pattern];
    while let Some(n) = stack.pop() {
        if n.kind() == "string" {
            names.extend(resolve(&cx.scope, n, &Env::default()));
            continue;
        }
        if matches!(n.kind(), "case_pattern" | "union_pattern") {
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
    }
    names
}
