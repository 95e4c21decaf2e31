//! Tool parameters from a Go struct type: exported fields named by their `json` tag
//! (`-` skipped; `omitempty`/`omitzero` → optional), described by the `jsonschema`
//! tag — the official SDK's whole-tag description (`jsonschema:"the path"`) or
//! invopop's `jsonschema:"required,description=…,enum=a,enum=b,default=x"` — or
//! `jsonschema_description` / `description` tags.

use assay_core::Parameter;
use tree_sitter::Node;

use super::scope::Scope;

/// Keys of invopop's `jsonschema:"key=value,…"` tag form.
const INVOPOP_KEYS: &[&str] = &[
    "description",
    "title",
    "enum",
    "default",
    "example",
    "examples",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "type",
    "const",
    "oneof_required",
    "anyof_required",
];

/// Bare flags of invopop's tag form.
const INVOPOP_FLAGS: &[&str] = &["required", "nullable", "uniqueItems", "-"];

/// The parameters a `struct_type` declares.
pub(super) fn struct_parameters<'t>(scope: &Scope<'t>, struct_type: Node<'t>) -> Vec<Parameter> {
    let mut out = Vec::new();
    let mut stack = vec![struct_type];
    let mut fields = Vec::new();
    while let Some(node) = stack.pop() {
        if node.kind() == "field_declaration" {
            fields.push(node);
            continue;
        }
        if node.kind() == "struct_type" && node != struct_type {
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    fields.sort_by_key(|f| f.start_byte());
    for field in fields {
        let tag = field
            .child_by_field_name("tag")
            .map(|t| tag_text(scope.text_of(t)))
            .unwrap_or_default();
        let ty = field.child_by_field_name("type");
        let mut cursor = field.walk();
        for name in field.children_by_field_name("name", &mut cursor) {
            let name = scope.text_of(name);
            if name.starts_with(|c: char| !c.is_ascii_uppercase()) {
                continue;
            }
            if let Some(param) = field_parameter(scope, name, ty, &tag) {
                out.push(param);
            }
        }
    }
    out
}

fn field_parameter<'t>(
    scope: &Scope<'t>,
    field: &str,
    ty: Option<Node<'t>>,
    tag: &str,
) -> Option<Parameter> {
    let name = json_name(field, tag)?;
    let optional = tag_value(tag, "json").is_some_and(|j| {
        j.split(',')
            .skip(1)
            .any(|o| matches!(o, "omitempty" | "omitzero"))
    });
    let mut param = Parameter {
        name,
        ty: ty.map(|t| json_type(scope, t)),
        required: !optional,
        ..Parameter::default()
    };
    if let Some(schema) = tag_value(tag, "jsonschema") {
        apply_schema_tag(&schema, &mut param);
    }
    for key in ["jsonschema_description", "description"] {
        if param.description.is_none() {
            param.description = tag_value(tag, key);
        }
    }
    Some(param)
}

fn apply_schema_tag(schema: &str, param: &mut Parameter) {
    let parts: Vec<&str> = schema.split(',').collect();
    let invopop = parts.iter().all(|p| {
        INVOPOP_FLAGS.contains(p)
            || p.split_once('=')
                .is_some_and(|(k, _)| INVOPOP_KEYS.contains(&k))
    });
    if !invopop {
        param.description = Some(schema.to_string()).filter(|d| !d.is_empty());
        return;
    }
    for part in parts {
        match part.split_once('=') {
            Some(("description", d)) => param.description = Some(d.to_string()),
            Some(("enum", v)) => param.enum_values.push(v.to_string()),
            Some(("default", v)) => param.default = Some(v.to_string()),
            None if part == "required" => param.required = true,
            _ => {}
        }
    }
}

/// The JSON name of struct field `field` whose tag content (see [`tag_text`]) is `tag`:
/// the `json` tag's name, the field name when the tag names none, `None` for `json:"-"`.
pub(crate) fn json_name(field: &str, tag: &str) -> Option<String> {
    let json = tag_value(tag, "json");
    match json
        .as_deref()
        .unwrap_or("")
        .split(',')
        .next()
        .unwrap_or("")
    {
        "-" if json.as_deref() == Some("-") => None,
        "" => Some(field.to_string()),
        n => Some(n.to_string()),
    }
}

/// A tag literal's content: a raw string as is, an interpreted string unescaped.
pub(crate) fn tag_text(literal: &str) -> String {
    if let Some(raw) = literal.strip_prefix('`').and_then(|l| l.strip_suffix('`')) {
        return raw.to_string();
    }
    literal
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or(literal)
        .replace("\\\"", "\"")
}

/// The value of `key:"…"` in a struct tag.
fn tag_value(tag: &str, key: &str) -> Option<String> {
    let mut rest = tag;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let colon = rest.find(':')?;
        let k = &rest[..colon];
        let after = rest[colon + 1..].strip_prefix('"')?;
        let end = after.find('"')?;
        if k == key {
            return Some(after[..end].to_string());
        }
        rest = &after[end + 1..];
    }
    None
}

/// The JSON-schema name of a Go type, or the type as written.
pub(super) fn json_type<'t>(scope: &Scope<'t>, ty: Node<'t>) -> String {
    match ty.kind() {
        "pointer_type" => ty
            .named_child(0)
            .map_or_else(|| scope.text_of(ty).to_string(), |t| json_type(scope, t)),
        "slice_type" | "array_type" => "array".to_string(),
        "map_type" => "object".to_string(),
        _ => match scope.text_of(ty) {
            "string" => "string",
            "bool" => "boolean",
            "int" | "int8" | "int16" | "int32" | "int64" | "uint" | "uint8" | "uint16"
            | "uint32" | "uint64" | "byte" | "rune" => "integer",
            "float32" | "float64" => "number",
            other => other,
        }
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_struct_tags() {
        let tag = r#"json:"units,omitempty" jsonschema:"description=Units,enum=c,enum=f""#;
        assert_eq!(tag_value(tag, "json").as_deref(), Some("units,omitempty"));
        assert_eq!(
            tag_value(tag, "jsonschema").as_deref(),
            Some("description=Units,enum=c,enum=f")
        );
        assert_eq!(tag_value(tag, "yaml"), None);
        let mut p = Parameter::default();
        apply_schema_tag("the path, relative to the root", &mut p);
        assert_eq!(
            p.description.as_deref(),
            Some("the path, relative to the root")
        );
        let mut p = Parameter::default();
        apply_schema_tag("required,description=City,enum=a,enum=b,default=a", &mut p);
        assert!(p.required);
        assert_eq!(p.enum_values, ["a", "b"]);
        assert_eq!(p.default.as_deref(), Some("a"));
    }
}
