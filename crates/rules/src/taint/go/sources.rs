//! Where taint starts: MCP arguments (mcp-go `req.RequireString("p")`,
//! `req.GetString("p", d)`, `req.GetArguments()["p"]`, `req.Params.Arguments["p"]`,
//! `req.BindArguments(&args)`; the official SDK's typed `args Input` fields), parameters
//! of summarised functions, and untrusted remote data (HTTP response bodies and headers,
//! OAuth metadata fields).

use std::rc::Rc;

use assay_core::{FlowStep, Parameter};
use tree_sitter::Node;

use super::interp::{Frame, Interp};
use super::value::{ArgsBase, ArgsKind, ArgsObject, Label, Origin, Shape, Value};
use crate::taint::SourceKind;

/// Getters of mcp-go requests that return strings (or string slices) by argument name.
const STRING_GETTERS: &[&str] = &[
    "RequireString",
    "GetString",
    "RequireStringSlice",
    "GetStringSlice",
];

/// Getters of mcp-go requests that return numbers or booleans (safe to interpolate).
const SCALAR_GETTERS: &[&str] = &[
    "RequireInt",
    "GetInt",
    "RequireFloat",
    "GetFloat",
    "RequireBool",
    "GetBool",
    "RequireIntSlice",
    "GetIntSlice",
    "RequireFloatSlice",
    "GetFloatSlice",
    "RequireBoolSlice",
    "GetBoolSlice",
];

/// Fields of OAuth / authorization-server metadata (RFC 8414, RFC 9728) in Go naming.
const OAUTH_FIELDS: &[(&str, &str)] = &[
    ("AuthorizationEndpoint", "authorization_endpoint"),
    ("TokenEndpoint", "token_endpoint"),
    ("RegistrationEndpoint", "registration_endpoint"),
    ("RevocationEndpoint", "revocation_endpoint"),
    ("IntrospectionEndpoint", "introspection_endpoint"),
    ("UserinfoEndpoint", "userinfo_endpoint"),
    ("JwksURI", "jwks_uri"),
    ("Issuer", "issuer"),
    ("AuthorizationServers", "authorization_servers"),
    ("ResourceMetadata", "resource_metadata"),
];

/// A remote-data value at `node`, remote data of kind `what` read by the field `field`.
pub(super) fn relabel_metadata_field(value: Value, field: &str) -> Value {
    let Some((_, name)) = OAUTH_FIELDS.iter().find(|(go, _)| *go == field) else {
        return value;
    };
    value.map_labels(|l| {
        if l.is_remote() {
            l.origin = Origin::Source(SourceKind::RemoteData {
                what: format!("OAuth metadata `{name}`"),
            });
        }
    })
}

/// Numeric and boolean Go types (and JSON-schema names): values that cannot inject.
pub(super) fn is_scalar_type(ty: &str) -> bool {
    let ty = ty.trim_start_matches('*');
    matches!(
        ty,
        "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
            | "bool"
            | "integer"
            | "number"
            | "boolean"
            | "time.Duration"
            | "[]int"
            | "[]bool"
            | "[]float64"
    )
}

