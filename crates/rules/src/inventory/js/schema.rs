//! Input schemas and annotations: zod shapes (`{ path: z.string().describe("…") }`),
//! `z.object({…})` and `zodToJsonSchema(Schema)` wrappers, plain JSON Schema objects,
//! FastMCP argument lists, and `ToolAnnotations` objects.
//!
//! Zod is recognised by its method names, not by the name it is imported under, so
//! compiled (`zod_1.z.string()`, `(0, zod_1.z).string()`, `import_zod.z.string()`) and
//! minified (`o.string()`) code read the same as the source.

use assay_core::{Annotations, Parameter};

use super::eval::{Element, Eval, Expr};
use super::syntax::{arguments, call_method, field};

/// Most nested schema wrappers followed (`zodToJsonSchema(A.extend(B.shape))`, …).
const MAX_DEPTH: u32 = 12;

/// Zod (and zod-like: valibot, typebox) constructors and the type they declare.
fn constructor_type(method: &str) -> Option<&'static str> {
    Some(match method {
        "string" | "email" | "url" | "uuid" | "cuid" | "ulid" | "ipv4" | "ipv6" | "base64"
        | "datetime" | "iso" | "String" => "string",
        "number" | "Number" | "float32" | "float64" => "number",
        "int" | "int32" | "bigint" | "Integer" => "integer",
        "boolean" | "Boolean" => "boolean",
        "array" | "tuple" | "set" | "Array" | "Tuple" => "array",
        "object" | "strictObject" | "looseObject" | "record" | "map" | "Object" | "Record" => {
            "object"
        }
        "enum" | "nativeEnum" | "Enum" | "picklist" => "enum",
        "literal" | "Literal" => "literal",
        "union" | "discriminatedUnion" | "Union" => "union",
        "any" | "unknown" | "Any" | "Unknown" => "any",
        "date" | "Date" => "date",
        "null" | "Null" => "null",
        _ => return None,
    })
}

/// The parameters declared by a schema expression: a zod raw shape, `z.object(shape)`
/// (with `.extend`/`.merge`), `X.shape`, a JSON Schema object, or a call converting one
/// of those (`zodToJsonSchema(X)`, `z.toJSONSchema(X)`).
pub(super) fn parameters<'a>(eval: &Eval<'a>, schema: &Expr<'a>) -> Vec<Parameter> {
    let mut out = Vec::new();
    collect_parameters(eval, schema, 0, &mut out);
    out
}

/// The [`parameters`] of the schema in property `key` of `object` (none without it).
pub(super) fn property_parameters<'a>(
    eval: &Eval<'a>,
    object: &Expr<'a>,
    key: &str,
) -> Vec<Parameter> {
    eval.property(object, key)
        .map(|s| parameters(eval, &s))
        .unwrap_or_default()
}

