//! The official Go SDK's struct literals: `&mcp.Tool{Name, Description, Title,
//! Annotations: &mcp.ToolAnnotations{…}}`, `&mcp.Prompt{Name, Description, Arguments:
//! []*mcp.PromptArgument{…}}`, `&mcp.Resource{URI, Name, Description, MIMEType}`,
//! `&mcp.ResourceTemplate{URITemplate, …}`, `&mcp.ServerOptions{Instructions}`. Tool
//! parameters come from the handler's typed input struct
//! (`func(ctx, req *mcp.CallToolRequest, args Input)`).

use assay_core::{Annotations, Instructions, Parameter, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::Cx;
use super::scope::{Bound, Env, MAX_RESOLVE_DEPTH, literal_field};
use super::strings::resolve;
use super::structs::struct_parameters;

/// A declaration built from a struct literal.
pub(super) enum Item {
    Tool(Tool),
    Prompt(Prompt),
    Resource(Resource),
}

/// The `(package, type name, literal_value)` of a composite literal of a type from an
/// MCP package.
fn mcp_literal<'t>(cx: &Cx<'t>, node: Node<'t>) -> Option<(&'t str, &'t str, Node<'t>)> {
    if node.kind() != "composite_literal" {
        return None;
    }
    let ty = node.child_by_field_name("type")?;
    if ty.kind() != "qualified_type" {
        return None;
    }
    let package = cx.scope.text_of(ty.child_by_field_name("package")?);
    cx.scope.mcp_import(package)?;
    let name = cx.scope.text_of(ty.child_by_field_name("name")?);
    Some((package, name, node.child_by_field_name("body")?))
}

/// Reads a struct-literal declaration (`mcp.Tool{…}` …) at `node`, if it is one.
pub(super) fn item<'t>(cx: &Cx<'t>, node: Node<'t>, env: &Env<'t>) -> Option<Item> {
    let (package, type_name, body) = mcp_literal(cx, node)?;
    let sdk = cx.sdk_of(package).to_string();
    let field = |name: &str| literal_field(&cx.scope, body, None, name);
    let string = |name: &str| field(name).and_then(|v| resolve(&cx.scope, v, env));
    let location = cx.location(node);
    match type_name {
        "Tool" => {
            let mut annotations = field("Annotations")
                .map(|a| annotations(cx, a, env))
                .unwrap_or_default();
            if annotations.title.is_none() {
                annotations.title = string("Title");
            }
            Some(Item::Tool(Tool {
                name: string("Name")?,
                description: string("Description"),
                parameters: Vec::new(),
                annotations,
                sdk,
                location,
                handler: None,
            }))
        }
        "Prompt" => Some(Item::Prompt(Prompt {
            name: string("Name")?,
            description: string("Description"),
            arguments: field("Arguments")
                .map(|a| prompt_arguments(cx, a, env))
                .unwrap_or_default(),
            template: None,
            sdk,
            location,
            handler: None,
        })),
        "Resource" | "ResourceTemplate" => {
            let uri = string("URI").or_else(|| string("URITemplate"));
            Some(Item::Resource(Resource {
                name: string("Name").or_else(|| uri.clone())?,
                uri,
                description: string("Description"),
                mime_type: string("MIMEType"),
                sdk,
                location,
                handler: None,
            }))
        }
        _ => None,
    }
}

/// `&mcp.ServerOptions{Instructions: "…"}`.
pub(super) fn server_options<'t>(cx: &mut Cx<'t>, node: Node<'t>, env: &Env<'t>) {
    let Some((_, "ServerOptions", body)) = mcp_literal(cx, node) else {
        return;
    };
    if let Some(value) = literal_field(&cx.scope, body, None, "Instructions")
        && let Some(text) = resolve(&cx.scope, value, env)
    {
        let location = cx.location(value);
        cx.out.instructions.push(Instructions { text, location });
    }
}