impl<'t> Interp<'t, '_> {
    /// A fresh remote-data value read at `node`.
    pub(super) fn remote(&self, node: Node<'t>, what: &str) -> Value {
        let step = FlowStep {
            location: self.ix.location(node),
            message: format!("untrusted remote data: {what}"),
        };
        Value::tainted(vec![Label::new(
            Origin::Source(SourceKind::RemoteData {
                what: what.to_string(),
            }),
            None,
            step,
        )])
    }

    /// Reads argument `name` from an arguments object at `node`.
    pub(super) fn args_read(&self, object: &ArgsObject, name: &str, node: Node<'t>) -> Value {
        let location = self.ix.location(node);
        match &object.base {
            ArgsBase::Tool { tool, params } => {
                if params
                    .iter()
                    .any(|p| p.name == name && p.ty.as_deref().is_some_and(is_scalar_type))
                {
                    return Value::default();
                }
                let step = FlowStep {
                    location,
                    message: format!("tool parameter `{name}`"),
                };
                Value::tainted(vec![Label::new(
                    Origin::Source(SourceKind::ToolParameter {
                        tool: tool.clone(),
                        param: name.to_string(),
                    }),
                    tool.clone(),
                    step,
                )])
            }
            ArgsBase::Param(index) => {
                let mut steps = object.steps.clone();
                let first = if steps.is_empty() {
                    FlowStep {
                        location: location.clone(),
                        message: format!("parameter {index}"),
                    }
                } else {
                    steps.remove(0)
                };
                let mut label = Label::new(
                    Origin::Param {
                        index: *index,
                        field: Some(name.to_string()),
                    },
                    None,
                    first,
                );
                label.steps.extend(steps);
                label.push_step(location, format!("argument `{name}`"));
                Value::tainted(vec![label])
            }
        }
    }

    /// `object.field`.
    pub(super) fn args_select(
        &self,
        object: &Rc<ArgsObject>,
        field: &str,
        node: Node<'t>,
    ) -> Value {
        match &object.kind {
            ArgsKind::Request => match field {
                "Params" => Value::shaped(Shape::Args(Rc::clone(object))),
                "Arguments" => args_value(object, ArgsKind::Map),
                "URI" => self.args_read(object, "uri", node),
                _ => Value::default(),
            },
            ArgsKind::Map => Value::default(),
            ArgsKind::Typed(ty) => {
                let declared = ty.as_deref().and_then(|t| self.ix.struct_fields(t));
                match declared {
                    Some(fields) => match fields.get(field) {
                        Some(f) if f.ty.is_some_and(|t| is_scalar_type(self.ix.text_of(t))) => {
                            Value::default()
                        }
                        Some(f) => self.args_read(object, &f.json.clone(), node),
                        None => Value::default(),
                    },
                    None => {
                        let name = self.param_name_for_field(object, field);
                        self.args_read(object, &name, node)
                    }
                }
            }
        }
    }

    /// The parameter a Go field of an argument struct declared elsewhere stands for: the
    /// declared tool parameter with that name in any case, else the field name.
    fn param_name_for_field(&self, object: &ArgsObject, field: &str) -> String {
        if let ArgsBase::Tool { params, .. } = &object.base
            && let Some(p) = params.iter().find(|p| {
                p.name.eq_ignore_ascii_case(field)
                    || p.name.replace('_', "").eq_ignore_ascii_case(field)
            })
        {
            return p.name.clone();
        }
        field.to_string()
    }

    /// A method of an arguments object: mcp-go getters. `None` when `name` is not one.
    pub(super) fn args_method(
        &mut self,
        f: &mut Frame<'t>,
        object: &Rc<ArgsObject>,
        name: &str,
        call: Node<'t>,
        args: &[Node<'t>],
    ) -> Option<Value> {
        if object.kind != ArgsKind::Request {
            return None;
        }
        if STRING_GETTERS.contains(&name) {
            let key = args
                .first()
                .and_then(|k| super::stdlib::literal_text(self.ix, *k))?;
            return Some(self.args_read(object, &key, call));
        }
        if SCALAR_GETTERS.contains(&name) {
            return Some(Value::default());
        }
        match name {
            "GetArguments" | "GetRawArguments" => Some(args_value(object, ArgsKind::Map)),
            "BindArguments" => {
                if let Some(target) = args.first().and_then(|a| super::expr::root_identifier(*a)) {
                    let target_name = self.ix.text_of(target);
                    let ty = f.env.types.get(target_name).copied().map(str::to_string);
                    let value = args_value(object, ArgsKind::Typed(ty.map(base_type)));
                    f.env.vars.insert(target_name, value);
                }
                Some(Value::default())
            }
            _ => None,
        }
    }

    /// Binds the parameters of the function being summarised: strings and other values
    /// that can carry text get a parameter label; MCP requests, argument structs and maps
    /// become argument objects whose reads are parameter fields.
    pub(super) fn seed_parameters(&self, f: &mut Frame<'t>) {
        for (index, name, ty) in self.parameters(f.function) {
            let location = self.ix.location(name);
            let step = FlowStep {
                location,
                message: format!("parameter `{}` of `{}`", self.ix.text_of(name), f.name),
            };
            let value = match self.classify_type(ty) {
                TypeClass::Request => Some(Value::shaped(Shape::Args(Rc::new(ArgsObject {
                    base: ArgsBase::Param(index),
                    kind: ArgsKind::Request,
                    steps: vec![step],
                })))),
                TypeClass::Struct(name) => Some(Value::shaped(Shape::Args(Rc::new(ArgsObject {
                    base: ArgsBase::Param(index),
                    kind: ArgsKind::Typed(Some(name)),
                    steps: vec![step],
                })))),
                TypeClass::Text => Some(Value::tainted(vec![Label::new(
                    Origin::Param { index, field: None },
                    None,
                    step,
                )])),
                TypeClass::Response => Some(Value::shaped(Shape::HttpResponse)),
                TypeClass::Opaque => None,
            };
            if let Some(value) = value {
                f.env.vars.insert(self.ix.text_of(name), value);
            }
        }
    }

    /// Binds the parameters of a handler of `tool`: the MCP request and a typed argument
    /// struct (or map) become argument objects whose reads are tool parameters.
    pub(super) fn seed_handler(&self, f: &mut Frame<'t>, tool: Option<&str>, params: &[Parameter]) {
        let base = ArgsBase::Tool {
            tool: tool.map(str::to_string),
            params: Rc::new(params.to_vec()),
        };
        let parameters = self.parameters(f.function);
        let has_request = parameters
            .iter()
            .any(|(_, _, ty)| self.classify_type(*ty) == TypeClass::Request);
        for (position, (_, name, ty)) in parameters.iter().enumerate() {
            let kind = match self.classify_type(*ty) {
                TypeClass::Request => ArgsKind::Request,
                // The typed input comes after the request (`ctx, req, args`).
                TypeClass::Struct(name) if has_request && position > 0 => {
                    ArgsKind::Typed(Some(name))
                }
                TypeClass::Text | TypeClass::Opaque
                    if has_request && position > 1 && is_input_type(self.ix.text_of(*ty)) =>
                {
                    if self.ix.text_of(*ty).starts_with("map[") {
                        ArgsKind::Map
                    } else {
                        ArgsKind::Typed(None)
                    }
                }
                _ => continue,
            };
            let object = ArgsObject {
                base: base.clone(),
                kind,
                steps: Vec::new(),
            };
            f.env.vars.insert(
                self.ix.text_of(*name),
                Value::shaped(Shape::Args(Rc::new(object))),
            );
        }
    }

    /// Whether `function` takes an MCP request (a handler, whoever registers it).
    pub(super) fn takes_request(&self, function: Node<'t>) -> bool {
        self.parameters(function)
            .iter()
            .any(|(_, _, ty)| self.classify_type(*ty) == TypeClass::Request)
    }

    /// `(index, name, type)` of each named parameter of `function` (receivers excluded).
    fn parameters(&self, function: Node<'t>) -> Vec<(usize, Node<'t>, Node<'t>)> {
        let Some(list) = function.child_by_field_name("parameters") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut index = 0;
        let mut cursor = list.walk();
        let declarations: Vec<_> = list.named_children(&mut cursor).collect();
        for declaration in declarations {
            let Some(ty) = declaration.child_by_field_name("type") else {
                continue;
            };
            let mut cursor = declaration.walk();
            let names: Vec<_> = declaration
                .children_by_field_name("name", &mut cursor)
                .collect();
            if names.is_empty() {
                index += 1;
                continue;
            }
            for name in names {
                out.push((index, name, ty));
                index += 1;
            }
        }
        out
    }

    /// How a parameter type carries taint.
    fn classify_type(&self, ty: Node<'t>) -> TypeClass {
        let text = self.ix.text_of(ty);
        let bare = text.trim_start_matches('*');
        let package = bare.split_once('.').map(|(p, _)| p);
        if let Some(package) = package
            && self.ix.import(package).is_some_and(|p| p.contains("mcp"))
        {
            return if bare.contains("Request") {
                TypeClass::Request
            } else {
                TypeClass::Opaque
            };
        }
        if package.is_some_and(|p| self.ix.import(p) == Some("net/http"))
            && bare.ends_with(".Response")
        {
            return TypeClass::Response;
        }
        if self.ix.struct_fields(bare).is_some() {
            return TypeClass::Struct(bare.to_string());
        }
        if is_scalar_type(text)
            || text == "error"
            || text.starts_with("func")
            || text.starts_with("chan")
            || text.starts_with("<-chan")
            || (package.is_some() && !is_text_carrier(bare))
        {
            return TypeClass::Opaque;
        }
        TypeClass::Text
    }
}

