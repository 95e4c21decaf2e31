//! The TypeScript SDK's high-level `McpServer` API.
//!
//! * `tool(name, [description], [paramsShape], [annotations], cb)` — every overload: an
//!   object argument is a params shape unless it is a `ToolAnnotations` literal, and an
//!   object after a shape is annotations (the SDK's own disambiguation).
//! * `registerTool(name, { title, description, inputSchema, annotations }, cb)`.
//! * `prompt(name, [description], [argsShape], cb)` and
//!   `registerPrompt(name, { title, description, argsSchema }, cb)`.
//! * `resource(name, uri | new ResourceTemplate(uri, …), [metadata], cb)` and
//!   `registerResource(name, uri | template, { title, description, mimeType }, cb)`.
//!
//! A call counts only with the SDK's call shape: a statically known name first and a
//! callback last, so unrelated `.tool(…)` or `.prompt(…)` methods are left alone.

use assay_core::{Parameter, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::binders::Context;
use super::eval::Expr;
use super::prompt_text::template;
use super::schema::{
    annotations, is_annotations, parameters, property_parameters, tool_annotations,
};
use super::syntax::{arguments, call_method, field, last_name};
use super::{Extractor, Name};

/// The `sdk` label of items declared through `McpServer`.
const SDK: &str = "ts-sdk";

/// What an argument of a declaring call is.
enum Arg<'a> {
    /// A string expression (fully or partly known).
    Text(Expr<'a>),
    /// An object literal, or a zod object schema.
    Object(Expr<'a>),
    /// A function.
    Function(Expr<'a>),
    /// Something not statically known (an import, a call result…).
    Opaque(Expr<'a>),
}

/// Extracts what the `McpServer` call `call` (method `method`) declares in `context`.
pub(super) fn extract<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    method: &str,
    context: &Context<'a>,
) {
    let args: Vec<Expr<'a>> = arguments(call)
        .into_iter()
        .map(|a| Expr::new(a, &context.env))
        .collect();
    if args.len() < 2 || args.iter().any(|a| a.node.kind() == "spread_element") {
        return;
    }
    let Some(name) = x.name(&args[0]) else {
        return;
    };
    match method {
        "tool" => tool(x, call, context, name, &args),
        "registerTool" => register_tool(x, call, context, name, &args),
        "prompt" => prompt(x, call, context, name, &args),
        "registerPrompt" => register_prompt(x, call, context, name, &args),
        "resource" | "registerResource" => resource(x, call, context, name, &args, method),
        _ => {}
    }
}

fn classify<'a>(x: &Extractor<'a>, expr: &Expr<'a>) -> Arg<'a> {
    let resolved = x.eval.resolve(expr);
    if x.eval.function(&resolved).is_some() {
        return Arg::Function(resolved);
    }
    if resolved.node.kind() == "object" || is_zod_object(x, resolved.node) {
        return Arg::Object(resolved);
    }
    if x.eval.is_text(expr) {
        return Arg::Text(expr.clone());
    }
    Arg::Opaque(resolved)
}

/// `z.object({…})` (possibly with `.strict()`, `.describe()`…).
fn is_zod_object(x: &Extractor<'_>, node: Node<'_>) -> bool {
    let mut node = node;
    for _ in 0..16 {
        if node.kind() != "call_expression" {
            return false;
        }
        match call_method(node, x.eval.text) {
            Some("object" | "strictObject" | "looseObject") => return true,
            Some("strict" | "passthrough" | "describe" | "extend" | "merge") => {
                match field(node, "function").and_then(|f| field(f, "object")) {
                    Some(object) => node = object,
                    None => return false,
                }
            }
            _ => return false,
        }
    }
    false
}

/// The callback of a declaring call: a function, or (when the call also has other
/// arguments) an opaque handler reference such as an imported function.
fn callback<'a>(
    x: &Extractor<'a>,
    expr: &Expr<'a>,
    argument_count: usize,
) -> Option<Option<Expr<'a>>> {
    match classify(x, expr) {
        Arg::Function(f) => Some(Some(f)),
        Arg::Opaque(_) if argument_count >= 3 && is_reference(expr.node) => Some(None),
        _ => None,
    }
}

/// An identifier, member access or call: something that can name a handler.
fn is_reference(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "identifier" | "member_expression" | "call_expression" | "subscript_expression"
    )
}

/// The middle arguments of `tool(…)` / `prompt(…)`: description, shape, annotations.
#[derive(Default)]
struct Overload<'a> {
    description: Option<String>,
    shape: Option<Expr<'a>>,
    annotations: Option<Expr<'a>>,
}

fn overload<'a>(
    x: &Extractor<'a>,
    middle: &[Expr<'a>],
    allow_annotations: bool,
) -> Option<Overload<'a>> {
    let mut found = Overload::default();
    for (i, arg) in middle.iter().enumerate() {
        match classify(x, arg) {
            Arg::Text(text) if i == 0 => {
                found.description = Some(x.eval.text_or_placeholder(&text))
            }
            Arg::Opaque(opaque) if i == 0 && middle.len() >= 2 => {
                // `tool(name, DESCRIPTIONS_FROM_ELSEWHERE, shape, cb)`.
                found.description = Some(x.eval.text_or_placeholder(&opaque));
            }
            Arg::Object(object) => {
                if found.shape.is_none() && found.annotations.is_none() {
                    if allow_annotations && is_annotations(&x.eval, &object) {
                        found.annotations = Some(object);
                    } else {
                        found.shape = Some(object);
                    }
                } else if allow_annotations && found.shape.is_some() && found.annotations.is_none()
                {
                    found.annotations = Some(object);
                } else {
                    return None;
                }
            }
            Arg::Opaque(opaque) if found.shape.is_none() && is_reference(opaque.node) => {
                // A shape imported from another module: the tool exists, its
                // parameters are not visible here.
                found.shape = Some(opaque);
            }
            _ => return None,
        }
    }
    Some(found)
}

