//! Expressions: what value (taint, text, alias) each evaluates to.

use std::rc::Rc;

use tree_sitter::Node;

use super::syntax::{field, is_function, key_text, member_property, strip_quotes, unwrap};
use super::value::{Origin, Source, Value, is_text_parameter};
use super::walk::Analyzer;
use crate::taint::{SinkKind, SinkKinds};

/// Longest array literal whose elements are tracked one by one.
const MAX_ELEMENTS: usize = 32;

/// OAuth / OpenID metadata fields an attacker-run server controls.
const OAUTH_FIELDS: &[&str] = &[
    "authorization_endpoint",
    "token_endpoint",
    "registration_endpoint",
    "redirect_uri",
    "redirect_uris",
    "issuer",
    "jwks_uri",
    "userinfo_endpoint",
    "end_session_endpoint",
    "device_authorization_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "verification_uri",
    "verification_uri_complete",
    "authorization_servers",
    "resource_metadata",
];

impl<'t> Analyzer<'t> {
    /// Evaluates an expression.
    pub(super) fn eval(&mut self, node: Node<'t>) -> Value {
        if !self.tick() {
            return Value::default();
        }
        match node.kind() {
            "identifier" => self.identifier(node),
            "string" => Value::constant(strip_quotes(self.src(node))),
            "number" => Value::constant(self.src(node)),
            "template_string" => self.template(node),
            "binary_expression" => self.binary(node),
            "ternary_expression" => {
                if let Some(c) = field(node, "condition") {
                    self.eval(c);
                }
                let a = field(node, "consequence")
                    .map(|n| self.eval(n))
                    .unwrap_or_default();
                let b = field(node, "alternative")
                    .map(|n| self.eval(n))
                    .unwrap_or_default();
                let mut out = Value::union([&a, &b]);
                out.alias = a.alias.or(b.alias);
                out
            }
            "assignment_expression" => {
                let value = field(node, "right")
                    .map(|r| self.eval(r))
                    .unwrap_or_default();
                if let Some(left) = field(node, "left") {
                    self.assign(left, value.clone(), node);
                }
                value
            }
            "augmented_assignment_expression" => {
                let (Some(left), Some(right)) = (field(node, "left"), field(node, "right")) else {
                    return Value::default();
                };
                let old = self.eval(left);
                let add = self.eval(right);
                let value = concat(&old, &add);
                self.assign(left, value.clone(), node);
                value
            }
            "await_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion"
            | "spread_element"
            | "yield_expression" => {
                let mut out = Value::default();
                for child in self.kids(node) {
                    if !matches!(
                        child.kind(),
                        "type_identifier"
                            | "predefined_type"
                            | "generic_type"
                            | "object_type"
                            | "type_annotation"
                    ) {
                        out = self.eval(child);
                    }
                }
                out
            }
            "sequence_expression" => self
                .kids(node)
                .into_iter()
                .map(|c| self.eval(c))
                .last()
                .unwrap_or_default(),
            "member_expression" | "subscript_expression" => {
                let Some(object) = field(node, "object") else {
                    return Value::default();
                };
                if unwrap(object).kind() == "this" {
                    return self.this_member(node);
                }
                let base = self.eval(object);
                if node.kind() == "subscript_expression"
                    && let Some(index) = field(node, "index")
                {
                    let index_value = self.eval(index);
                    if let (Ok(i), Some(elements)) =
                        (self.src(index).parse::<usize>(), &base.elements)
                    {
                        if !elements.iter().any(|e| e.spread) {
                            return elements.get(i).cloned().unwrap_or_default();
                        }
                        return base.element_at(i).unwrap_or_else(|| base.element());
                    }
                    if member_property(node, self.text).is_none() {
                        // A constant table maps any key to one of its constants.
                        if base.table && !base.is_tainted() {
                            return Value::default();
                        }
                        let mut out = base.derived();
                        out.absorb(&index_value.derived());
                        return out;
                    }
                }
                match member_property(node, self.text) {
                    Some(prop) => self.member(&base, prop, node),
                    None => base.derived(),
                }
            }
            "call_expression" => self.call(node, false),
            "new_expression" => self.call(node, true),
            "array" => self.array(node),
            "object" => self.object(node),
            "arrow_function" | "function_expression" | "function" | "generator_function" => {
                self.walk_function(node, None);
                Value {
                    node: Some(node.id()),
                    ..Value::default()
                }
            }
            "class" => {
                for child in self.kids(node) {
                    self.eval(child);
                }
                Value::default()
            }
            "unary_expression" | "update_expression" => {
                for child in self.kids(node) {
                    self.eval(child);
                }
                Value::default()
            }
            "true" | "false" | "null" | "undefined" | "regex" | "this" | "super" => {
                Value::default()
            }
            _ => {
                for child in self.kids(node) {
                    if !child.kind().contains("type") {
                        self.eval(child);
                    }
                }
                Value::default()
            }
        }
    }

