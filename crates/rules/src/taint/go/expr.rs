//! Expressions and assignments: how taint moves through `:=`/`=`, multiple assignment,
//! `+`, selectors, indexing, type assertions, composite literals and closures.

use tree_sitter::Node;

use super::interp::{Frame, GuardVar, Interp, expressions};
use super::stdlib::{Part, fixed_host, literal_text, regex_anchored};
use super::value::{Shape, Value};
use crate::taint::{SinkKind, SinkKinds};

/// Identifier fragments that name a server-side credential.
const CREDENTIAL_NAMES: &[&str] = &[
    "token",
    "secret",
    "apikey",
    "api_key",
    "password",
    "passwd",
    "credential",
    "bearer",
];

/// Whether a variable or field name suggests it holds a credential.
pub(super) fn credential_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    CREDENTIAL_NAMES.iter().any(|c| lower.contains(c))
}

impl<'t> Interp<'t, '_> {
    /// The value of `node`.
    pub(super) fn eval(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        self.eval_multi(f, node, 1)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// The values of `node` when it yields `n` results (a call in `a, b := f()`).
    pub(super) fn eval_multi(&mut self, f: &mut Frame<'t>, node: Node<'t>, n: usize) -> Vec<Value> {
        let mut values = if node.kind() == "call_expression" {
            self.call(f, node)
        } else {
            vec![self.eval_single(f, node)]
        };
        if values.len() < n {
            values.resize_with(n, Value::default);
        }
        values
    }

    fn eval_single(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        if !self.tick(1) {
            return Value::default();
        }
        match node.kind() {
            "identifier" => self.identifier(f, node),
            "parenthesized_expression" | "literal_element" | "variadic_argument" => node
                .named_child(0)
                .map(|c| self.eval(f, c))
                .unwrap_or_default(),
            "binary_expression" => self.binary(f, node),
            "unary_expression" => {
                let operand = node
                    .child_by_field_name("operand")
                    .map(|o| self.eval(f, o))
                    .unwrap_or_default();
                let operator = node
                    .child_by_field_name("operator")
                    .map_or("", |o| self.ix.text_of(o));
                if matches!(operator, "&" | "*" | "<-") {
                    operand
                } else {
                    Value::default()
                }
            }
            "selector_expression" => self.selector(f, node),
            "index_expression" => self.index(f, node),
            "slice_expression" => node
                .child_by_field_name("operand")
                .map(|o| self.eval(f, o).plain())
                .unwrap_or_default(),
            "type_assertion_expression" => node
                .child_by_field_name("operand")
                .map(|o| self.eval(f, o))
                .unwrap_or_default(),
            "type_conversion_expression" => node
                .child_by_field_name("operand")
                .map(|o| self.eval(f, o).plain())
                .unwrap_or_default(),
            "composite_literal" => self.composite(f, node),
            "literal_value" => self.elements(f, node),
            "func_literal" => {
                self.closure(f, node);
                Value::default()
            }
            _ => Value::default(),
        }
    }

    fn identifier(&mut self, f: &Frame<'t>, node: Node<'t>) -> Value {
        let name = self.ix.text_of(node);
        if let Some(value) = f.env.vars.get(name) {
            let mut value = value.clone();
            value.credential |= !value.is_tainted() && credential_name(name);
            return value;
        }
        Value {
            credential: self.ix.value(name).is_some() && credential_name(name),
            ..Value::default()
        }
    }

    fn binary(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        let operator = node
            .child_by_field_name("operator")
            .map_or("", |o| self.ix.text_of(o));
        if operator != "+" {
            for side in ["left", "right"] {
                if let Some(n) = node.child_by_field_name(side) {
                    self.eval(f, n);
                }
            }
            return Value::default();
        }
        let mut parts = Vec::new();
        concat_parts(node, &mut parts);
        let mut out = Value::default();
        let mut shape_parts = Vec::new();
        for part in parts {
            if let Some(text) = literal_text(self.ix, part) {
                shape_parts.push(Part::Literal(text));
                continue;
            }
            let value = self.eval(f, part);
            shape_parts.push(Part::Value(value.is_tainted()));
            out.join(value.plain());
        }
        out.fixed_host = fixed_host(&shape_parts);
        out.map_labels(|l| l.path = Default::default())
    }

    fn selector(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        let (Some(operand), Some(field)) = (
            node.child_by_field_name("operand"),
            node.child_by_field_name("field"),
        ) else {
            return Value::default();
        };
        let field_name = self.ix.text_of(field);
        if operand.kind() == "identifier"
            && !f.env.vars.contains_key(self.ix.text_of(operand))
            && let Some(path) = self.ix.import(self.ix.text_of(operand))
        {
            return match (path, field_name) {
                ("net/http", "DefaultClient") => Value::shaped(Shape::HttpClient),
                _ => Value::default(),
            };
        }
        let value = self.eval(f, operand);
        match &value.shape {
            Shape::Args(object) => {
                let object = object.clone();
                self.args_select(&object, field_name, node)
            }
            Shape::HttpResponse => match field_name {
                "Body" => self.remote(node, "HTTP response body"),
                "Header" => Value::shaped(Shape::ResponseHeader),
                _ => Value::default(),
            },
            Shape::HttpRequest(info) => match field_name {
                "URL" => info.url.clone(),
                "Header" => value.clone(),
                _ => Value::default(),
            },
            _ if value.is_tainted() => {
                let mut out = value.plain();
                out.fixed_host = value.fixed_host;
                super::sources::relabel_metadata_field(out, field_name)
            }
            _ => Value {
                credential: credential_name(field_name),
                ..Value::default()
            },
        }
    }

    fn index(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        let Some(operand) = node.child_by_field_name("operand") else {
            return Value::default();
        };
        let value = self.eval(f, operand);
        let index = node.child_by_field_name("index");
        if let Some(index) = index {
            self.eval(f, index);
        }
        match &value.shape {
            Shape::Args(object) => {
                let key = index.and_then(|i| literal_text(self.ix, i));
                match key {
                    Some(key) => {
                        let object = object.clone();
                        self.args_read(&object, &key, node)
                    }
                    None => Value::default(),
                }
            }
            _ => value.plain(),
        }
    }

    fn composite(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Value {
        let ty = node.child_by_field_name("type");
        let Some(body) = node.child_by_field_name("body") else {
            return Value::default();
        };
        let ty_text = ty.map_or("", |t| self.ix.text_of(t));
        if let Some(ty) = ty
            && ty.kind() == "qualified_type"
            && self.qualified_is(ty, "net/http", "Client")
        {
            return Value::shaped(Shape::HttpClient);
        }
        if ty.is_some_and(|t| matches!(t.kind(), "slice_type" | "array_type")) {
            let mut cursor = body.walk();
            let elements: Vec<_> = body
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect();
            return self.positional(f, &elements);
        }
        let mut value = self.elements(f, body);
        if ty_text.ends_with("url.URL") {
            // `url.URL{Scheme: "https", Host: "api.example.com", Path: p}`: a literal host.
            let host = super::index::descendants(body, "keyed_element")
                .into_iter()
                .find(|e| {
                    e.child_by_field_name("key")
                        .is_some_and(|k| self.ix.text_of(k) == "Host")
                });
            value.fixed_host = host
                .and_then(|h| h.child_by_field_name("value"))
                .is_some_and(|v| !self.eval(f, v).is_tainted());
        }
        value
    }

    /// The union of the values of a `literal_value`'s elements (keys excluded).
    fn elements(&mut self, f: &mut Frame<'t>, body: Node<'t>) -> Value {
        let mut out = Value::default();
        let mut cursor = body.walk();
        let elements: Vec<_> = body.named_children(&mut cursor).collect();
        for element in elements {
            let value_node = match element.kind() {
                "keyed_element" => element.child_by_field_name("value"),
                "comment" => None,
                _ => Some(element),
            };
            if let Some(v) = value_node {
                let value = self.eval(f, v);
                out.join(value.plain());
            }
        }
        out
    }

    /// The union of positional program arguments (a `[]string{…}` literal, `append`):
    /// see [`Interp::positional_values`].
    pub(super) fn positional(&mut self, f: &mut Frame<'t>, elements: &[Node<'t>]) -> Value {
        let values: Vec<Value> = elements.iter().map(|e| self.eval(f, *e)).collect();
        self.positional_values(elements, &values)
    }

    /// The union of evaluated positional program arguments: elements after a literal
    /// `"--"`, and elements that start with literal text, cannot be read as options.
    pub(super) fn positional_values(&self, elements: &[Node<'t>], values: &[Value]) -> Value {
        let mut out = Value::default();
        let mut after_separator = false;
        for (element, value) in elements.iter().zip(values) {
            if literal_text(self.ix, *element).as_deref() == Some("--") {
                after_separator = true;
            }
            let safe = after_separator || self.literal_prefix(*element).is_some();
            let value = value.plain();
            out.join(if safe {
                value.map_labels(|l| l.clean = l.clean.union(SinkKinds::of(&[SinkKind::Argument])))
            } else {
                value
            });
        }
        out
    }

    /// The literal text an expression starts with, when non-empty (`"--name=" + x`,
    /// `fmt.Sprintf("refs/%s", x)`).
    pub(super) fn literal_prefix(&self, node: Node<'t>) -> Option<String> {
        let node = strip_parens(node);
        let prefix = match node.kind() {
            "binary_expression" => {
                let mut parts = Vec::new();
                concat_parts(node, &mut parts);
                parts.first().and_then(|p| literal_text(self.ix, *p))
            }
            "call_expression" => {
                let function = node.child_by_field_name("function")?;
                if !self.ix.text_of(function).ends_with("Sprintf") {
                    return None;
                }
                let format = node.child_by_field_name("arguments")?.named_child(0)?;
                let format = literal_text(self.ix, format)?;
                Some(format.split('%').next().unwrap_or("").to_string())
            }
            _ => None,
        };
        prefix.filter(|p| !p.is_empty())
    }

    /// Walks a function literal's body in the current environment (closures see their
    /// enclosing variables); its returns are its own.
    fn closure(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let env = f.env.clone();
        let returns = std::mem::take(&mut f.returns);
        self.block(f, body);
        f.env = env;
        f.returns = returns;
    }

    /// Whether qualified type `ty` is `path.name`.
    pub(super) fn qualified_is(&self, ty: Node<'t>, path: &str, name: &str) -> bool {
        let package = ty
            .child_by_field_name("package")
            .map(|p| self.ix.text_of(p));
        let type_name = ty.child_by_field_name("name").map(|n| self.ix.text_of(n));
        type_name == Some(name) && package.and_then(|p| self.ix.import(p)) == Some(path)
    }

    /// `a := …`, `a, b = …`, `a += …`.
    pub(super) fn assignment(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let left = expressions(left);
        let right = expressions(right);
        let operator = node
            .child_by_field_name("operator")
            .map_or(":=", |o| self.ix.text_of(o));
        let values: Vec<Value> = if right.len() == left.len() {
            right.iter().map(|r| self.eval(f, *r)).collect()
        } else if let [single] = right.as_slice() {
            self.eval_multi(f, *single, left.len())
        } else {
            return;
        };
        for (target, mut value) in left.iter().zip(values) {
            if !matches!(operator, "=" | ":=") {
                value.join(self.eval(f, *target));
            }
            self.bind(f, *target, value);
        }
        if let [single] = right.as_slice() {
            self.record_facts(f, &left, *single);
        }
    }

    /// `var a, b T = …`.
    pub(super) fn var_spec(&mut self, f: &mut Frame<'t>, spec: Node<'t>) {
        let mut cursor = spec.walk();
        let names: Vec<_> = spec.children_by_field_name("name", &mut cursor).collect();
        if let Some(ty) = spec.child_by_field_name("type") {
            let ty = self.ix.text_of(ty);
            for name in &names {
                f.env.types.insert(self.ix.text_of(*name), ty);
            }
        }
        let Some(values) = spec.child_by_field_name("value") else {
            for name in &names {
                f.env.vars.remove(self.ix.text_of(*name));
            }
            return;
        };
        let values = expressions(values);
        let evaluated: Vec<Value> = if values.len() == names.len() {
            values.iter().map(|v| self.eval(f, *v)).collect()
        } else if let [single] = values.as_slice() {
            self.eval_multi(f, *single, names.len())
        } else {
            return;
        };
        for (name, value) in names.iter().zip(evaluated) {
            self.bind(f, *name, value);
        }
        if let [single] = values.as_slice() {
            self.record_facts(f, &names, *single);
        }
    }

    /// Assigns `value` to an assignment target: a variable, or a field or element of one
    /// (which then carries the value's taint too).
    pub(super) fn bind(&mut self, f: &mut Frame<'t>, target: Node<'t>, value: Value) {
        let target = strip_parens(target);
        match target.kind() {
            "identifier" => {
                let name = self.ix.text_of(target);
                if name == "_" {
                    return;
                }
                let value = if value.is_tainted() {
                    let location = self.ix.location(target);
                    value.step(&location, &format!("assigned to `{name}`"))
                } else {
                    value
                };
                f.env.guards.remove(name);
                f.env.vars.insert(name, value);
            }
            "selector_expression" | "index_expression" | "unary_expression" => {
                let Some(root) = root_identifier(target) else {
                    return;
                };
                if !value.is_tainted() {
                    return;
                }
                let name = self.ix.text_of(root);
                let location = self.ix.location(target);
                let value = value.plain().step(
                    &location,
                    &format!(
                        "stored in `{}`",
                        super::index::bounded(self.ix.text_of(target), 60)
                    ),
                );
                f.env.vars.entry(name).or_default().join(value);
            }
            _ => {}
        }
    }

    /// Facts an assignment establishes about other variables: guard booleans, parsed
    /// URLs' origins, compiled regexes, declared types.
    fn record_facts(&mut self, f: &mut Frame<'t>, left: &[Node<'t>], right: Node<'t>) {
        let Some(first) = left.first().filter(|l| l.kind() == "identifier") else {
            return;
        };
        let first = self.ix.text_of(*first);
        let right = strip_parens(right);
        match right.kind() {
            // `_, ok := allowed[x]`
            "index_expression" => {
                if let (Some(ok), Some(index)) = (left.get(1), right.child_by_field_name("index"))
                    && let Some(root) = root_identifier(index)
                {
                    f.env.guards.insert(
                        self.ix.text_of(*ok),
                        GuardVar::Member(self.ix.text_of(root)),
                    );
                }
            }
            "composite_literal" | "unary_expression" => {
                let literal = if right.kind() == "unary_expression" {
                    right.child_by_field_name("operand")
                } else {
                    Some(right)
                };
                if let Some(ty) = literal
                    .filter(|l| l.kind() == "composite_literal")
                    .and_then(|l| l.child_by_field_name("type"))
                {
                    f.env.types.insert(first, self.ix.text_of(ty));
                }
            }
            "call_expression" => self.record_call_facts(f, first, right),
            _ => {}
        }
    }

    fn record_call_facts(&mut self, f: &mut Frame<'t>, first: &'t str, call: Node<'t>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let callee = self.ix.text_of(function);
        let args = call_arguments(call);
        let method = callee.rsplit('.').next().unwrap_or(callee);
        let last_ident = args
            .last()
            .and_then(|a| root_identifier(*a))
            .map(|a| self.ix.text_of(a));
        match method {
            "Rel" => {
                if let Some(target) = last_ident {
                    f.env.guards.insert(first, GuardVar::Rel(target));
                }
            }
            "Lstat" if callee.starts_with("os.") => {
                if let Some(target) = last_ident {
                    f.env.guards.insert(first, GuardVar::Lstat(target));
                }
            }
            "Parse" | "ParseRequestURI" if callee.starts_with("url.") => {
                if let Some(parent) = last_ident {
                    f.env.parents.insert(first, parent);
                }
            }
            "MustCompile" | "Compile" | "MustCompilePOSIX" | "CompilePOSIX" => {
                let anchored = args
                    .first()
                    .and_then(|p| literal_text(self.ix, *p))
                    .is_none_or(|p| regex_anchored(&p));
                f.env.regexes.insert(first, anchored);
            }
            "MatchString" | "Match" => {
                if let Some(subject) = last_ident {
                    let anchored = self.regex_guard_anchored(function, &args);
                    f.env
                        .guards
                        .insert(first, GuardVar::Regex(subject, anchored));
                }
            }
            "Contains" | "ContainsFunc" if callee.starts_with("slices.") => {
                if let Some(subject) = last_ident {
                    f.env.guards.insert(first, GuardVar::Member(subject));
                }
            }
            _ => {}
        }
    }

    /// Whether the regex of a `MatchString` call is anchored (unknown patterns are
    /// trusted).
    pub(super) fn regex_guard_anchored(&self, function: Node<'t>, args: &[Node<'t>]) -> bool {
        if function.kind() != "selector_expression" {
            return true;
        }
        let Some(operand) = function.child_by_field_name("operand") else {
            return true;
        };
        let operand = strip_parens(operand);
        match operand.kind() {
            // `regexp.MatchString(pattern, x)`
            "identifier" if self.ix.import(self.ix.text_of(operand)) == Some("regexp") => args
                .first()
                .and_then(|p| literal_text(self.ix, *p))
                .is_none_or(|p| regex_anchored(&p)),
            // `regexp.MustCompile(pattern).MatchString(x)`
            "call_expression" => call_arguments(operand)
                .first()
                .and_then(|p| literal_text(self.ix, *p))
                .is_none_or(|p| regex_anchored(&p)),
            "identifier" => {
                let name = self.ix.text_of(operand);
                self.ix
                    .value(name)
                    .filter(|v| v.kind() == "call_expression")
                    .and_then(|v| call_arguments(v).first().copied())
                    .and_then(|p| literal_text(self.ix, p))
                    .is_none_or(|p| regex_anchored(&p))
            }
            _ => true,
        }
    }
}

