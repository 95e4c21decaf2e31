//! mark3labs/mcp-go's functional options: `mcp.NewTool(name, opts…)` with
//! `WithDescription`, `WithString/Number/Integer/Boolean/Array/Object(name, propOpts…)`
//! (`Required`, `Description`, `Enum`, `Default*`), annotation options and
//! `WithInputSchema[T]()`; `NewToolWithRawSchema(name, description, schema)`;
//! `NewPrompt(name, WithPromptDescription, WithArgument(name, ArgumentDescription,
//! RequiredArgument))`; `NewResource(uri, name, WithResourceDescription, WithMIMEType)`;
//! `NewResourceTemplate(…, WithTemplateDescription, WithTemplateMIMEType)`;
//! `server.NewMCPServer(name, version, server.WithInstructions(…))`.

use assay_core::{Annotations, Instructions, Parameter, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::scope::{Bound, Env, arguments};
use super::strings::resolve;
use super::structs::struct_parameters;
use super::{Cx, SDK_MCP_GO};

/// An option call: its name (`WithString`), arguments and generic type argument.
struct OptionCall<'t> {
    name: &'t str,
    args: Vec<Node<'t>>,
    type_argument: Option<Node<'t>>,
}

/// Reads `node` as an option call (`mcp.WithX(…)`, `WithX(…)`, `mcp.WithX[T]()`).
fn option<'t>(cx: &Cx<'t>, node: Node<'t>, env: &Env<'t>) -> Option<OptionCall<'t>> {
    let Bound::Node(call) = cx.scope.deref(node, env) else {
        return None;
    };
    if call.kind() != "call_expression" {
        return None;
    }
    let mut function = call.child_by_field_name("function")?;
    let mut type_argument = call
        .child_by_field_name("type_arguments")
        .and_then(|t| t.named_child(0));
    if function.kind() == "index_expression" {
        type_argument = function.child_by_field_name("index");
        function = function.child_by_field_name("operand")?;
    }
    let name = match function.kind() {
        "selector_expression" => cx.scope.text_of(function.child_by_field_name("field")?),
        "identifier" => cx.scope.text_of(function),
        _ => return None,
    };
    Some(OptionCall {
        name,
        args: arguments(call),
        type_argument,
    })
}

fn string_arg<'t>(
    cx: &Cx<'t>,
    opt: &OptionCall<'t>,
    index: usize,
    env: &Env<'t>,
) -> Option<String> {
    opt.args
        .get(index)
        .and_then(|a| resolve(&cx.scope, *a, env))
}

fn bool_arg<'t>(cx: &Cx<'t>, opt: &OptionCall<'t>, env: &Env<'t>) -> Option<bool> {
    match cx.scope.deref(*opt.args.first()?, env) {
        Bound::Node(n) if n.kind() == "true" => Some(true),
        Bound::Node(n) if n.kind() == "false" => Some(false),
        _ => None,
    }
}

/// `NewTool` / `NewToolWithRawSchema`.
pub(super) fn tool<'t>(cx: &Cx<'t>, call: Node<'t>, callee: &str, env: &Env<'t>) -> Option<Tool> {
    let args = arguments(call);
    let name = resolve(&cx.scope, *args.first()?, env)?;
    let mut tool = Tool {
        name,
        description: None,
        parameters: Vec::new(),
        annotations: Annotations::default(),
        sdk: SDK_MCP_GO.to_string(),
        location: cx.location(call),
        handler: None,
    };
    if callee == "NewToolWithRawSchema" {
        tool.description = args.get(1).and_then(|d| resolve(&cx.scope, *d, env));
        return Some(tool);
    }
    for arg in args.iter().skip(1) {
        let Some(opt) = option(cx, *arg, env) else {
            continue;
        };
        let property_type = match opt.name {
            "WithString" => Some("string"),
            "WithNumber" => Some("number"),
            "WithInteger" => Some("integer"),
            "WithBoolean" => Some("boolean"),
            "WithArray" => Some("array"),
            "WithObject" => Some("object"),
            _ => None,
        };
        if let Some(ty) = property_type {
            if let Some(param) = property(cx, &opt, ty, env) {
                tool.parameters.push(param);
            }
            continue;
        }
        let annotations = &mut tool.annotations;
        match opt.name {
            "WithDescription" => tool.description = string_arg(cx, &opt, 0, env),
            "WithTitleAnnotation" => annotations.title = string_arg(cx, &opt, 0, env),
            "WithReadOnlyHintAnnotation" => annotations.read_only_hint = bool_arg(cx, &opt, env),
            "WithDestructiveHintAnnotation" => {
                annotations.destructive_hint = bool_arg(cx, &opt, env);
            }
            "WithIdempotentHintAnnotation" => {
                annotations.idempotent_hint = bool_arg(cx, &opt, env);
            }
            "WithOpenWorldHintAnnotation" => annotations.open_world_hint = bool_arg(cx, &opt, env),
            "WithToolAnnotation" => {
                if let Some(literal) = opt.args.first() {
                    *annotations = super::gosdk::annotations(cx, *literal, env);
                }
            }
            "WithInputSchema" => {
                if let Some(fields) = opt
                    .type_argument
                    .and_then(|t| cx.scope.struct_type(cx.scope.text_of(t)))
                {
                    tool.parameters.extend(struct_parameters(&cx.scope, fields));
                }
            }
            _ => {}
        }
    }
    Some(tool)
}