/// The callback and middle arguments of a positional `tool(name, …, cb)` /
/// `prompt(name, …, cb)` call of at most `max_args` arguments.
fn positional<'a>(
    x: &Extractor<'a>,
    args: &[Expr<'a>],
    max_args: usize,
    allow_annotations: bool,
) -> Option<(Option<Expr<'a>>, Overload<'a>)> {
    if args.len() > max_args {
        return None;
    }
    let handler = callback(x, &args[args.len() - 1], args.len())?;
    let found = overload(x, &args[1..args.len() - 1], allow_annotations)?;
    Some((handler, found))
}

fn tool<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    args: &[Expr<'a>],
) {
    let Some((handler, found)) = positional(x, args, 5, true) else {
        return;
    };
    let location = x.declared_at(call, context, &name);
    let tool = Tool {
        name: name.value,
        description: found.description,
        parameters: found
            .shape
            .map(|s| parameters(&x.eval, &s))
            .unwrap_or_default(),
        annotations: found
            .annotations
            .map(|a| annotations(&x.eval, &a))
            .unwrap_or_default(),
        sdk: SDK.to_string(),
        location,
        handler: x.handler(handler),
    };
    x.out.tools.push(tool);
}

/// The config object and the callback of a `register*(name, config, cb)` call.
fn config_and_callback<'a>(
    x: &Extractor<'a>,
    args: &[Expr<'a>],
) -> Option<(Expr<'a>, Option<Expr<'a>>)> {
    let [_, config, cb] = args else { return None };
    let Arg::Object(config) = classify(x, config) else {
        return None;
    };
    let handler = callback(x, cb, 3)?;
    Some((config, handler))
}

fn register_tool<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    args: &[Expr<'a>],
) {
    let Some((config, handler)) = config_and_callback(x, args) else {
        return;
    };
    let eval = &x.eval;
    let hints = tool_annotations(eval, &config);
    let tool = Tool {
        description: eval.property_text(&config, "description"),
        parameters: property_parameters(eval, &config, "inputSchema"),
        annotations: hints,
        sdk: SDK.to_string(),
        location: x.declared_at(call, context, &name),
        handler: x.handler(handler),
        name: name.value,
    };
    x.out.tools.push(tool);
}

fn prompt<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    args: &[Expr<'a>],
) {
    let Some((handler, found)) = positional(x, args, 4, false) else {
        return;
    };
    let arguments = found
        .shape
        .map(|s| parameters(&x.eval, &s))
        .unwrap_or_default();
    push_prompt(
        x,
        call,
        context,
        name,
        found.description,
        arguments,
        handler,
    );
}

fn register_prompt<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    args: &[Expr<'a>],
) {
    let Some((config, handler)) = config_and_callback(x, args) else {
        return;
    };
    let eval = &x.eval;
    let description = eval.property_text(&config, "description");
    let arguments = property_parameters(eval, &config, "argsSchema");
    push_prompt(x, call, context, name, description, arguments, handler);
}

fn push_prompt<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    description: Option<String>,
    arguments: Vec<Parameter>,
    handler: Option<Expr<'a>>,
) {
    let prompt = Prompt {
        description,
        arguments,
        template: handler.as_ref().and_then(|h| template(&x.eval, h)),
        sdk: SDK.to_string(),
        location: x.declared_at(call, context, &name),
        handler: x.handler(handler),
        name: name.value,
    };
    x.out.prompts.push(prompt);
}

fn resource<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    name: Name<'a>,
    args: &[Expr<'a>],
    method: &str,
) {
    let allowed = if method == "registerResource" {
        4..=4
    } else {
        3..=4
    };
    if !allowed.contains(&args.len()) {
        return;
    }
    let Some(uri) = resource_uri(x, &args[1]) else {
        return;
    };
    let Some(handler) = callback(x, &args[args.len() - 1], args.len()) else {
        return;
    };
    let metadata = match args.len() {
        4 => match classify(x, &args[2]) {
            Arg::Object(object) => Some(object),
            _ => return,
        },
        _ => None,
    };
    let eval = &x.eval;
    let field_text = |key: &str| metadata.as_ref().and_then(|m| eval.property_text(m, key));
    let resource = Resource {
        uri: Some(uri),
        description: field_text("description"),
        mime_type: field_text("mimeType"),
        sdk: SDK.to_string(),
        location: x.declared_at(call, context, &name),
        handler: x.handler(handler),
        name: name.value,
    };
    x.out.resources.push(resource);
}

/// The URI of a resource argument: a string, or the template of
/// `new ResourceTemplate(uriTemplate, …)`.
fn resource_uri<'a>(x: &Extractor<'a>, expr: &Expr<'a>) -> Option<String> {
    let resolved = x.eval.resolve(expr);
    if resolved.node.kind() == "new_expression" {
        let constructor = field(resolved.node, "constructor")?;
        if !last_name(constructor, x.eval.text).ends_with("ResourceTemplate") {
            return None;
        }
        let template = *arguments(resolved.node).first()?;
        return Some(x.eval.text_or_placeholder(&resolved.with(template)));
    }
    x.eval.text(expr)
}
