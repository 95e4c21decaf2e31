//! Handlers: the functions the inventory links to tools, prompts and resources of this
//! file, and registrations whose handler is declared in another file of the package
//! (`s.AddTool(tool, handleRun)` with `handleRun` elsewhere), which become tainted calls
//! for [`crate::taint::link`].

use std::collections::HashMap;

use assay_core::{Confidence, FlowStep, Inventory, Location, Parameter};
use tree_sitter::Node;

use super::expr::{call_arguments, strip_parens};
use super::index::{FileIndex, descendants};
use super::sources::is_scalar_type;
use crate::taint::{CallTarget, SinkKinds, SourceKind, TaintedCall};

/// Registration methods linking an item to its handler.
const REGISTRATIONS: &[&str] = &["AddTool", "AddPrompt", "AddResource", "AddResourceTemplate"];

/// A handler of this file.
pub(super) struct Handler<'t> {
    /// The function (declaration, method or literal).
    pub function: Node<'t>,
    /// The tool (prompt, resource) name.
    pub tool: String,
    /// Its parameters (prompt arguments; a resource's `uri`).
    pub params: Vec<Parameter>,
    /// Where the handler is.
    pub location: Location,
}

/// The items of `inventory` with a handler location, and their parameters.
fn items(inventory: &Inventory) -> Vec<(&str, Vec<Parameter>, &Location, Option<&Location>)> {
    let uri = || {
        vec![Parameter {
            name: "uri".to_string(),
            ty: Some("string".to_string()),
            ..Parameter::default()
        }]
    };
    inventory
        .tools
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.parameters.clone(),
                &t.location,
                t.handler.as_ref(),
            )
        })
        .chain(inventory.prompts.iter().map(|p| {
            (
                p.name.as_str(),
                p.arguments.clone(),
                &p.location,
                p.handler.as_ref(),
            )
        }))
        .chain(
            inventory
                .resources
                .iter()
                .map(|r| (r.name.as_str(), uri(), &r.location, r.handler.as_ref())),
        )
        .collect()
}

/// The handlers of this file's inventory, found by location.
pub(super) fn handlers<'t>(
    ix: &FileIndex<'t>,
    root: Node<'t>,
    inventory: &Inventory,
) -> Vec<Handler<'t>> {
    let mut functions: HashMap<Location, Node<'t>> = HashMap::new();
    for kind in ["func_literal", "function_declaration", "method_declaration"] {
        for node in descendants(root, kind) {
            functions.insert(ix.location(node), node);
        }
    }
    items(inventory)
        .into_iter()
        .filter_map(|(name, params, _, handler)| {
            let location = handler?;
            let function = *functions.get(location)?;
            Some(Handler {
                function,
                tool: name.to_string(),
                params,
                location: location.clone(),
            })
        })
        .collect()
}

