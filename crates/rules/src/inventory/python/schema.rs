//! Parameters from a literal JSON schema (`inputSchema={"type": "object", "properties":
//! {…}, "required": […]}`) or from a model class of this file
//! (`inputSchema=Args.model_json_schema()`).

use assay_core::Parameter;
use tree_sitter::Node;

use super::params::model_parameters;
use super::scope::{Bound, Env, Scope, dict_pairs, elements, last_segment};
use super::strings::resolve;

/// The parameters an input-schema expression declares.
pub(super) fn schema_parameters<'t>(
    scope: &Scope<'t>,
    node: Node<'t>,
    env: &Env<'t>,
) -> Vec<Parameter> {
    let Bound::Node(node) = scope.deref(node, env) else {
        return Vec::new();
    };
    match node.kind() {
        "dictionary" => dict_schema(scope, node, env),
        "call" => model_schema(scope, node).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `Model.model_json_schema()` / `Model.schema()`.
fn model_schema<'t>(scope: &Scope<'t>, call: Node<'t>) -> Option<Vec<Parameter>> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" {
        return None;
    }
    let method = scope.text_of(function.child_by_field_name("attribute")?);
    if !matches!(method, "model_json_schema" | "schema") {
        return None;
    }
    let class_name = scope.text_of(function.child_by_field_name("object")?);
    let class = scope.class(last_segment(class_name))?;
    Some(model_parameters(scope, class))
}

fn dict_schema<'t>(scope: &Scope<'t>, schema: Node<'t>, env: &Env<'t>) -> Vec<Parameter> {
    let field = |name: &str| {
        dict_pairs(schema)
            .find_map(|(k, v)| (resolve(scope, k, env).as_deref() == Some(name)).then_some(v))
    };
    let required: Vec<String> = field("required")
        .map(|r| string_list(scope, r, env))
        .unwrap_or_default();
    let Some(Bound::Node(properties)) = field("properties").map(|p| scope.deref(p, env)) else {
        return Vec::new();
    };
    if properties.kind() != "dictionary" {
        return Vec::new();
    }
    dict_pairs(properties)
        .filter_map(|(key, value)| {
            let name = resolve(scope, key, env)?;
            let mut param = Parameter {
                required: required.contains(&name),
                name,
                ..Parameter::default()
            };
            if let Bound::Node(prop) = scope.deref(value, env)
                && prop.kind() == "dictionary"
            {
                for (k, v) in dict_pairs(prop) {
                    match resolve(scope, k, env).as_deref() {
                        Some("type") => param.ty = type_name(scope, v, env),
                        Some("description") => param.description = resolve(scope, v, env),
                        Some("enum") => param.enum_values = string_list(scope, v, env),
                        Some("default") => param.default = Some(scope.text_of(v).to_string()),
                        _ => {}
                    }
                }
            }
            Some(param)
        })
        .collect()
}

/// `"string"` or `["string", "null"]`.
fn type_name<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>) -> Option<String> {
    resolve(scope, node, env).or_else(|| {
        let names = string_list(scope, node, env);
        (!names.is_empty()).then(|| names.join(" | "))
    })
}

/// The items of a literal list, strings resolved and other literals as written.
pub(super) fn string_list<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>) -> Vec<String> {
    match scope.deref(node, env) {
        Bound::Node(list) if matches!(list.kind(), "list" | "tuple" | "set") => elements(list)
            .map(|e| resolve(scope, e, env).unwrap_or_else(|| scope.text_of(e).to_string()))
            .collect(),
        _ => Vec::new(),
    }
}
