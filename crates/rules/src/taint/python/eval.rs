//! Expressions: what tainted data a value carries. Strings built from tainted parts
//! (f-strings, `+`, `%`, implicit concatenation) carry it and are marked composed;
//! containers carry what their items carry; comparisons, numbers and lambdas carry
//! nothing. Items read from a tool's argument mapping (`arguments["path"]`) name the
//! argument; items read from remote data name what they are (`authorization_endpoint`,
//! `WWW-Authenticate`).

use tree_sitter::Node;

use super::engine::FnCx;
use super::value::{Kind, Origin, Value};

/// OAuth / OpenID metadata fields whose values are URLs the client follows.
const OAUTH_FIELDS: &[&str] = &[
    "authorization_endpoint",
    "token_endpoint",
    "registration_endpoint",
    "userinfo_endpoint",
    "end_session_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "jwks_uri",
    "issuer",
    "device_authorization_endpoint",
];

/// Response attributes that are not content.
const RESPONSE_STATUS: &[&str] = &["status_code", "status", "ok", "reason", "elapsed"];

impl<'t> FnCx<'_, '_, 't> {
    /// The value of expression `node`.
    pub(super) fn eval(&mut self, node: Node<'t>) -> Value<'t> {
        if !self.an.spend() {
            return Value::default();
        }
        match node.kind() {
            "identifier" => {
                let name = self.index().text_of(node);
                match self.env.get(name) {
                    Some(value) => value.clone(),
                    None if self.index().is_constant(name) => {
                        Value::of_kind(self.an.constant_kind(name, || self.constant_kind(node, 0)))
                    }
                    None => Value::default(),
                }
            }
            "attribute" => self.attribute(node),
            "subscript" => {
                let Some(container) = node.child_by_field_name("value") else {
                    return Value::default();
                };
                let value = self.eval(container);
                let key = node
                    .child_by_field_name("subscript")
                    .and_then(|k| self.index().const_str(k));
                self.item(value, key.as_deref(), node)
            }
            "call" => self.eval_call(node),
            "string" => {
                let mut cursor = node.walk();
                let parts: Vec<_> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "interpolation")
                    .filter_map(|c| c.child_by_field_name("expression"))
                    .collect();
                self.composed(parts)
            }
            "concatenated_string" => {
                let mut cursor = node.walk();
                let parts: Vec<_> = node.named_children(&mut cursor).collect();
                self.composed(parts)
            }
            "binary_operator" => self.binary(node),
            "list"
            | "tuple"
            | "set"
            | "expression_list"
            | "parenthesized_expression"
            | "boolean_operator"
            | "list_splat"
            | "dictionary_splat"
            | "keyword_argument"
            | "await"
            | "interpolation"
            | "pattern_list" => {
                let mut cursor = node.walk();
                let parts: Vec<_> = node.named_children(&mut cursor).collect();
                let values: Vec<_> = parts
                    .into_iter()
                    .filter(|p| {
                        !(node.kind() == "keyword_argument"
                            && p.kind() == "identifier"
                            && node.child_by_field_name("name") == Some(*p))
                    })
                    .map(|p| self.eval(p))
                    .collect();
                let mut out = Value::union(&values);
                if matches!(node.kind(), "parenthesized_expression" | "await")
                    && let Some(first) = values.first()
                {
                    out.kind = first.kind;
                }
                out
            }
            "dictionary" => {
                let mut cursor = node.walk();
                let parts: Vec<_> = node
                    .named_children(&mut cursor)
                    .flat_map(|p| match p.kind() {
                        "pair" => {
                            vec![p.child_by_field_name("key"), p.child_by_field_name("value")]
                        }
                        _ => vec![Some(p)],
                    })
                    .flatten()
                    .collect();
                let values: Vec<_> = parts.into_iter().map(|p| self.eval(p)).collect();
                Value::union(&values)
            }
            "conditional_expression" => {
                let mut cursor = node.walk();
                let parts: Vec<_> = node.named_children(&mut cursor).collect();
                if let Some(condition) = parts.get(1) {
                    self.eval(*condition);
                }
                let values: Vec<_> = [parts.first(), parts.get(2)]
                    .into_iter()
                    .flatten()
                    .map(|p| self.eval(*p))
                    .collect();
                Value::union(&values)
            }
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(node),
            "named_expression" => {
                let value = node
                    .child_by_field_name("value")
                    .map(|v| self.eval(v))
                    .unwrap_or_default();
                if let Some(name) = node.child_by_field_name("name") {
                    self.bind(name, value.clone(), node);
                }
                value
            }
            "comparison_operator" | "not_operator" => {
                // Evaluated for the calls inside; a boolean carries nothing.
                let mut cursor = node.walk();
                let parts: Vec<_> = node.named_children(&mut cursor).collect();
                for part in parts {
                    self.eval(part);
                }
                Value::default()
            }
            _ => Value::default(),
        }
    }