/// Tainted calls for items registered here with a handler declared in another file of
/// the package: each parameter flows into the handler's request (or typed input).
pub(super) fn registrations<'t>(
    ix: &FileIndex<'t>,
    root: Node<'t>,
    inventory: &Inventory,
) -> Vec<TaintedCall> {
    let unlinked: Vec<_> = items(inventory)
        .into_iter()
        .filter(|(_, _, _, handler)| handler.is_none())
        .collect();
    if unlinked.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for call in descendants(root, "call_expression") {
        let Some(function) = call.child_by_field_name("function") else {
            continue;
        };
        if function.kind() != "selector_expression" {
            continue;
        }
        let Some(method) = function.child_by_field_name("field").map(|f| ix.text_of(f)) else {
            continue;
        };
        if !REGISTRATIONS.contains(&method) {
            continue;
        }
        let args = call_arguments(call);
        let [.., item, handler] = args.as_slice() else {
            continue;
        };
        let Some(target) = handler_name(ix, *handler) else {
            continue;
        };
        let Some(item) = definition(ix, *item) else {
            continue;
        };
        let location = ix.location(item);
        let Some((tool, params, declared, _)) =
            unlinked.iter().find(|(_, _, l, _)| **l == location)
        else {
            continue;
        };
        // The official SDK's generic `mcp.AddTool(server, tool, handler)` passes the
        // typed input third; otherwise the request is the second parameter.
        let arg_index = if args.len() == 3 { 2 } else { 1 };
        let source_step = |param: &str| FlowStep {
            location: (*declared).clone(),
            message: format!("tool parameter `{param}`"),
        };
        let registration = FlowStep {
            location: ix.location(call),
            message: format!("handled by `{target}` (declared in another file)"),
        };
        let strings: Vec<&Parameter> = params
            .iter()
            .filter(|p| !p.ty.as_deref().is_some_and(is_scalar_type))
            .collect();
        let fields: Vec<Option<&str>> = if params.is_empty() {
            vec![None]
        } else {
            strings.iter().map(|p| Some(p.name.as_str())).collect()
        };
        for field in fields {
            let param = field.unwrap_or("arguments");
            out.push(TaintedCall {
                call: CallTarget {
                    module: Some(ix.dir.clone()),
                    name: target.clone(),
                    arg_index,
                    field: field.map(str::to_string),
                },
                source: SourceKind::ToolParameter {
                    tool: Some(tool.to_string()),
                    param: param.to_string(),
                },
                steps: vec![source_step(param), registration.clone()],
                tool: Some(tool.to_string()),
                confidence: if field.is_some() {
                    Confidence::High
                } else {
                    Confidence::Medium
                },
                cleared: SinkKinds::default(),
            });
        }
    }
    out
}

/// The name a handler expression calls, when it is declared in another file:
/// `handleRun`, `h.handleRun` (as `Type.handleRun`), or either wrapped in an adapter
/// call (`mcp.NewTypedToolHandler(handleRun)`).
fn handler_name<'t>(ix: &FileIndex<'t>, handler: Node<'t>) -> Option<String> {
    let handler = strip_parens(handler);
    match handler.kind() {
        "identifier" => {
            let name = ix.text_of(handler);
            (ix.function(name).is_none() && ix.local_value(handler).is_none())
                .then(|| name.to_string())
        }
        "selector_expression" => {
            let operand = handler.child_by_field_name("operand")?;
            let method = ix.text_of(handler.child_by_field_name("field")?);
            if operand.kind() != "identifier" || ix.import(ix.text_of(operand)).is_some() {
                return None;
            }
            let ty = receiver_type_of(ix, operand)?;
            ix.method(ty, method)
                .is_none()
                .then(|| format!("{ty}.{method}"))
        }
        "call_expression" => call_arguments(handler)
            .into_iter()
            .find_map(|a| handler_name(ix, a)),
        _ => None,
    }
}

/// The type of a variable holding `&T{…}`, `T{…}` or `NewT(…)`-style constructors'
/// `&T{}` result, or the receiver type when it is the enclosing method's receiver.
fn receiver_type_of<'t>(ix: &FileIndex<'t>, variable: Node<'t>) -> Option<&'t str> {
    let value = strip_parens(ix.local_value(variable)?);
    let literal = match value.kind() {
        "unary_expression" => value.child_by_field_name("operand")?,
        _ => value,
    };
    if literal.kind() != "composite_literal" {
        return None;
    }
    let ty = literal.child_by_field_name("type")?;
    (ty.kind() == "type_identifier").then(|| ix.text_of(ty))
}

/// The expression an item argument stands for: the literal or constructor call itself,
/// through parentheses, `&` and variables.
fn definition<'t>(ix: &FileIndex<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut node = strip_parens(node);
    for _ in 0..8 {
        match node.kind() {
            "unary_expression" => node = strip_parens(node.child_by_field_name("operand")?),
            "identifier" => node = strip_parens(ix.local_value(node)?),
            _ => return Some(node),
        }
    }
    None
}