/// `WithString("name", mcp.Required(), mcp.Description("…"), …)`. Nested item schemas
/// (`WithStringItems(…)`) are not the property's own options.
fn property<'t>(cx: &Cx<'t>, opt: &OptionCall<'t>, ty: &str, env: &Env<'t>) -> Option<Parameter> {
    let mut param = Parameter {
        name: string_arg(cx, opt, 0, env)?,
        ty: Some(ty.to_string()),
        ..Parameter::default()
    };
    for arg in opt.args.iter().skip(1) {
        let Some(prop) = option(cx, *arg, env) else {
            continue;
        };
        match prop.name {
            "Required" => param.required = true,
            "Description" => param.description = string_arg(cx, &prop, 0, env),
            "Enum" => {
                param.enum_values = prop
                    .args
                    .iter()
                    .map(|a| {
                        resolve(&cx.scope, *a, env)
                            .unwrap_or_else(|| cx.scope.text_of(*a).to_string())
                    })
                    .collect();
            }
            "DefaultString" | "DefaultNumber" | "DefaultBool" | "DefaultArray" => {
                param.default = prop.args.first().map(|a| cx.scope.text_of(*a).to_string());
            }
            _ => {}
        }
    }
    Some(param)
}

/// `NewPrompt`.
pub(super) fn prompt<'t>(cx: &Cx<'t>, call: Node<'t>, env: &Env<'t>) -> Option<Prompt> {
    let args = arguments(call);
    let mut prompt = Prompt {
        name: resolve(&cx.scope, *args.first()?, env)?,
        description: None,
        arguments: Vec::new(),
        template: None,
        sdk: SDK_MCP_GO.to_string(),
        location: cx.location(call),
        handler: None,
    };
    for arg in args.iter().skip(1) {
        let Some(opt) = option(cx, *arg, env) else {
            continue;
        };
        match opt.name {
            "WithPromptDescription" => prompt.description = string_arg(cx, &opt, 0, env),
            "WithArgument" => {
                let Some(name) = string_arg(cx, &opt, 0, env) else {
                    continue;
                };
                let mut param = Parameter {
                    name,
                    ty: Some("string".to_string()),
                    ..Parameter::default()
                };
                for arg_opt in opt.args.iter().skip(1).filter_map(|a| option(cx, *a, env)) {
                    match arg_opt.name {
                        "ArgumentDescription" => {
                            param.description = string_arg(cx, &arg_opt, 0, env);
                        }
                        "RequiredArgument" => param.required = true,
                        _ => {}
                    }
                }
                prompt.arguments.push(param);
            }
            _ => {}
        }
    }
    Some(prompt)
}

/// `NewResource` / `NewResourceTemplate`.
pub(super) fn resource<'t>(cx: &Cx<'t>, call: Node<'t>, env: &Env<'t>) -> Option<Resource> {
    let args = arguments(call);
    let uri = resolve(&cx.scope, *args.first()?, env)?;
    let mut resource = Resource {
        name: args
            .get(1)
            .and_then(|n| resolve(&cx.scope, *n, env))
            .unwrap_or_else(|| uri.clone()),
        uri: Some(uri),
        description: None,
        mime_type: None,
        sdk: SDK_MCP_GO.to_string(),
        location: cx.location(call),
        handler: None,
    };
    for opt in args.iter().skip(2).filter_map(|a| option(cx, *a, env)) {
        match opt.name {
            "WithResourceDescription" | "WithTemplateDescription" => {
                resource.description = string_arg(cx, &opt, 0, env);
            }
            "WithMIMEType" | "WithTemplateMIMEType" => {
                resource.mime_type = string_arg(cx, &opt, 0, env);
            }
            _ => {}
        }
    }
    Some(resource)
}

/// `server.NewMCPServer(name, version, server.WithInstructions("…"), …)`.
pub(super) fn server_instructions<'t>(cx: &mut Cx<'t>, call: Node<'t>, env: &Env<'t>) {
    for arg in arguments(call).into_iter().skip(2) {
        if let Some(opt) = option(cx, arg, env)
            && opt.name == "WithInstructions"
            && let Some(value) = opt.args.first()
            && let Some(text) = resolve(&cx.scope, *value, env)
        {
            let location = cx.location(*value);
            cx.out.instructions.push(Instructions { text, location });
        }
    }
}
