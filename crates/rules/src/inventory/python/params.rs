//! Tool parameters from Python signatures: annotations mapped to JSON-schema type names,
//! `Optional`/`X | None`, `Literal[…]` enums, `Annotated[T, Field(description=…)]`,
//! `x: T = Field(…)` defaults, docstring `Args:` descriptions. Injected `Context`
//! parameters, `self`/`cls` and `*args`/`**kwargs` are not part of the schema.

use std::collections::HashMap;

use assay_core::Parameter;
use tree_sitter::Node;

use super::docstring::{docstring, parameter_docs};
use super::scope::{
    Env, Scope, class_fields, elements, keyword_argument, last_segment, positional_arguments,
};
use super::strings::resolve;

/// The schema parameters of a `function_definition`.
pub(super) fn function_parameters<'t>(scope: &Scope<'t>, function: Node<'t>) -> Vec<Parameter> {
    let docs = docstring(scope, function)
        .map(|d| parameter_docs(&d))
        .unwrap_or_default();
    let Some(params) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = params.walk();
    for (index, param) in params.named_children(&mut cursor).enumerate() {
        let (name, annotation, default) = match param.kind() {
            "identifier" => (Some(param), None, None),
            "typed_parameter" => (
                param.named_child(0).filter(|n| n.kind() == "identifier"),
                param.child_by_field_name("type"),
                None,
            ),
            "default_parameter" | "typed_default_parameter" => (
                param.child_by_field_name("name"),
                param.child_by_field_name("type"),
                param.child_by_field_name("value"),
            ),
            _ => continue,
        };
        let Some(name) = name.map(|n| scope.text_of(n)) else {
            continue;
        };
        if index == 0 && matches!(name, "self" | "cls") {
            continue;
        }
        if let Some(p) = parameter(scope, name, annotation, default, &docs) {
            out.push(p);
        }
    }
    out
}

/// The fields of a model class declared in this file (`Model.model_json_schema()`).
pub(super) fn model_parameters<'t>(scope: &Scope<'t>, class: Node<'t>) -> Vec<Parameter> {
    let docs = docstring(scope, class)
        .map(|d| parameter_docs(&d))
        .unwrap_or_default();
    class_fields(class, scope.text)
        .filter(|(name, _)| !name.starts_with('_') && *name != "model_config")
        .filter_map(|(name, assign)| {
            parameter(
                scope,
                name,
                assign.child_by_field_name("type"),
                assign.child_by_field_name("right"),
                &docs,
            )
        })
        .collect()
}

/// One parameter, or `None` when it is an injected context.
fn parameter<'t>(
    scope: &Scope<'t>,
    name: &str,
    annotation: Option<Node<'t>>,
    default: Option<Node<'t>>,
    docs: &HashMap<String, String>,
) -> Option<Parameter> {
    let info = annotation.map(|a| type_info(scope, a)).unwrap_or_default();
    if info.injected {
        return None;
    }
    let mut param = Parameter {
        name: name.to_string(),
        ty: info.ty,
        description: info.description,
        required: default.is_none(),
        default: None,
        enum_values: info.enum_values,
    };
    if let Some(default) = default {
        match field_call(scope, default) {
            Some(args) => apply_field(scope, args, &mut param),
            None => param.default = Some(scope.text_of(default).to_string()),
        }
    }
    if param.description.is_none() {
        param.description = docs.get(name).cloned();
    }
    Some(param)
}

/// The `argument_list` of a pydantic `Field(…)` call.
fn field_call<'t>(scope: &Scope<'t>, node: Node<'t>) -> Option<Node<'t>> {
    if node.kind() != "call" {
        return None;
    }
    let function = node.child_by_field_name("function")?;
    (last_segment(scope.text_of(function)) == "Field")
        .then(|| node.child_by_field_name("arguments"))
        .flatten()
}

/// `Field(default, description=…, default_factory=…)`: a Field without a default is
/// required; `...` as default means required too.
fn apply_field<'t>(scope: &Scope<'t>, args: Node<'t>, param: &mut Parameter) {
    if let Some(desc) = keyword_argument(args, "description", scope.text)
        .and_then(|d| resolve(scope, d, &Env::default()))
    {
        param.description = Some(desc);
    }
    let default =
        keyword_argument(args, "default", scope.text).or_else(|| positional_arguments(args).next());
    match default {
        Some(d) if d.kind() == "ellipsis" => param.required = true,
        Some(d) => {
            param.required = false;
            param.default = Some(scope.text_of(d).to_string());
        }
        None => {
            param.required = keyword_argument(args, "default_factory", scope.text).is_none();
        }
    }
}

/// What an annotation says about a parameter.
#[derive(Debug, Default)]
struct TypeInfo {
    ty: Option<String>,
    description: Option<String>,
    enum_values: Vec<String>,
    /// The parameter is a framework-injected `Context`.
    injected: bool,
}

fn type_info<'t>(scope: &Scope<'t>, annotation: Node<'t>) -> TypeInfo {
    let mut info = TypeInfo::default();
    describe_type(scope, annotation, &mut info, 0);
    info
}

