//! FastMCP declarations, for both `mcp.server.fastmcp.FastMCP` and the standalone
//! `fastmcp` package, whatever the server variable is called:
//!
//! * decorators `@x.tool`, `@x.tool()`, `@x.tool("name")`, `@x.tool(name=…,
//!   description=…, annotations=…)`, `@x.prompt(…)`, `@x.resource("scheme://…", …)`;
//! * calls `x.tool(…)(fn)`, `x.tool(fn, name=…)`, `x.add_tool(fn, name=…, …)`,
//!   `x.add_tool(Tool.from_function(fn, …))`, `x.add_prompt(…)`;
//! * `FastMCP(…, instructions=…)` (and the low-level `Server(…, instructions=…)`).
//!
//! Names default to the function name, descriptions to its cleaned docstring.

use assay_core::{Instructions, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::annotations::annotations;
use super::docstring::docstring;
use super::params::function_parameters;
use super::scope::{Bound, Env, keyword_argument, last_segment, positional_arguments};
use super::strings::resolve;
use super::{Cx, SDK_FASTMCP};

/// Calls whose `instructions=` keyword is sent to clients at initialisation.
const SERVER_CONSTRUCTORS: &[&str] = &["FastMCP", "Server", "InitializationOptions", "MCPServer"];

/// What a decorator or registration call declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tool,
    Prompt,
    Resource,
}

fn kind_of(method: &str) -> Option<Kind> {
    match method {
        "tool" => Some(Kind::Tool),
        "prompt" => Some(Kind::Prompt),
        "resource" => Some(Kind::Resource),
        _ => None,
    }
}

/// Cheap check that a helper function's source may register something.
pub(super) fn may_register(source: &str) -> bool {
    [".tool", ".add_tool", ".prompt", ".add_prompt", ".resource"]
        .iter()
        .any(|needle| source.contains(needle))
}

/// One registration: its options (`argument_list` of the factory call), the function it
/// registers and the node that declares it.
struct Registration<'t> {
    kind: Kind,
    options: Option<Node<'t>>,
    /// Whether the first positional option is the name (or URI), not the function.
    positional_name: bool,
    target: Option<Node<'t>>,
    site: Node<'t>,
}

/// `x.tool` / `x.tool(…)`: the kind and the factory's arguments.
fn factory<'t>(cx: &Cx<'t>, expr: Node<'t>) -> Option<(Kind, Option<Node<'t>>)> {
    match expr.kind() {
        "attribute" => Some((kind_of(attribute_name(cx, expr)?)?, None)),
        "call" => {
            let function = expr.child_by_field_name("function")?;
            if function.kind() != "attribute" {
                return None;
            }
            let kind = kind_of(attribute_name(cx, function)?)?;
            Some((kind, expr.child_by_field_name("arguments")))
        }
        _ => None,
    }
}

fn attribute_name<'t>(cx: &Cx<'t>, attribute: Node<'t>) -> Option<&'t str> {
    attribute
        .child_by_field_name("attribute")
        .map(|a| cx.scope.text_of(a))
}

/// A decorated definition: each FastMCP decorator on it declares one item.
pub(super) fn decorated<'t>(cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>) {
    let Some(definition) = node
        .child_by_field_name("definition")
        .filter(|d| d.kind() == "function_definition")
    else {
        return;
    };
    let mut cursor = node.walk();
    let decorators: Vec<_> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "decorator")
        .collect();
    for decorator in decorators {
        if let Some((kind, options)) = decorator.named_child(0).and_then(|e| factory(cx, e)) {
            register(
                cx,
                &Registration {
                    kind,
                    options,
                    positional_name: true,
                    target: Some(definition),
                    site: decorator,
                },
                env,
            );
        }
    }
}

/// A call: registration forms and server instructions.
pub(super) fn call<'t>(cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>) {
    let (Some(function), Some(args)) = (
        node.child_by_field_name("function"),
        node.child_by_field_name("arguments"),
    ) else {
        return;
    };
    // `x.tool(…)(fn)`
    if function.kind() == "call" {
        if let Some((kind, options)) = factory(cx, function) {
            register(
                cx,
                &Registration {
                    kind,
                    options,
                    positional_name: true,
                    target: positional_arguments(args).next(),
                    site: node,
                },
                env,
            );
        }
        return;
    }
    if function.kind() == "attribute" {
        match attribute_name(cx, function) {
            Some(method @ ("add_tool" | "add_prompt")) => {
                add_call(cx, node, args, method, env);
                return;
            }
            Some(method) if kind_of(method).is_some() => {
                direct_call(cx, node, args, method, env);
                return;
            }
            _ => {}
        }
    }
    instructions(cx, function, args, env);
}

/// `x.add_tool(fn, name=…)` or `x.add_tool(Tool.from_function(fn, name=…))`.
fn add_call<'t>(cx: &mut Cx<'t>, node: Node<'t>, args: Node<'t>, method: &str, env: &Env<'t>) {
    let kind = if method == "add_tool" {
        Kind::Tool
    } else {
        Kind::Prompt
    };
    let mut options = args;
    let mut target = positional_arguments(args).next();
    if let Some(Bound::Node(inner)) = target.map(|t| cx.scope.deref(t, env))
        && inner.kind() == "call"
        && inner
            .child_by_field_name("function")
            .is_some_and(|f| last_segment(cx.scope.text_of(f)) == "from_function")
        && let Some(inner_args) = inner.child_by_field_name("arguments")
    {
        options = inner_args;
        target = positional_arguments(inner_args).next();
    }
    register(
        cx,
        &Registration {
            kind,
            options: Some(options),
            positional_name: false,
            target,
            site: node,
        },
        env,
    );
}