    /// The kind of a module constant (`BASE = Path(ROOT).resolve()`,
    /// `CLIENT = httpx.Client(…)`), followed without evaluating anything.
    fn constant_kind(&self, node: Node<'t>, depth: usize) -> Kind<'t> {
        let index = self.index();
        let def = index.statics.value(node);
        if depth > 4 || def == node && node.kind() == "identifier" {
            return Kind::Plain;
        }
        match def.kind() {
            "call" => {
                let Some(function) = def.child_by_field_name("function") else {
                    return Kind::Plain;
                };
                let canonical = index.imports.canonical(index.text_of(function));
                match canonical.as_str() {
                    "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" | "Path" => {
                        Kind::PathObject
                    }
                    "httpx.Client"
                    | "httpx.AsyncClient"
                    | "requests.Session"
                    | "aiohttp.ClientSession" => Kind::HttpClient { credentials: false },
                    _ if self.is_class_name(function) => Kind::Instance(index.text_of(function)),
                    _ if function.kind() == "attribute" => {
                        let object = function.child_by_field_name("object");
                        match object.map(|o| self.constant_kind(o, depth + 1)) {
                            Some(Kind::PathObject) => Kind::PathObject,
                            _ => Kind::Plain,
                        }
                    }
                    _ => Kind::Plain,
                }
            }
            "binary_operator" => {
                let left = def.child_by_field_name("left");
                match left.map(|l| self.constant_kind(l, depth + 1)) {
                    Some(Kind::PathObject) => Kind::PathObject,
                    _ => Kind::Plain,
                }
            }
            "identifier" | "parenthesized_expression" => def
                .named_child(0)
                .filter(|_| def.kind() == "parenthesized_expression")
                .map_or(Kind::Plain, |inner| self.constant_kind(inner, depth + 1)),
            _ => Kind::Plain,
        }
    }

    /// A string built from `parts`: their traces, marked composed.
    fn composed(&mut self, parts: Vec<Node<'t>>) -> Value<'t> {
        let values: Vec<_> = parts.into_iter().map(|p| self.eval(p)).collect();
        Value::union(&values).map_traces(|t| t.composed = true)
    }

    fn binary(&mut self, node: Node<'t>) -> Value<'t> {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return Value::default();
        };
        let operator = node
            .child_by_field_name("operator")
            .map_or("", |o| self.index().text_of(o));
        let l = self.eval(left);
        let r = self.eval(right);
        let mut out = Value::union([&l, &r]);
        match operator {
            "/" if l.kind == Kind::PathObject || r.kind == Kind::PathObject => {
                out.kind = Kind::PathObject;
            }
            "+" | "%" => {
                let stringy = self.is_string_like(left)
                    || self.is_string_like(right)
                    || matches!(left.kind(), "string" | "concatenated_string")
                    || operator == "%";
                if stringy {
                    out = out.map_traces(|t| t.composed = true);
                }
            }
            _ => {}
        }
        out
    }

    fn comprehension(&mut self, node: Node<'t>) -> Value<'t> {
        let mut cursor = node.walk();
        let parts: Vec<_> = node.named_children(&mut cursor).collect();
        for clause in parts.iter().filter(|p| p.kind() == "for_in_clause") {
            let mut cursor = clause.walk();
            let right: Vec<_> = clause
                .children_by_field_name("right", &mut cursor)
                .collect();
            let values: Vec<_> = right.into_iter().map(|r| self.eval(r)).collect();
            if let Some(left) = clause.child_by_field_name("left") {
                self.bind(left, Value::union(&values), *clause);
            }
        }
        let body: Vec<_> = parts
            .iter()
            .filter(|p| !matches!(p.kind(), "for_in_clause" | "if_clause"))
            .copied()
            .collect();
        let values: Vec<_> = body.into_iter().map(|b| self.eval(b)).collect();
        Value::union(&values)
    }

    fn attribute(&mut self, node: Node<'t>) -> Value<'t> {
        let text = self.index().text_of(node);
        if let Some(value) = self.env.get(text) {
            return value.clone();
        }
        let (Some(object), Some(attribute)) = (
            node.child_by_field_name("object"),
            node.child_by_field_name("attribute"),
        ) else {
            return Value::default();
        };
        let attribute = self.index().text_of(attribute);
        let object = self.eval(object);
        match (object.kind, attribute) {
            (Kind::Response, a) if RESPONSE_STATUS.contains(&a) => Value::default(),
            (Kind::Response, "headers") => Value {
                traces: object.traces,
                kind: Kind::Response,
                def: None,
            },
            // `Path(x).name`: the last component only, no directory part.
            (Kind::PathObject, "name" | "stem" | "suffix") => Value::default(),
            (Kind::PathObject, "parent") => Value {
                traces: object.traces,
                kind: Kind::PathObject,
                def: None,
            },
            _ => Value::union([&object]),
        }
    }

    /// Item `key` of `container` (`x["key"]`, `x.get("key")`): a tool argument gets its
    /// name, remote data what it is.
    pub(super) fn item(
        &mut self,
        container: Value<'t>,
        key: Option<&str>,
        at: Node<'t>,
    ) -> Value<'t> {
        let headers = container.kind == Kind::Response;
        let mut out = Value::default();
        for mut trace in container.traces {
            match (&mut trace.origin, key) {
                (Origin::Param { field, .. }, Some(key)) if field.is_none() => {
                    *field = Some(key.to_string());
                    trace.push(self.step(at, format!("argument `{}`", self.short(at))));
                }
                (Origin::Remote { what }, Some(key)) => {
                    if OAUTH_FIELDS.contains(&key) {
                        *what = format!("OAuth metadata `{key}`");
                    } else if headers || key.eq_ignore_ascii_case("www-authenticate") {
                        *what = format!("`{key}` response header");
                    }
                    trace.push(self.step(at, format!("read: `{}`", self.short(at))));
                }
                _ => {}
            }
            out.add(trace);
        }
        out
    }
}