    fn identifier(&mut self, node: Node<'t>) -> Value {
        let name = self.src(node);
        if let Some(binding) = self.lookup(name) {
            return binding.value.clone();
        }
        if let Some(alias) = self.index.aliases.get(name) {
            return Value {
                alias: Some(alias.clone()),
                ..Value::default()
            };
        }
        if let Some(function) = self.index.function(name) {
            self.nodes.insert(function.id(), function);
            return Value {
                node: Some(function.id()),
                ..Value::default()
            };
        }
        Value::default()
    }

    fn template(&mut self, node: Node<'t>) -> Value {
        let mut out = Value::constant("");
        for part in self.kids(node) {
            let value = match part.kind() {
                "template_substitution" => self
                    .kids(part)
                    .first()
                    .map(|e| self.eval(*e))
                    .unwrap_or_default(),
                _ => Value::constant(self.src(part)),
            };
            out = concat(&out, &value);
        }
        out
    }

    fn binary(&mut self, node: Node<'t>) -> Value {
        let (Some(left), Some(op), Some(right)) = (
            field(node, "left"),
            field(node, "operator"),
            field(node, "right"),
        ) else {
            return Value::default();
        };
        let a = self.eval(left);
        let b = self.eval(right);
        match self.src(op) {
            "+" => concat(&a, &b),
            "&&" | "||" | "??" => {
                let mut out = Value::union([&a, &b]);
                out.alias = b.alias.or(a.alias);
                out.node = b.node.or(a.node);
                out
            }
            _ => Value::default(),
        }
    }

    /// An array literal: its elements one by one (a spread of a known array is spliced
    /// in, any other spread stands for its elements), and whether it is a table.
    fn array(&mut self, node: Node<'t>) -> Value {
        let items = self.kids(node);
        let mut elements = Vec::new();
        let mut table = true;
        for item in &items {
            let value = self.eval(*item);
            table &= is_table_entry(*item, &value);
            if item.kind() != "spread_element" {
                elements.push(value);
            } else if let Some(inner) = value.elements.clone() {
                elements.extend(inner);
            } else {
                let mut each = value.element();
                each.spread = true;
                elements.push(each);
            }
        }
        let mut out = Value::union(elements.iter());
        if elements.len() <= MAX_ELEMENTS {
            out.elements = Some(elements);
        }
        out.table = table;
        out
    }

    fn object(&mut self, node: Node<'t>) -> Value {
        self.nodes.insert(node.id(), node);
        let mut out = Value {
            node: Some(node.id()),
            table: true,
            ..Value::default()
        };
        for prop in self.kids(node) {
            let (key, value) = match prop.kind() {
                "pair" => {
                    let Some(value_node) = field(prop, "value") else {
                        continue;
                    };
                    let key = field(prop, "key").map(|k| key_text(k, self.text));
                    let value = self.eval(value_node);
                    out.table &= is_table_entry(value_node, &value);
                    (key, value)
                }
                "shorthand_property_identifier" => {
                    out.table = false;
                    (Some(self.src(prop)), self.identifier(prop))
                }
                "spread_element" => {
                    let value = self.eval(prop);
                    out.table &= value.table && !value.is_tainted();
                    (None, value)
                }
                "method_definition" => {
                    out.table = false;
                    self.walk_function(prop, None);
                    continue;
                }
                _ => continue,
            };
            for mut origin in value.origins {
                if origin.at_field.is_none()
                    && let Some(key) = key
                {
                    origin.at_field = Some(key.into());
                }
                out.add_origin(origin);
            }
        }
        out
    }