/// The operands of a `+` chain, left to right.
fn concat_parts<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let node = strip_parens(node);
    if node.kind() == "binary_expression"
        && node
            .child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "+")
    {
        if let Some(left) = node.child_by_field_name("left") {
            concat_parts(left, out);
        }
        if let Some(right) = node.child_by_field_name("right") {
            concat_parts(right, out);
        }
    } else if out.len() < 64 {
        out.push(node);
    }
}

/// `node` without enclosing parentheses.
pub(super) fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The variable an expression is rooted in: `x` of `x`, `x.f.g`, `x[i]`, `&x`, `*x`.
pub(super) fn root_identifier(node: Node<'_>) -> Option<Node<'_>> {
    let mut node = strip_parens(node);
    for _ in 0..16 {
        match node.kind() {
            "identifier" => return Some(node),
            "selector_expression" => node = node.child_by_field_name("operand")?,
            "index_expression" | "slice_expression" | "type_assertion_expression" => {
                node = node.child_by_field_name("operand")?;
            }
            "unary_expression" => node = node.child_by_field_name("operand")?,
            "parenthesized_expression" => node = node.named_child(0)?,
            _ => return None,
        }
    }
    None
}

/// The argument expressions of a call (variadic `xs...` unwrapped).
pub(super) fn call_arguments(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .map(|a| {
            if a.kind() == "variadic_argument" {
                a.named_child(0).unwrap_or(a)
            } else {
                a
            }
        })
        .collect()
}