fn collect_parameters<'a>(
    eval: &Eval<'a>,
    schema: &Expr<'a>,
    depth: u32,
    out: &mut Vec<Parameter>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = eval.resolve(schema);
    let node = schema.node;
    match node.kind() {
        "object" => {
            if is_json_schema(eval, &schema) {
                json_schema_parameters(eval, &schema, out);
            } else {
                for (name, value) in eval.properties(&schema) {
                    push_parameter(out, zod_parameter(eval, name, &value));
                }
            }
        }
        "member_expression" => {
            let property = field(node, "property").map(|p| eval.src(p));
            if let (Some("shape"), Some(object)) = (property, field(node, "object")) {
                collect_parameters(eval, &schema.with(object), depth + 1, out);
            }
        }
        "call_expression" => {
            let args = arguments(node);
            match call_method(node, eval.text) {
                Some("extend" | "merge" | "augment" | "safeExtend") => {
                    if let Some(object) = field(node, "function").and_then(|f| field(f, "object")) {
                        collect_parameters(eval, &schema.with(object), depth + 1, out);
                    }
                    if let Some(&extra) = args.first() {
                        collect_parameters(eval, &schema.with(extra), depth + 1, out);
                    }
                }
                Some("object" | "strictObject" | "looseObject" | "Object") => {
                    if let Some(&shape) = args.first() {
                        collect_parameters(eval, &schema.with(shape), depth + 1, out);
                    }
                }
                Some(
                    "strict" | "passthrough" | "strip" | "describe" | "meta" | "optional"
                    | "nullable" | "default" | "catchall" | "readonly",
                ) => {
                    if let Some(object) = field(node, "function").and_then(|f| field(f, "object")) {
                        collect_parameters(eval, &schema.with(object), depth + 1, out);
                    }
                }
                _ => {
                    // A converter such as `zodToJsonSchema(Schema, …)`: read its input.
                    if let Some(&input) = args.first() {
                        let input = eval.resolve(&schema.with(input));
                        if matches!(
                            input.node.kind(),
                            "object" | "call_expression" | "member_expression"
                        ) {
                            collect_parameters(eval, &input, depth + 1, out);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Adds `param`, replacing an earlier one of the same name (`.extend` overrides).
fn push_parameter(out: &mut Vec<Parameter>, param: Parameter) {
    match out.iter_mut().find(|p| p.name == param.name) {
        Some(slot) => *slot = param,
        None => out.push(param),
    }
}

/// True when `object` is a JSON Schema (`{ type: "object", properties: {…} }`).
fn is_json_schema<'a>(eval: &Eval<'a>, object: &Expr<'a>) -> bool {
    let props = eval.properties(object);
    let has = |key: &str| props.iter().any(|(k, _)| k == key);
    let typed_object = props
        .iter()
        .find(|(k, _)| k == "type")
        .and_then(|(_, v)| eval.string(v))
        .is_some_and(|t| t == "object");
    (typed_object || has("$schema"))
        || (has("properties")
            && props
                .iter()
                .find(|(k, _)| k == "properties")
                .is_some_and(|(_, v)| eval.resolve(v).node.kind() == "object"))
}

fn json_schema_parameters<'a>(eval: &Eval<'a>, schema: &Expr<'a>, out: &mut Vec<Parameter>) {
    let required: Vec<String> = eval
        .property(schema, "required")
        .map(|r| strings(eval, &r))
        .unwrap_or_default();
    let Some(properties) = eval.property(schema, "properties") else {
        return;
    };
    for (name, value) in eval.properties(&properties) {
        let ty = eval.property(&value, "type").and_then(|t| {
            eval.string(&t).or_else(|| {
                let all = strings(eval, &t);
                (!all.is_empty()).then(|| all.join("|"))
            })
        });
        let enum_values = eval
            .property(&value, "enum")
            .map(|e| literal_values(eval, &e))
            .unwrap_or_default();
        push_parameter(
            out,
            Parameter {
                required: required.contains(&name),
                name,
                ty,
                description: eval.property_text(&value, "description"),
                default: eval
                    .property(&value, "default")
                    .map(|d| eval.src(d.node).to_string()),
                enum_values,
            },
        );
    }
}

/// The fully known strings of an array expression.
fn strings<'a>(eval: &Eval<'a>, array: &Expr<'a>) -> Vec<String> {
    eval.elements(array)
        .iter()
        .filter_map(|e| match e {
            Element::Value(v) => eval.string(v),
            Element::Entry(..) => None,
        })
        .collect()
}

/// The values of a literal array: strings decoded, anything else as source text.
fn literal_values<'a>(eval: &Eval<'a>, array: &Expr<'a>) -> Vec<String> {
    eval.elements(array)
        .iter()
        .filter_map(|e| match e {
            Element::Value(v) => Some(
                eval.string(v)
                    .unwrap_or_else(|| eval.src(eval.resolve(v).node).to_string()),
            ),
            Element::Entry(..) => None,
        })
        .collect()
}

/// One parameter from a zod chain such as
/// `z.number().int().optional().default(3).describe("…")`, read from the outside in.
fn zod_parameter<'a>(eval: &Eval<'a>, name: String, value: &Expr<'a>) -> Parameter {
    let mut param = Parameter {
        name,
        required: true,
        ..Parameter::default()
    };
    let mut integer = false;
    let mut wrapped_in_array = false;
    let mut current = value.clone();
    for _ in 0..64 {
        current = eval.resolve(&current);
        let node = current.node;
        if node.kind() != "call_expression" {
            break;
        }
        let (Some(method), Some(callee)) = (call_method(node, eval.text), field(node, "function"))
        else {
            break;
        };
        let Some(object) = field(callee, "object") else {
            break;
        };
        let args = arguments(node);
        let receiver = eval.resolve(&current.with(object));
        // A method called on another schema (`z.string().optional()`), as opposed to a
        // constructor called on the zod namespace (`z.string()`, `require("zod").string()`).
        let on_schema = receiver.node.kind() == "call_expression"
            && call_method(receiver.node, eval.text).is_some();
        match method {
            "optional" | "nullish" | "exactOptional" => param.required = false,
            "default" | "prefault" => {
                param.required = false;
                if param.default.is_none() {
                    param.default = args.first().map(|d| eval.src(*d).to_string());
                }
            }
            "describe" | "description" if param.description.is_none() => {
                param.description = args
                    .first()
                    .map(|d| eval.text_or_placeholder(&current.with(*d)));
            }
            "meta" if param.description.is_none() => {
                param.description = args
                    .first()
                    .and_then(|m| eval.property(&current.with(*m), "description"))
                    .map(|d| eval.text_or_placeholder(&d));
            }
            "int" | "safe" if on_schema => integer = true,
            "array" if on_schema => wrapped_in_array = true,
            _ => {}
        }
        if on_schema {
            current = receiver;
            continue;
        }
        // The chain's base: a constructor such as `z.string()`, or a function-form
        // wrapper such as `z.optional(inner)`.
        match method {
            "optional" | "nullable" | "nullish" => {
                if let Some(&inner) = args.first() {
                    current = current.with(inner);
                    continue;
                }
            }
            "enum" | "picklist" => {
                if let Some(&values) = args.first() {
                    let values = current.with(values);
                    param.enum_values = match eval.resolve(&values).node.kind() {
                        "object" => eval
                            .properties(&values)
                            .iter()
                            .map(|(_, v)| {
                                eval.string(v)
                                    .unwrap_or_else(|| eval.src(v.node).to_string())
                            })
                            .collect(),
                        _ => literal_values(eval, &values),
                    };
                }
            }
            "literal" => {
                if let Some(&literal) = args.first() {
                    let literal = current.with(literal);
                    param.enum_values = vec![
                        eval.string(&literal)
                            .unwrap_or_else(|| eval.src(literal.node).to_string()),
                    ];
                }
            }
            _ => {}
        }
        let base = constructor_type(method);
        param.ty = match base {
            _ if wrapped_in_array => Some("array"),
            Some("number") if integer => Some("integer"),
            Some("literal") => Some(literal_type(eval, &current, &args)),
            other => other,
        }
        .map(str::to_string);
        break;
    }
    param
}

/// The JSON type of `z.literal(value)`.
fn literal_type<'a>(
    eval: &Eval<'a>,
    call: &Expr<'a>,
    args: &[tree_sitter::Node<'a>],
) -> &'static str {
    let Some(&value) = args.first() else {
        return "literal";
    };
    match eval.resolve(&call.with(value)).node.kind() {
        "string" | "template_string" => "string",
        "number" => "number",
        "true" | "false" => "boolean",
        _ => "literal",
    }
}

