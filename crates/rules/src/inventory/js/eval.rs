//! A small, bounded static evaluator for the literal data of a JS/TS file: it follows
//! `const` declarations, object members, array elements, destructuring and bound
//! parameters ([`super::render`] turns the result into text). Anything it cannot see
//! through is kept as `${source}` in rendered text, so a description is never silently
//! dropped.
//!
//! Work is bounded by a per-file step budget, a recursion depth and size caps, so hostile
//! input (self-referencing constants, huge tables) cannot make extraction slow.

use std::cell::Cell;
use std::rc::Rc;

use tree_sitter::Node;

use super::index::{DeclValue, FileIndex};
use super::patterns::{bind_first_parameter, returned_expressions};
use super::syntax::{
    arguments, call_method, children, field, is_function, key_text, string_literal, text_of,
};

/// Maximum nesting of resolutions (constant → constant → member → …).
pub(super) const MAX_DEPTH: u32 = 32;
/// Evaluation steps allowed per file.
const FILE_STEPS: u32 = 4_000_000;
/// Evaluation steps allowed per declaring call (all its contexts together), so one
/// pathological call cannot starve the others.
const CALL_STEPS: u32 = 200_000;
/// Most elements taken from one array or object.
const MAX_ELEMENTS: usize = 2_000;

/// Names bound by the enclosing context of an expression: loop variables and the
/// parameters of wrapper functions, each bound to the expression it stands for.
#[derive(Clone, Default)]
pub(super) struct Env<'a>(Option<Rc<Frame<'a>>>);

struct Frame<'a> {
    name: &'a str,
    value: Option<Expr<'a>>,
    parent: Env<'a>,
}

impl<'a> Env<'a> {
    /// This environment with `name` bound to `value` (`None`: bound but unknown, which
    /// hides any outer declaration of the same name).
    pub fn bind(&self, name: &'a str, value: Option<Expr<'a>>) -> Env<'a> {
        Env(Some(Rc::new(Frame {
            name,
            value,
            parent: self.clone(),
        })))
    }

    fn get(&self, name: &str) -> Option<Option<Expr<'a>>> {
        let mut frame = self.0.as_deref();
        while let Some(f) = frame {
            if f.name == name {
                return Some(f.value.clone());
            }
            frame = f.parent.0.as_deref();
        }
        None
    }
}

/// An expression together with the bindings it is evaluated under.
#[derive(Clone)]
pub(super) struct Expr<'a> {
    /// The syntax node.
    pub node: Node<'a>,
    /// Bindings in effect.
    pub env: Env<'a>,
}

impl<'a> Expr<'a> {
    /// `node` under `env`.
    pub fn new(node: Node<'a>, env: &Env<'a>) -> Self {
        Expr {
            node,
            env: env.clone(),
        }
    }

    /// Another node under the same bindings.
    pub fn with(&self, node: Node<'a>) -> Self {
        Expr::new(node, &self.env)
    }
}

/// One element of an evaluated array.
#[derive(Clone)]
pub(super) enum Element<'a> {
    /// An ordinary element.
    Value(Expr<'a>),
    /// An `[key, value]` entry of `Object.entries(…)`.
    Entry(Node<'a>, Expr<'a>),
}

/// The evaluator for one file.
pub(super) struct Eval<'a> {
    /// The file's text.
    pub text: &'a str,
    /// Declarations and call sites of the file.
    pub index: &'a FileIndex<'a>,
    steps: Cell<u32>,
    file_steps: Cell<u32>,
}

impl<'a> Eval<'a> {
    /// An evaluator over `text` with its `index`.
    pub fn new(text: &'a str, index: &'a FileIndex<'a>) -> Self {
        Eval {
            text,
            index,
            steps: Cell::new(CALL_STEPS),
            file_steps: Cell::new(FILE_STEPS),
        }
    }

    /// Starts the budget of a new declaring call.
    pub fn begin_call(&self) {
        self.steps.set(CALL_STEPS.min(self.file_steps.get()));
    }