    /// `this.x`: a method of the class being walked (for `this.run(x)`), else unknown.
    fn this_member(&mut self, node: Node<'t>) -> Value {
        let Some(prop) = member_property(node, self.text) else {
            return Value::default();
        };
        match self.this_method(prop) {
            Some(method) => {
                self.nodes.insert(method.id(), method);
                Value {
                    node: Some(method.id()),
                    ..Value::default()
                }
            }
            None => Value::default(),
        }
    }

    /// Property `prop` of `base`, read at `at`.
    pub(super) fn member(&mut self, base: &Value, prop: &str, at: Node<'t>) -> Value {
        let mut out = Value {
            alias: base
                .alias
                .as_ref()
                .and_then(|a| a.member(prop))
                .map(Rc::new),
            ..Value::default()
        };
        if base.alias.is_some() && !base.is_tainted() {
            return out;
        }
        for origin in &base.origins {
            if let Some(origin) = self.member_origin(origin, prop, at) {
                out.add_origin(origin);
            }
        }
        out
    }

    fn member_origin(&self, origin: &Origin, prop: &str, at: Node<'t>) -> Option<Origin> {
        let mut origin = origin.clone();
        if let Some(field) = &origin.at_field {
            if &**field != prop {
                return None;
            }
            origin.at_field = None;
            return Some(origin);
        }
        let refine = |origin: &mut Origin, source: Source, message: String| {
            let step = self.step(at, message);
            origin.source = source;
            if origin.steps.len() == 1 {
                origin.steps = Rc::new(vec![step]);
            } else {
                origin.push_step(step);
            }
        };
        match origin.source.clone() {
            Source::Tool {
                tool,
                object: true,
                known,
                scalar,
                ..
            } => {
                if !is_text_parameter(&known, &scalar, prop) {
                    return None;
                }
                refine(
                    &mut origin,
                    Source::Tool {
                        tool,
                        param: prop.into(),
                        object: false,
                        known,
                        scalar,
                    },
                    format!("tool parameter `{prop}`"),
                );
            }
            Source::Request {
                params: false,
                tool,
            } => {
                if prop != "params" {
                    return None;
                }
                origin.source = Source::Request { params: true, tool };
            }
            Source::Request { params: true, tool } => match prop {
                "arguments" => refine(
                    &mut origin,
                    Source::Tool {
                        tool,
                        param: "arguments".into(),
                        object: true,
                        known: Rc::from(Vec::new()),
                        scalar: Rc::from(Vec::new()),
                    },
                    "tool arguments `request.params.arguments`".to_string(),
                ),
                "uri" => refine(
                    &mut origin,
                    Source::Tool {
                        tool,
                        param: "uri".into(),
                        object: false,
                        known: Rc::from(Vec::new()),
                        scalar: Rc::from(Vec::new()),
                    },
                    "resource URI `request.params.uri`".to_string(),
                ),
                _ => return None,
            },
            Source::Remote { response: true, .. } => match prop {
                "status" | "ok" | "statusText" | "redirected" | "type" | "url" | "bodyUsed"
                | "statusCode" => return None,
                "headers" => {
                    origin.source = Source::Remote {
                        what: "HTTP response headers".into(),
                        response: false,
                    }
                }
                "json" | "text" | "blob" | "arrayBuffer" | "formData" => {}
                _ => {
                    origin.source = Source::Remote {
                        what: "HTTP response body".into(),
                        response: false,
                    }
                }
            },
            Source::Remote {
                response: false, ..
            } if OAUTH_FIELDS.contains(&prop) => refine(
                &mut origin,
                Source::Remote {
                    what: format!("OAuth metadata `{prop}`").into(),
                    response: false,
                },
                format!("remote OAuth metadata `{prop}`"),
            ),
            Source::Param {
                function,
                index,
                field: None,
                object: true,
            } => {
                origin.source = Source::Param {
                    function,
                    index,
                    field: Some(prop.into()),
                    object: false,
                };
                // A destructured parameter is named by its property.
                if let [only] = origin.steps.as_slice()
                    && let Some((_, owner)) = only.message.split_once("` of ")
                    && only.message.starts_with("parameter `#")
                {
                    origin.steps = Rc::new(vec![
                        self.step(at, format!("parameter `{prop}` of {owner}")),
                    ]);
                }
            }
            _ => {
                if prop == "length" {
                    return None;
                }
            }
        }
        Some(origin)
    }