/// How a parameter type carries taint.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TypeClass {
    /// An MCP request.
    Request,
    /// A struct declared in this file.
    Struct(String),
    /// Text, bytes, slices, maps, interfaces: carries taint as a whole.
    Text,
    /// An `*http.Response`: its body and headers are remote data.
    Response,
    /// Numbers, errors, contexts, functions, other packages' objects.
    Opaque,
}

/// Types of other packages that carry text (`url.URL`, readers, raw JSON).
fn is_text_carrier(ty: &str) -> bool {
    matches!(
        ty,
        "url.URL" | "io.Reader" | "io.ReadCloser" | "json.RawMessage" | "bytes.Buffer"
    )
}

/// Types a typed handler input may have when its struct is declared elsewhere (or is a
/// map).
fn is_input_type(ty: &str) -> bool {
    let bare = ty.trim_start_matches('*');
    bare.starts_with("map[")
        || (bare.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !bare.contains('.'))
}

/// `Input` of `*Input`, `Input`, `pkg.Input`.
fn base_type(ty: String) -> String {
    ty.trim_start_matches('*').to_string()
}

/// A value that is `object` seen as another kind of arguments object.
fn args_value(object: &ArgsObject, kind: ArgsKind) -> Value {
    Value::shaped(Shape::Args(Rc::new(ArgsObject {
        base: object.base.clone(),
        kind,
        steps: object.steps.clone(),
    })))
}

/// The arguments object a value is, when it is one.
pub(super) fn as_args(value: &Value) -> Option<&Rc<ArgsObject>> {
    match &value.shape {
        Shape::Args(object) => Some(object),
        _ => None,
    }
}

/// `value` seen as a decoded copy of arguments object `object`, typed as `ty`.
pub(super) fn decoded_args(object: &ArgsObject, ty: Option<&str>) -> Value {
    let kind = match ty {
        Some(t) if t.starts_with("map[") => ArgsKind::Map,
        Some(t) => ArgsKind::Typed(Some(t.trim_start_matches('*').to_string())),
        None => ArgsKind::Map,
    };
    args_value(object, kind)
}