    /// Source text of `node`.
    pub fn src(&self, node: Node<'_>) -> &'a str {
        text_of(node, self.text)
    }

    /// Spends one step of the budget; false once it is exhausted.
    pub(super) fn step(&self) -> bool {
        let left = self.steps.get();
        if left == 0 {
            return false;
        }
        self.steps.set(left - 1);
        self.file_steps.set(self.file_steps.get().saturating_sub(1));
        true
    }

    /// Follows constants, members, bound names and transparent wrappers (parentheses,
    /// `as`, `satisfies`, `!`, `Object.freeze`) as far as the data is literal. Returns the
    /// last expression reached: an unresolved identifier comes back as itself.
    pub fn resolve(&self, expr: &Expr<'a>) -> Expr<'a> {
        self.resolve_at(expr, 0)
    }

    pub(super) fn resolve_at(&self, expr: &Expr<'a>, depth: u32) -> Expr<'a> {
        let mut current = expr.clone();
        for _ in 0..MAX_DEPTH.saturating_sub(depth) {
            if !self.step() {
                break;
            }
            match self.resolve_once(&current, depth) {
                Some(next) => current = next,
                None => break,
            }
        }
        current
    }

    /// One resolution step, or `None` when `expr` is as resolved as it gets.
    fn resolve_once(&self, expr: &Expr<'a>, depth: u32) -> Option<Expr<'a>> {
        let node = expr.node;
        match node.kind() {
            "parenthesized_expression" | "sequence_expression" => {
                children(node).last().map(|&inner| expr.with(inner))
            }
            "as_expression" | "satisfies_expression" | "non_null_expression" => {
                children(node).first().map(|&inner| expr.with(inner))
            }
            "type_assertion" => children(node).last().map(|&inner| expr.with(inner)),
            "await_expression" => children(node).first().map(|&inner| expr.with(inner)),
            "identifier" | "shorthand_property_identifier" => {
                self.lookup(self.src(node), node.start_byte(), &expr.env, depth)
            }
            "member_expression" => {
                let object = self.resolve_at(&expr.with(field(node, "object")?), depth + 1);
                let property = field(node, "property")?;
                self.member(&object, self.src(property))
            }
            "subscript_expression" => {
                let object = self.resolve_at(&expr.with(field(node, "object")?), depth + 1);
                let index = self.string(&expr.with(field(node, "index")?))?;
                self.member(&object, &index)
            }
            "call_expression" => {
                // `Object.freeze(x)` returns its argument.
                let callee = field(node, "function")?;
                let args = arguments(node);
                (self.src(callee) == "Object.freeze" && args.len() == 1).then(|| expr.with(args[0]))
            }
            _ => None,
        }
    }

    /// The value bound to, or declared for, `name` at byte `position`.
    fn lookup(&self, name: &str, position: usize, env: &Env<'a>, depth: u32) -> Option<Expr<'a>> {
        if let Some(bound) = env.get(name) {
            return bound;
        }
        let decl = self.index.lookup(name, position)?;
        match decl {
            DeclValue::Node(value) => Some(Expr::new(value, env)),
            DeclValue::Property {
                source,
                key,
                default,
            } => {
                let object = self.resolve_at(&Expr::new(source, env), depth + 1);
                self.member(&object, key)
                    .or_else(|| default.map(|d| Expr::new(d, env)))
            }
            DeclValue::Element { source, index } => self
                .elements_at(&Expr::new(source, env), depth + 1)
                .into_iter()
                .nth(index)
                .and_then(|e| match e {
                    Element::Value(v) => Some(v),
                    Element::Entry(..) => None,
                }),
        }
    }

    /// `object.key` (or `array[key]`) when `object` is an object or array literal.
    fn member(&self, object: &Expr<'a>, key: &str) -> Option<Expr<'a>> {
        match object.node.kind() {
            "object" => self.property(object, key),
            "array" => {
                let index: usize = key.parse().ok()?;
                self.elements(object)
                    .into_iter()
                    .nth(index)
                    .and_then(|e| match e {
                        Element::Value(v) => Some(v),
                        Element::Entry(..) => None,
                    })
            }
            _ => None,
        }
    }

    /// Property `key` of `object` (resolved first). The last definition wins, spreads
    /// included, as in JavaScript.
    pub fn property(&self, object: &Expr<'a>, key: &str) -> Option<Expr<'a>> {
        self.properties(object)
            .into_iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The properties of `object` (resolved first) in source order, later definitions
    /// replacing earlier ones. Method definitions map to themselves.
    pub fn properties(&self, object: &Expr<'a>) -> Vec<(String, Expr<'a>)> {
        let mut out = Vec::new();
        self.collect_properties(object, 0, &mut out);
        out
    }

    fn collect_properties(&self, object: &Expr<'a>, depth: u32, out: &mut Vec<(String, Expr<'a>)>) {
        let object = self.resolve_at(object, depth);
        if object.node.kind() != "object" || depth > MAX_DEPTH {
            return;
        }
        for part in children(object.node) {
            if out.len() >= MAX_ELEMENTS || !self.step() {
                return;
            }
            let (key, value) = match part.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (field(part, "key"), field(part, "value")) else {
                        continue;
                    };
                    let Some(key) = self.key(&object.with(k)) else {
                        continue;
                    };
                    (key, object.with(v))
                }
                "shorthand_property_identifier" => (self.src(part).to_string(), object.with(part)),
                "method_definition" => {
                    let Some(name) = field(part, "name") else {
                        continue;
                    };
                    let Some(key) = self.key(&object.with(name)) else {
                        continue;
                    };
                    (key, object.with(part))
                }
                "spread_element" => {
                    if let Some(&inner) = children(part).first() {
                        self.collect_properties(&object.with(inner), depth + 1, out);
                    }
                    continue;
                }
                _ => continue,
            };
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => out.push((key, value)),
            }
        }
    }

    /// The name of a property key.
    fn key(&self, key: &Expr<'a>) -> Option<String> {
        match key.node.kind() {
            "computed_property_name" => {
                let inner = *children(key.node).first()?;
                self.string(&key.with(inner))
            }
            "string" => Some(string_literal(key.node, self.text)),
            _ => Some(key_text(key.node, self.text).to_string()),
        }
    }

    /// The elements of an array expression: array literals (with spreads), constants,
    /// `Object.values/keys/entries(obj)`, `arr.map(fn)`, `arr.concat(…)` and
    /// pass-through methods such as `filter` and `slice`.
    pub fn elements(&self, expr: &Expr<'a>) -> Vec<Element<'a>> {
        self.elements_at(expr, 0)
    }

    pub(super) fn elements_at(&self, expr: &Expr<'a>, depth: u32) -> Vec<Element<'a>> {
        let mut out = Vec::new();
        self.collect_elements(expr, depth, &mut out);
        out
    }

    fn collect_elements(&self, expr: &Expr<'a>, depth: u32, out: &mut Vec<Element<'a>>) {
        if depth > MAX_DEPTH || !self.step() {
            return;
        }
        let expr = self.resolve_at(expr, depth);
        match expr.node.kind() {
            "array" => {
                for item in children(expr.node) {
                    if out.len() >= MAX_ELEMENTS {
                        return;
                    }
                    if item.kind() == "spread_element" {
                        if let Some(&inner) = children(item).first() {
                            self.collect_elements(&expr.with(inner), depth + 1, out);
                        }
                    } else {
                        out.push(Element::Value(expr.with(item)));
                    }
                }
            }
            "call_expression" => self.collect_call_elements(&expr, depth, out),
            _ => {}
        }
    }

    fn collect_call_elements(&self, call: &Expr<'a>, depth: u32, out: &mut Vec<Element<'a>>) {
        let Some(callee) = field(call.node, "function") else {
            return;
        };
        let args = arguments(call.node);
        let object_method = field(callee, "object")
            .filter(|o| o.kind() == "identifier" && self.src(*o) == "Object")
            .and_then(|_| call_method(call.node, self.text));
        if let Some(which) = object_method {
            let Some(&arg) = args.first() else { return };
            let props = self.properties(&call.with(arg));
            for (key, value) in props.into_iter().take(MAX_ELEMENTS) {
                match which {
                    "values" => out.push(Element::Value(value)),
                    "entries" => {
                        let key_node = self
                            .property_key_node(&call.with(arg), &key)
                            .unwrap_or(value.node);
                        out.push(Element::Entry(key_node, value));
                    }
                    "keys" => {
                        if let Some(k) = self.property_key_node(&call.with(arg), &key) {
                            out.push(Element::Value(call.with(k)));
                        }
                    }
                    _ => return,
                }
            }
            return;
        }
        let Some(method) = call_method(call.node, self.text) else {
            return;
        };
        let Some(object) = field(callee, "object") else {
            return;
        };
        match method {
            "map" | "flatMap" => {
                let Some(&f) = args.first() else { return };
                let function = self.resolve(&call.with(f));
                if !is_function(function.node) {
                    return;
                }
                for element in self.elements_at(&call.with(object), depth + 1) {
                    let env = bind_first_parameter(self, function.node, &element, &function.env);
                    if let Some(result) = returned_expressions(function.node).into_iter().next() {
                        out.push(Element::Value(Expr::new(result, &env)));
                    }
                }
            }
            "concat" => {
                self.collect_elements(&call.with(object), depth + 1, out);
                for arg in args {
                    let resolved = self.resolve(&call.with(arg));
                    if resolved.node.kind() == "array" || resolved.node.kind() == "call_expression"
                    {
                        self.collect_elements(&resolved, depth + 1, out);
                    } else {
                        out.push(Element::Value(resolved));
                    }
                }
            }
            "filter" | "slice" | "reverse" | "sort" | "toSorted" | "flat" => {
                self.collect_elements(&call.with(object), depth + 1, out);
            }
            _ => {}
        }
    }

    /// The keys of the object `object` resolves to, as elements (for `for…in`).
    pub fn keys(&self, object: &Expr<'a>) -> Vec<Element<'a>> {
        self.properties(object)
            .into_iter()
            .filter_map(|(key, _)| self.property_key_node(object, &key))
            .map(|k| Element::Value(object.with(k)))
            .collect()
    }

    /// Follows `expr` like [`Eval::resolve`] and also returns every node passed on the
    /// way, the starting node first.
    pub fn resolve_trail(&self, expr: &Expr<'a>) -> (Expr<'a>, Vec<Node<'a>>) {
        let mut current = expr.clone();
        let mut trail = vec![current.node];
        for _ in 0..MAX_DEPTH {
            if !self.step() {
                break;
            }
            match self.resolve_once(&current, 0) {
                Some(next) => {
                    trail.push(next.node);
                    current = next;
                }
                None => break,
            }
        }
        (current, trail)
    }

    /// The key node of property `key` in the object `object` resolves to.
    fn property_key_node(&self, object: &Expr<'a>, key: &str) -> Option<Node<'a>> {
        let object = self.resolve(object);
        children(object.node).into_iter().rev().find_map(|part| {
            let k = match part.kind() {
                "pair" | "method_definition" => {
                    field(part, if part.kind() == "pair" { "key" } else { "name" })?
                }
                "shorthand_property_identifier" => part,
                _ => return None,
            };
            (self.key(&object.with(k)).as_deref() == Some(key)).then_some(k)
        })
    }

    /// The boolean value of `expr`: `true`, `false`, and the minifier's `!0` / `!1`.
    pub fn boolean(&self, expr: &Expr<'a>) -> Option<bool> {
        let resolved = self.resolve(expr);
        let node = resolved.node;
        match node.kind() {
            "true" => Some(true),
            "false" => Some(false),
            "unary_expression" if field(node, "operator").is_some_and(|o| self.src(o) == "!") => {
                let argument = resolved.with(field(node, "argument")?);
                let argument = self.resolve(&argument);
                match argument.node.kind() {
                    "number" => Some(self.src(argument.node).parse::<f64>().ok()? == 0.0),
                    _ => self.boolean(&argument).map(|b| !b),
                }
            }
            _ => None,
        }
    }

    /// The function `expr` refers to, if it resolves to one.
    pub fn function(&self, expr: &Expr<'a>) -> Option<Expr<'a>> {
        let resolved = self.resolve(expr);
        is_function(resolved.node).then_some(resolved)
    }
}