/// FastMCP prompt arguments: `[{ name, description, required, enum }]`. FastMCP
/// arguments are optional unless `required: true`.
pub(super) fn argument_list<'a>(eval: &Eval<'a>, list: &Expr<'a>) -> Vec<Parameter> {
    let mut out = Vec::new();
    for element in eval.elements(list) {
        let Element::Value(arg) = element else {
            continue;
        };
        let Some(name) = eval.property(&arg, "name").and_then(|n| eval.string(&n)) else {
            continue;
        };
        push_parameter(
            &mut out,
            Parameter {
                name,
                ty: eval.property(&arg, "type").and_then(|t| eval.string(&t)),
                description: eval.property_text(&arg, "description"),
                required: eval
                    .property(&arg, "required")
                    .and_then(|r| eval.boolean(&r))
                    .unwrap_or(false),
                default: None,
                enum_values: eval
                    .property(&arg, "enum")
                    .map(|e| literal_values(eval, &e))
                    .unwrap_or_default(),
            },
        );
    }
    out
}

/// Names of the `ToolAnnotations` fields.
const ANNOTATION_KEYS: &[&str] = &[
    "title",
    "readOnlyHint",
    "destructiveHint",
    "idempotentHint",
    "openWorldHint",
];

/// True when `object` is a `ToolAnnotations` literal rather than a zod shape: every
/// property is an annotation field with a literal value (the SDK's own test is "not a
/// zod raw shape").
pub(super) fn is_annotations<'a>(eval: &Eval<'a>, object: &Expr<'a>) -> bool {
    let props = eval.properties(object);
    !props.is_empty()
        && props.iter().all(|(key, value)| {
            ANNOTATION_KEYS.contains(&key.as_str())
                && (eval.boolean(value).is_some() || eval.is_text(value))
        })
}

/// The annotations of a tool definition object (`{ title, annotations, … }`): the hints
/// of its `annotations`, the title falling back to the definition's own `title`.
pub(super) fn tool_annotations<'a>(eval: &Eval<'a>, definition: &Expr<'a>) -> Annotations {
    let mut hints = eval
        .property(definition, "annotations")
        .map(|a| annotations(eval, &a))
        .unwrap_or_default();
    if hints.title.is_none() {
        hints.title = eval.property_text(definition, "title");
    }
    hints
}

/// The hints of an annotations object.
pub(super) fn annotations<'a>(eval: &Eval<'a>, object: &Expr<'a>) -> Annotations {
    let hint = |key: &str| eval.property(object, key).and_then(|v| eval.boolean(&v));
    Annotations {
        title: eval.property_text(object, "title"),
        read_only_hint: hint("readOnlyHint"),
        destructive_hint: hint("destructiveHint"),
        idempotent_hint: hint("idempotentHint"),
        open_world_hint: hint("openWorldHint"),
    }
}