/// Fills `info` from a type expression.
fn describe_type<'t>(scope: &Scope<'t>, node: Node<'t>, info: &mut TypeInfo, depth: usize) {
    if depth > 8 {
        info.ty = Some(scope.text_of(node).to_string());
        return;
    }
    match node.kind() {
        "type" => match node.named_child(0) {
            Some(inner) => describe_type(scope, inner, info, depth + 1),
            None => info.ty = Some(scope.text_of(node).to_string()),
        },
        "identifier" | "attribute" => {
            let name = last_segment(scope.text_of(node));
            info.injected |= name.ends_with("Context");
            info.ty = Some(json_type(name).unwrap_or(scope.text_of(node)).to_string());
        }
        "generic_type" | "subscript" => generic(scope, node, info, depth),
        "binary_operator" => {
            let members = union_members(scope, node);
            match members.as_slice() {
                [single] => describe_type(scope, *single, info, depth + 1),
                _ => info.ty = Some(scope.text_of(node).to_string()),
            }
        }
        "none" => info.ty = Some("null".to_string()),
        _ => info.ty = Some(scope.text_of(node).to_string()),
    }
}

/// `Base[args]`.
fn generic<'t>(scope: &Scope<'t>, node: Node<'t>, info: &mut TypeInfo, depth: usize) {
    let (base, args) = generic_parts(node);
    let Some(base) = base else {
        info.ty = Some(scope.text_of(node).to_string());
        return;
    };
    let base_name = last_segment(scope.text_of(base));
    let args: Vec<Node<'t>> = args.map(|a| unwrap_type(a)).collect();
    match base_name {
        "Optional" if args.len() == 1 => describe_type(scope, args[0], info, depth + 1),
        "Union" => {
            let members: Vec<_> = args
                .iter()
                .copied()
                .filter(|a| a.kind() != "none")
                .collect();
            match members.as_slice() {
                [single] => describe_type(scope, *single, info, depth + 1),
                _ => info.ty = Some(scope.text_of(node).to_string()),
            }
        }
        "Annotated" => {
            if let Some(first) = args.first() {
                describe_type(scope, *first, info, depth + 1);
            }
            for meta in args.iter().skip(1) {
                if let Some(field) = field_call(scope, *meta) {
                    if let Some(desc) = keyword_argument(field, "description", scope.text)
                        .and_then(|d| resolve(scope, d, &Env::default()))
                    {
                        info.description = Some(desc);
                    }
                } else if let Some(desc) = resolve(scope, *meta, &Env::default()) {
                    info.description = Some(desc);
                }
            }
        }
        "Literal" => {
            let mut kinds = Vec::new();
            for arg in &args {
                let value = resolve(scope, *arg, &Env::default())
                    .unwrap_or_else(|| scope.text_of(*arg).to_string());
                kinds.push(literal_kind(arg.kind()));
                info.enum_values.push(value);
            }
            kinds.dedup();
            info.ty = match kinds.as_slice() {
                [Some(kind)] => Some((*kind).to_string()),
                _ => Some(scope.text_of(node).to_string()),
            };
        }
        _ => {
            info.injected |= base_name.ends_with("Context");
            info.ty = Some(
                json_type(base_name)
                    .map_or_else(|| scope.text_of(node).to_string(), str::to_string),
            );
        }
    }
}

/// The base and type arguments of `generic_type` (`list[str]`) or `subscript`.
fn generic_parts<'t>(node: Node<'t>) -> (Option<Node<'t>>, impl Iterator<Item = Node<'t>>) {
    let mut base = None;
    let mut args = Vec::new();
    if node.kind() == "subscript" {
        base = node.child_by_field_name("value");
        let mut cursor = node.walk();
        args.extend(node.children_by_field_name("subscript", &mut cursor));
    } else {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "type_parameter" => args.extend(elements(child)),
                _ if base.is_none() => base = Some(child),
                _ => {}
            }
        }
    }
    // `Literal["a", "b"]` written as a subscript holds one tuple.
    if args.len() == 1 && args[0].kind() == "tuple" {
        args = elements(args[0]).collect();
    }
    (base, args.into_iter())
}

/// `type` wrappers hold the real expression.
fn unwrap_type(node: Node<'_>) -> Node<'_> {
    if node.kind() == "type" {
        node.named_child(0).unwrap_or(node)
    } else {
        node
    }
}

/// The non-`None` members of an `A | B | None` union.
fn union_members<'t>(scope: &Scope<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let is_union = n.kind() == "binary_operator"
            && n.child_by_field_name("operator")
                .is_some_and(|o| scope.text_of(o) == "|");
        if is_union {
            stack.extend(n.child_by_field_name("right"));
            stack.extend(n.child_by_field_name("left"));
        } else if n.kind() != "none" {
            out.push(unwrap_type(n));
        }
    }
    out
}

/// JSON-schema type of a builtin or `typing` name.
fn json_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "str" => "string",
        "int" => "integer",
        "float" | "Decimal" => "number",
        "bool" => "boolean",
        "list" | "List" | "tuple" | "Tuple" | "set" | "Set" | "frozenset" | "Sequence" => "array",
        "dict" | "Dict" | "Mapping" => "object",
        _ => return None,
    })
}

/// JSON-schema type of a literal node kind.
fn literal_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "string" | "concatenated_string" => Some("string"),
        "integer" => Some("integer"),
        "float" => Some("number"),
        "true" | "false" => Some("boolean"),
        _ => None,
    }
}