/// `x.tool(fn, name=…)`: the standalone fastmcp's direct form. A factory call that is
/// itself applied (`x.tool(…)(fn)`) or used as a decorator is handled elsewhere.
fn direct_call<'t>(cx: &mut Cx<'t>, node: Node<'t>, args: Node<'t>, method: &str, env: &Env<'t>) {
    let applied = node.parent().is_some_and(|p| {
        p.kind() == "decorator"
            || (p.kind() == "call" && p.child_by_field_name("function") == Some(node))
    });
    if applied {
        return;
    }
    let Some(first) = positional_arguments(args).next() else {
        return;
    };
    let is_function = matches!(
        cx.scope.deref(first, env),
        Bound::Node(n) if matches!(n.kind(), "function_definition" | "lambda")
    );
    if let (true, Some(kind)) = (is_function, kind_of(method)) {
        register(
            cx,
            &Registration {
                kind,
                options: Some(args),
                positional_name: false,
                target: Some(first),
                site: node,
            },
            env,
        );
    }
}

/// `FastMCP("name", instructions=…)`.
fn instructions<'t>(cx: &mut Cx<'t>, function: Node<'t>, args: Node<'t>, env: &Env<'t>) {
    if !SERVER_CONSTRUCTORS.contains(&last_segment(cx.scope.text_of(function))) {
        return;
    }
    let Some(value) = keyword_argument(args, "instructions", cx.scope.text) else {
        return;
    };
    if let Some(text) = resolve(&cx.scope, value, env).filter(|t| !t.trim().is_empty()) {
        let location = cx.location(value);
        cx.out.instructions.push(Instructions { text, location });
    }
}

fn register<'t>(cx: &mut Cx<'t>, reg: &Registration<'t>, env: &Env<'t>) {
    let scope = &cx.scope;
    let function = reg.target.and_then(|t| match scope.deref(t, env) {
        Bound::Node(n) if n.kind() == "function_definition" => Some(n),
        _ => None,
    });
    let option = |name: &str| {
        reg.options
            .and_then(|a| keyword_argument(a, name, scope.text))
    };
    let string_option = |name: &str| option(name).and_then(|v| resolve(scope, v, env));
    let positional = || {
        reg.options
            .filter(|_| reg.positional_name)
            .and_then(|a| positional_arguments(a).next())
            .and_then(|v| resolve(scope, v, env))
    };
    let function_name = function
        .and_then(|f| f.child_by_field_name("name"))
        .map(|n| scope.text_of(n).to_string());
    let description =
        string_option("description").or_else(|| function.and_then(|f| docstring(scope, f)));
    let location = cx.location(reg.site);
    let handler = function.map(|f| cx.location(f));
    match reg.kind {
        Kind::Tool => {
            let Some(name) = string_option("name").or_else(positional).or(function_name) else {
                return;
            };
            let mut annotations = option("annotations")
                .map(|a| annotations(scope, a, env))
                .unwrap_or_default();
            if annotations.title.is_none() {
                annotations.title = string_option("title");
            }
            let parameters = function
                .map(|f| function_parameters(scope, f))
                .unwrap_or_default();
            cx.out.tools.push(Tool {
                name,
                description,
                parameters,
                annotations,
                sdk: SDK_FASTMCP.to_string(),
                location,
                handler,
            });
        }
        Kind::Prompt => {
            let Some(name) = string_option("name").or_else(positional).or(function_name) else {
                return;
            };
            let arguments = function
                .map(|f| function_parameters(scope, f))
                .unwrap_or_default();
            let template = function.and_then(|f| returned_text(cx, f));
            cx.out.prompts.push(Prompt {
                name,
                description,
                arguments,
                template,
                sdk: SDK_FASTMCP.to_string(),
                location,
                handler,
            });
        }
        Kind::Resource => {
            let Some(uri) = string_option("uri")
                .or_else(positional)
                .filter(|u| u.contains("://"))
            else {
                return;
            };
            let Some(name) = string_option("name")
                .or(function_name)
                .or_else(|| Some(uri.clone()))
            else {
                return;
            };
            cx.out.resources.push(Resource {
                name,
                uri: Some(uri),
                description,
                mime_type: string_option("mime_type"),
                sdk: SDK_FASTMCP.to_string(),
                location,
                handler,
            });
        }
    }
}

/// The text a prompt function returns, when its first top-level `return` is a string
/// (parameters of f-strings stay as `{name}`).
fn returned_text<'t>(cx: &Cx<'t>, function: Node<'t>) -> Option<String> {
    let body = function.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let ret = body
        .named_children(&mut cursor)
        .find(|s| s.kind() == "return_statement")?;
    resolve(&cx.scope, ret.named_child(0)?, &Env::default())
}