    /// Assigns `value` to an assignment target.
    fn assign(&mut self, left: Node<'t>, value: Value, at: Node<'t>) {
        let left = unwrap(left);
        match left.kind() {
            "identifier" => {
                let name = self.src(left);
                let value = if value.is_tainted() {
                    let step = self.step(at, format!("assigned to `{name}`"));
                    value.map_origins(|o| o.push_step(step.clone()))
                } else {
                    value
                };
                self.assign_var(name, value);
            }
            "member_expression" | "subscript_expression" => {
                // `opts.url = x`: the object now carries `x` in that property;
                // `table[key] = x`: in some property.
                let Some(object) = field(left, "object").map(unwrap) else {
                    return;
                };
                if object.kind() != "identifier" || !value.is_tainted() {
                    return;
                }
                let prop = member_property(left, self.text);
                let name = self.src(object);
                let Some(mut current) = self.lookup(name).map(|b| b.value.clone()) else {
                    return;
                };
                for mut origin in value.origins {
                    if origin.at_field.is_none() {
                        origin.at_field = prop.map(Rc::from);
                    }
                    current.add_origin(origin);
                }
                self.assign_var(name, current);
            }
            "object_pattern" | "array_pattern" => self.bind_pattern(left, value, None),
            _ => {}
        }
    }

    /// The functions a value may be (same-file function or method nodes).
    pub(super) fn function_node(&self, value: &Value) -> Option<Node<'t>> {
        value
            .node
            .and_then(|id| self.nodes.get(&id).copied())
            .filter(|n| is_function(*n))
    }
}

/// Whether an entry of an object or array literal keeps it a constant table: a literal,
/// or a nested table.
fn is_table_entry(node: Node<'_>, value: &Value) -> bool {
    if value.is_tainted() {
        return false;
    }
    if value.table {
        return true;
    }
    let node = unwrap(node);
    match node.kind() {
        "string" | "number" | "true" | "false" | "null" | "undefined" | "regex" => true,
        "template_string" => value.text.complete,
        "unary_expression" => field(node, "argument").is_some_and(|a| unwrap(a).kind() == "number"),
        _ => false,
    }
}

/// `a + b` for strings: known text is kept; data appended after a fixed `scheme://host/`
/// prefix cannot change the host, so it is no longer a URL-forgery risk (only data sent).
pub(super) fn concat(a: &Value, b: &Value) -> Value {
    let mut out = Value {
        text: a.text.concat(&b.text),
        ..Value::default()
    };
    out.absorb(a);
    let fixed_host = a.text.complete && host_is_fixed(&a.text.prefix);
    for origin in &b.origins {
        let mut origin = origin.clone();
        if fixed_host {
            origin.guard.cleared = origin.guard.cleared.union(SinkKinds::of(&[
                SinkKind::Url,
                SinkKind::CredentialToHost,
                SinkKind::OpenExternal,
            ]));
        }
        // Text after a constant prefix cannot start with `-`.
        if !a.text.prefix.is_empty() && a.text.complete {
            origin.guard.cleared = origin
                .guard
                .cleared
                .union(SinkKinds::of(&[SinkKind::Argument]));
        }
        out.add_origin(origin);
    }
    out
}

/// What data in a string starting with `prefix` can no longer do when the prefix fixes
/// the host (`https://api.example.com/…`, a path `/api/…`): send a request to another
/// host, or send credentials there.
pub(super) fn fixed_host_clears(prefix: &str) -> SinkKinds {
    if host_is_fixed(prefix) {
        SinkKinds::of(&[SinkKind::Url, SinkKind::CredentialToHost])
    } else {
        SinkKinds::default()
    }
}

/// Whether a URL prefix fixes the host: `https://host/…`, `https://host?…`, or a
/// path-relative `/api/…`.
pub(super) fn host_is_fixed(prefix: &str) -> bool {
    if let Some((_, rest)) = prefix.split_once("://") {
        return rest
            .find(['/', '?', '#'])
            .is_some_and(|i| i > 0 && !rest[..i].contains('$'));
    }
    prefix.starts_with('/') && !prefix.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_hosts_are_recognised() {
        assert!(host_is_fixed("https://api.github.com/repos/"));
        assert!(host_is_fixed("https://api.example.com?q="));
        assert!(!host_is_fixed("https://api.example.com"));
        assert!(!host_is_fixed("https://"));
        assert!(!host_is_fixed(""));
        assert!(host_is_fixed("/api/v1/"));
        assert!(!host_is_fixed("//evil"));
    }
}