/// `ToolAnnotations{ReadOnlyHint: true, DestructiveHint: ptr(false), Title: "…"}`.
pub(super) fn annotations<'t>(cx: &Cx<'t>, node: Node<'t>, env: &Env<'t>) -> Annotations {
    let mut out = Annotations::default();
    let Bound::Node(literal) = cx.scope.deref(node, env) else {
        return out;
    };
    let Some(body) = literal.child_by_field_name("body") else {
        return out;
    };
    let flag = |name: &str| {
        literal_field(&cx.scope, body, None, name).and_then(|v| bool_value(cx, v, env))
    };
    out.title =
        literal_field(&cx.scope, body, None, "Title").and_then(|v| resolve(&cx.scope, v, env));
    out.read_only_hint = flag("ReadOnlyHint");
    out.destructive_hint = flag("DestructiveHint");
    out.idempotent_hint = flag("IdempotentHint");
    out.open_world_hint = flag("OpenWorldHint");
    out
}

/// `true`, `false`, or a pointer helper around one (`ptr(true)`, `mcp.ToBoolPtr(false)`).
fn bool_value<'t>(cx: &Cx<'t>, node: Node<'t>, env: &Env<'t>) -> Option<bool> {
    let mut node = node;
    for _ in 0..MAX_RESOLVE_DEPTH {
        let Bound::Node(value) = cx.scope.deref(node, env) else {
            return None;
        };
        match value.kind() {
            "true" => return Some(true),
            "false" => return Some(false),
            "call_expression" => match super::scope::arguments(value).as_slice() {
                [single] => node = *single,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// `[]*mcp.PromptArgument{{Name: "x", Description: "…", Required: true}, …}`.
fn prompt_arguments<'t>(cx: &Cx<'t>, node: Node<'t>, env: &Env<'t>) -> Vec<Parameter> {
    let Bound::Node(list) = cx.scope.deref(node, env) else {
        return Vec::new();
    };
    let Some(body) = list.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut cursor = body.walk();
    let elements: Vec<_> = body.named_children(&mut cursor).collect();
    elements
        .into_iter()
        .filter_map(|element| {
            let Bound::Node(value) = cx.scope.deref(element, env) else {
                return None;
            };
            let value = match value.kind() {
                "composite_literal" => value.child_by_field_name("body")?,
                "literal_value" => value,
                _ => return None,
            };
            let field = |name: &str| literal_field(&cx.scope, value, None, name);
            Some(Parameter {
                name: field("Name").and_then(|v| resolve(&cx.scope, v, env))?,
                ty: Some("string".to_string()),
                description: field("Description").and_then(|v| resolve(&cx.scope, v, env)),
                required: field("Required").and_then(|v| bool_value(cx, v, env)) == Some(true),
                default: None,
                enum_values: Vec::new(),
            })
        })
        .collect()
}

/// The parameters of a typed handler: the struct named by one of its parameter types
/// (the last one that names a struct of this file, generic arguments included).
pub(super) fn handler_parameters<'t>(cx: &Cx<'t>, function: Node<'t>) -> Vec<Parameter> {
    let Some(params) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = params.walk();
    let declarations: Vec<_> = params.named_children(&mut cursor).collect();
    for declaration in declarations.into_iter().rev() {
        let Some(ty) = declaration.child_by_field_name("type") else {
            continue;
        };
        if let Some(fields) = local_struct(cx, ty) {
            return struct_parameters(&cx.scope, fields);
        }
    }
    Vec::new()
}

/// The first struct type of this file named inside type expression `ty`.
fn local_struct<'t>(cx: &Cx<'t>, ty: Node<'t>) -> Option<Node<'t>> {
    let mut stack = vec![ty];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "type_identifier" => {
                if let Some(fields) = cx.scope.struct_type(cx.scope.text_of(node)) {
                    return Some(fields);
                }
            }
            // `mcp.CallToolRequest` names a type of another package; its generic
            // arguments may still be local.
            "qualified_type" => continue,
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    None
}
