//! The walk: statements in source order with lexical scopes, function bodies inline (so
//! closures see their captured variables), guards narrowing variables after checks.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use assay_core::{FlowStep, Location};
use tree_sitter::Node;

use super::guards::{self, Narrow, Rejection, Scope};
use super::index::FileIndex;
use super::locate::Locator;
use super::syntax::{
    always_exits, always_throws, children, field, is_function, key_text, parameter_pattern,
    parameters, string_value, text_of, unwrap,
};
use super::value::{Origin, Plain, Source, Value};
use crate::taint::{ParamFlow, ParamForward, SinkKind, SinkKinds, TaintFlow, TaintedCall};
use assay_core::Confidence;

/// Most expression and statement visits per file (a few passes over a 2 MB bundle).
const MAX_WORK: usize = 3_000_000;
/// How deep functions are summarised on demand from a call site.
const MAX_CALL_DEPTH: usize = 3;
/// Most origins a summary keeps for its return value.
const MAX_RETURNS: usize = 8;

/// Why a containment check on a path is not a full sanitizer.
const NOTE_NAIVE: &str = "the containment check is a naive `startsWith(root)` without a path separator: a sibling such as `<root>-evil` passes";
const NOTE_UNRESOLVED: &str = "containment is checked on the unresolved path (no `path.resolve`/`realpath` first): `..` segments pass";
const NOTE_SYMLINK: &str = "containment is checked without resolving symlinks (`realpath`): a link inside the root can point outside it";
const NOTE_DOTDOT: &str = "only `..` sequences are rejected: absolute paths still pass";

/// How a handler's parameters are tool input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// The first parameter is the arguments object.
    Args,
    /// The first parameter is a low-level `CallTool` (`GetPrompt`, `ReadResource`)
    /// request; `request.params.arguments` are the arguments.
    Request,
    /// A resource template handler: `(uri, variables)`.
    ResourceTemplate,
}

/// How to bind a handler function's parameters.
#[derive(Debug, Clone)]
pub(super) struct HandlerBinding {
    /// The tool, when the function serves exactly one.
    pub(super) tool: Option<Rc<str>>,
    /// The parameter names the inventory declares.
    pub(super) known: Rc<[String]>,
    /// Parameters validated as numbers or booleans (not sources).
    pub(super) scalar: Rc<[String]>,
    /// The parameters' shape.
    pub(super) shape: Shape,
}

/// A variable.
#[derive(Debug, Clone, Default)]
pub(super) struct Binding<'t> {
    /// Its value.
    pub(super) value: Value,
    /// The condition it holds (`const ok = dirs.some(…)`).
    pub(super) cond: Option<Node<'t>>,
    /// The variable it was computed from by a call or method (`const n = normalize(p)`),
    /// so a check of `n` also narrows `p`.
    pub(super) from: Option<&'t str>,
    /// For `const rel = path.relative(root, p)`: `p`.
    pub(super) relative_of: Option<&'t str>,
}

/// A function being walked.
pub(super) struct Frame {
    /// The union of its return values.
    pub(super) returns: Value,
}

/// What a function does with its parameters.
#[derive(Debug, Clone, Default)]
pub(super) struct Summary {
    /// Its display name.
    pub(super) name: Rc<str>,
    /// Parameters reaching sinks.
    pub(super) flows: Vec<ParamFlow>,
    /// Parameters passed to functions of other modules.
    pub(super) forwards: Vec<ParamForward>,
    /// Origins of its return value (its own parameters, or data it fetched).
    pub(super) returns: Vec<Origin>,
    /// False while it is being walked.
    pub(super) done: bool,
}

/// Everything found in the file.
#[derive(Default)]
pub(super) struct Found {
    /// Complete flows.
    pub(super) flows: Vec<TaintFlow>,
    /// Tainted calls to other modules.
    pub(super) calls: Vec<TaintedCall>,
}

/// The walk's state.
pub(super) struct Analyzer<'t> {
    pub(super) text: &'t str,
    pub(super) path: &'t str,
    pub(super) locator: Locator<'t>,
    pub(super) index: FileIndex<'t>,
    pub(super) handlers: HashMap<usize, HandlerBinding>,
    pub(super) nodes: HashMap<usize, Node<'t>>,
    pub(super) scopes: Vec<HashMap<&'t str, Binding<'t>>>,
    /// How many visible bindings are tainted (functions are only walked when they can
    /// see tainted data, hold a source or a handler, or are summarised).
    pub(super) tainted: usize,
    pub(super) frames: Vec<Frame>,
    pub(super) summaries: HashMap<usize, Summary>,
    pub(super) summarizing: Vec<usize>,
    pub(super) module_level: HashSet<usize>,
    pub(super) classes: Vec<Node<'t>>,
    /// One cursor reused for listing children (creating one allocates).
    pub(super) cursor: std::cell::RefCell<tree_sitter::TreeCursor<'t>>,
    pub(super) work: usize,
    pub(super) found: Found,
}

impl<'t> Analyzer<'t> {
    /// A walker over the file at `path`.
    pub(super) fn new(
        root: Node<'t>,
        text: &'t str,
        path: &'t str,
        index: FileIndex<'t>,
        handlers: HashMap<usize, HandlerBinding>,
    ) -> Analyzer<'t> {
        let module_level = index.exports.iter().map(|(_, f)| f.id()).collect();
        Analyzer {
            text,
            path,
            locator: Locator::new(path, text),
            index,
            handlers,
            nodes: HashMap::new(),
            scopes: vec![HashMap::new()],
            tainted: 0,
            frames: Vec::new(),
            summaries: HashMap::new(),
            summarizing: Vec::new(),
            module_level,
            classes: Vec::new(),
            cursor: std::cell::RefCell::new(root.walk()),
            work: 0,
            found: Found::default(),
        }
    }

    /// Counts one unit of work; false once the file's budget is spent.
    pub(super) fn tick(&mut self) -> bool {
        self.work += 1;
        self.work <= MAX_WORK
    }

    /// The location of `node`.
    pub(super) fn loc(&self, node: Node<'_>) -> Location {
        self.locator.location(node)
    }

    /// A hop at `node`.
    pub(super) fn step(&self, node: Node<'_>, message: String) -> FlowStep {
        FlowStep {
            location: self.loc(node),
            message,
        }
    }

    /// Named children of `node`, comments left out (with the shared cursor).
    pub(super) fn kids(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = self.cursor.borrow_mut();
        cursor.reset(node);
        let mut out = Vec::with_capacity(node.child_count());
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() && !child.is_extra() {
                    out.push(child);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    /// The source text of `node`.
    pub(super) fn src(&self, node: Node<'_>) -> &'t str {
        text_of(node, self.text)
    }

    // ---- scopes -------------------------------------------------------------------

    /// The binding of `name`, innermost first.
    pub(super) fn lookup(&self, name: &str) -> Option<&Binding<'t>> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// Declares `name` in the innermost scope.
    pub(super) fn declare(&mut self, name: &'t str, binding: Binding<'t>) {
        let tainted = binding.value.is_tainted();
        if let Some(scope) = self.scopes.last_mut()
            && let Some(old) = scope.insert(name, binding)
            && old.value.is_tainted()
        {
            self.tainted -= 1;
        }
        if tainted {
            self.tainted += 1;
        }
    }

    /// Assigns to an existing variable (or declares it where it is first seen).
    pub(super) fn assign_var(&mut self, name: &'t str, value: Value) {
        for scope in self.scopes.iter_mut().rev() {
            if let Some(binding) = scope.get_mut(name) {
                match (binding.value.is_tainted(), value.is_tainted()) {
                    (true, false) => self.tainted -= 1,
                    (false, true) => self.tainted += 1,
                    _ => {}
                }
                binding.value = value;
                binding.cond = None;
                return;
            }
        }
        self.declare(
            name,
            Binding {
                value,
                ..Binding::default()
            },
        );
    }

    /// Opens a scope.
    fn push_scope(&mut self) {
        self.scopes.push(HashMap::new());
    }

    /// Closes the innermost scope.
    fn pop_scope(&mut self) {
        if let Some(scope) = self.scopes.pop() {
            self.tainted -= scope.values().filter(|b| b.value.is_tainted()).count();
        }
    }

    /// Runs `f` in a fresh innermost scope.
    pub(super) fn scoped<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.push_scope();
        let r = f(self);
        self.pop_scope();
        r
    }

    /// Binds the function declarations of a block before its statements run (hoisting),
    /// and its imports.
    fn hoist(&mut self, block: Node<'t>) {
        for statement in self.kids(block) {
            let declaration = if statement.kind() == "export_statement" {
                field(statement, "declaration").unwrap_or(statement)
            } else {
                statement
            };
            match declaration.kind() {
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = field(declaration, "name") {
                        self.nodes.insert(declaration.id(), declaration);
                        let name = self.src(name);
                        self.declare(
                            name,
                            Binding {
                                value: Value {
                                    node: Some(declaration.id()),
                                    ..Value::default()
                                },
                                ..Binding::default()
                            },
                        );
                    }
                }
                "import_statement" => {
                    for (name, alias) in
                        super::names::import_bindings(declaration, self.text, self.path)
                    {
                        self.declare(
                            name,
                            Binding {
                                value: Value {
                                    alias: Some(Rc::new(alias)),
                                    ..Value::default()
                                },
                                ..Binding::default()
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    // ---- statements ----------------------------------------------------------------

    /// Walks the whole program.
    pub(super) fn walk_program(&mut self, root: Node<'t>) {
        self.hoist(root);
        self.walk_statements(root);
    }

    fn walk_statements(&mut self, block: Node<'t>) {
        for statement in self.kids(block) {
            if !self.tick() {
                return;
            }
            self.walk_statement(statement);
        }
    }

    fn walk_block(&mut self, block: Node<'t>) {
        if block.kind() == "statement_block" {
            self.scoped(|a| {
                a.hoist(block);
                a.walk_statements(block);
            });
        } else {
            self.walk_statement(block);
        }
    }

    fn walk_statement(&mut self, node: Node<'t>) {
        match node.kind() {
            "expression_statement" => {
                for child in self.kids(node) {
                    self.eval(child);
                    self.assertion(child);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for declarator in self
                    .kids(node)
                    .into_iter()
                    .filter(|d| d.kind() == "variable_declarator")
                {
                    self.declarator(declarator);
                }
            }
            "return_statement" => {
                let value = self
                    .kids(node)
                    .first()
                    .map(|c| self.eval(*c))
                    .unwrap_or_default();
                if let Some(frame) = self.frames.last_mut() {
                    frame.returns.absorb(&value);
                }
            }
            "if_statement" => self.walk_if(node),
            "switch_statement" => self.walk_switch(node),
            "for_in_statement" => {
                let items = field(node, "right")
                    .map(|r| self.eval(r))
                    .unwrap_or_default();
                let element = items.element();
                self.scoped(|a| {
                    if let Some(left) = field(node, "left") {
                        a.bind_pattern(left, element, None);
                    }
                    if let Some(body) = field(node, "body") {
                        a.walk_block(body);
                    }
                });
            }
            "statement_block" => self.walk_block(node),
            "try_statement" => {
                for part in self.kids(node) {
                    match part.kind() {
                        "catch_clause" => {
                            if let Some(body) = field(part, "body") {
                                self.walk_block(body);
                            }
                        }
                        "finally_clause" => {
                            if let Some(body) = self.kids(part).first() {
                                self.walk_block(*body);
                            }
                        }
                        _ => self.walk_block(part),
                    }
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                self.walk_function(node, None);
            }
            "class_declaration" | "abstract_class_declaration" => self.walk_class(node),
            "export_statement" => {
                for child in self.kids(node) {
                    match child.kind() {
                        "export_clause" | "string" => {}
                        k if k.ends_with("declaration") => self.walk_statement(child),
                        _ => {
                            self.eval(child);
                        }
                    }
                }
            }
            "import_statement" | "empty_statement" | "comment" | "debugger_statement"
            | "break_statement" | "continue_statement" => {}
            "type_alias_declaration" | "interface_declaration" | "enum_declaration" => {}
            _ => {
                // Loops, labels, throw, with, …: walk what they contain.
                for child in self.kids(node) {
                    if is_statement(child) {
                        self.walk_block(child);
                    } else {
                        self.eval(child);
                    }
                }
            }
        }
    }

    fn declarator(&mut self, declarator: Node<'t>) {
        let Some(name) = field(declarator, "name") else {
            return;
        };
        let value_node = field(declarator, "value");
        let mut value = value_node.map(|v| self.eval(v)).unwrap_or_default();
        // Only a `const` binding keeps a table constant.
        value.table &= declarator
            .parent()
            .is_some_and(|d| d.kind() == "lexical_declaration" && self.src(d).starts_with("const"));
        let step = value.is_tainted().then_some(declarator);
        if name.kind() == "identifier" {
            let value_node = value_node.map(unwrap);
            let binding = Binding {
                value: value.clone(),
                cond: value_node.filter(|v| is_condition(*v, self.text)),
                from: value_node.and_then(|v| computed_from(v, self.text)),
                relative_of: value_node.and_then(|v| relative_of(v, self.text)),
            };
            let name = self.src(name);
            let value = self.with_step(value, step, name);
            self.declare(name, Binding { value, ..binding });
        } else {
            self.bind_pattern(name, value, step);
        }
    }

    /// Adds an "assigned to" hop to a tainted value.
    fn with_step(&self, value: Value, at: Option<Node<'t>>, name: &str) -> Value {
        match at {
            Some(at) => {
                let step = self.step(at, format!("assigned to `{name}`"));
                value.map_origins(|o| o.push_step(step.clone()))
            }
            None => value,
        }
    }

    /// Binds a pattern (identifier, object or array destructuring) to `value`.
    pub(super) fn bind_pattern(&mut self, pattern: Node<'t>, value: Value, step: Option<Node<'t>>) {
        match pattern.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                let name = self.src(pattern);
                let value = self.with_step(value, step, name);
                self.declare(
                    name,
                    Binding {
                        value,
                        ..Binding::default()
                    },
                );
            }
            "object_pattern" => {
                for prop in self.kids(pattern) {
                    match prop.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let key = self.src(prop);
                            let member = self.member(&value, key, prop);
                            self.bind_pattern(prop, member, step);
                        }
                        "pair_pattern" => {
                            let (Some(key), Some(target)) =
                                (field(prop, "key"), field(prop, "value"))
                            else {
                                continue;
                            };
                            let member = self.member(&value, key_text(key, self.text), key);
                            self.bind_pattern(target, member, step);
                        }
                        "object_assignment_pattern" => {
                            let (Some(left), right) = (field(prop, "left"), field(prop, "right"))
                            else {
                                continue;
                            };
                            let key = self.src(left);
                            let mut member = self.member(&value, key, left);
                            if let Some(right) = right {
                                let default = self.eval(right);
                                member.absorb(&default);
                            }
                            self.bind_pattern(left, member, step);
                        }
                        "rest_pattern" => {
                            if let Some(inner) = self.kids(prop).first() {
                                self.bind_pattern(*inner, value.clone(), step);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                for (i, element) in self.kids(pattern).into_iter().enumerate() {
                    let item = value.element_at(i).unwrap_or_else(|| value.derived());
                    self.bind_pattern(element, item, step);
                }
            }
            "assignment_pattern" => {
                let mut value = value;
                if let Some(right) = field(pattern, "right") {
                    let default = self.eval(right);
                    value.absorb(&default);
                }
                if let Some(left) = field(pattern, "left") {
                    self.bind_pattern(left, value, step);
                }
            }
            "rest_pattern" => {
                if let Some(inner) = self.kids(pattern).first() {
                    self.bind_pattern(*inner, value, step);
                }
            }
            "required_parameter" | "optional_parameter" => {
                self.bind_pattern(parameter_pattern(pattern), value, step);
            }
            _ => {}
        }
    }

    fn walk_if(&mut self, node: Node<'t>) {
        let Some(condition) = field(node, "condition") else {
            return;
        };
        self.eval(condition);
        let consequence = field(node, "consequence");
        let alternative = field(node, "alternative").and_then(|a| self.kids(a).first().copied());
        if let Some(consequence) = consequence {
            self.scoped(|a| {
                a.narrow_by(condition, true);
                a.walk_block(consequence);
            });
        }
        if let Some(alternative) = alternative {
            self.scoped(|a| {
                a.narrow_by(condition, false);
                a.walk_block(alternative);
            });
        }
        // After `if (bad) throw …` (or a call to a helper that always throws, such as
        // `abort("…")`), the condition was false.
        if consequence.is_some_and(|c| self.leaves_branch(c)) {
            self.narrow_by(condition, false);
        } else if alternative.is_some_and(|a| self.leaves_branch(a)) {
            self.narrow_by(condition, true);
        }
    }

    /// Whether every path through `statement` leaves the enclosing block: a return,
    /// throw, break or continue, or a call to a function of this file that always throws.
    fn leaves_branch(&self, statement: Node<'t>) -> bool {
        if always_exits(statement) {
            return true;
        }
        let last = match statement.kind() {
            "statement_block" => self.kids(statement).last().copied(),
            _ => Some(statement),
        };
        last.filter(|s| s.kind() == "expression_statement")
            .and_then(|s| s.named_child(0))
            .map(unwrap)
            .filter(|e| e.kind() == "call_expression")
            .and_then(|call| field(call, "function"))
            .filter(|f| f.kind() == "identifier")
            .and_then(|f| {
                self.index
                    .functions
                    .get(text_of(f, self.text))
                    .copied()
                    .flatten()
            })
            .and_then(|function| field(function, "body"))
            .is_some_and(always_throws)
    }

    fn walk_switch(&mut self, node: Node<'t>) {
        let discriminant = field(node, "value").map(unwrap);
        if let Some(d) = discriminant {
            self.eval(d);
        }
        let Some(body) = field(node, "body") else {
            return;
        };
        for case in self.kids(body) {
            let value = field(case, "value");
            self.scoped(|a| {
                // `switch (x) { case "a": … }`: inside the case, `x` is a constant.
                if let (Some(d), Some(v)) = (discriminant, value)
                    && d.kind() == "identifier"
                    && string_value(v, a.text).is_some()
                {
                    a.apply(a.src(d), Narrow::Clear(SinkKinds::ALL), 0);
                }
                for statement in a.kids(case) {
                    if Some(statement) == value {
                        continue;
                    }
                    if !a.tick() {
                        return;
                    }
                    a.walk_statement(statement);
                }
            });
        }
    }

    /// `assert(cond)`-style calls: the condition holds afterwards.
    fn assertion(&mut self, expr: Node<'t>) {
        let expr = unwrap(expr);
        if expr.kind() != "call_expression" {
            return;
        }
        let Some(callee) = field(expr, "function") else {
            return;
        };
        let name = self.src(callee);
        if matches!(
            name,
            "assert" | "assert.ok" | "invariant" | "console.assert"
        ) && let Some(first) = super::syntax::arguments(expr).first()
        {
            self.narrow_by(*first, true);
        }
    }

    // ---- guards --------------------------------------------------------------------

    /// Narrows variables by what `condition` being `truth` proves.
    fn narrow_by(&mut self, condition: Node<'t>, truth: bool) {
        let facts = guards::facts(condition, truth, self.text, &*self);
        let mut checked = Vec::new();
        for fact in facts {
            let name = self.src(fact.var);
            if let Narrow::Plain(_) = fact.narrow {
                // What holds of one component does not hold of what it came from.
                self.rebind(name, |o| narrow_origin(o, fact.narrow));
                checked.push(name);
            } else {
                self.apply(name, fact.narrow, 0);
            }
        }
        let negated = unwrap(condition);
        let rejected = if !truth {
            guards::rejected(condition, self.text)
        } else if negated.kind() == "unary_expression" {
            field(negated, "argument").map_or_else(Vec::new, |a| guards::rejected(a, self.text))
        } else {
            Vec::new()
        };
        let no_parent = Narrow::Plain(Plain {
            no_separator: false,
            no_parent: true,
        });
        for (var, rejection) in rejected {
            let name = self.src(var);
            checked.push(name);
            match rejection {
                Rejection::LeadingDash => {
                    self.apply(name, Narrow::Clear(SinkKinds::of(&[SinkKind::Argument])), 0)
                }
                Rejection::ParentEscape => {
                    if let Some(target) = self.lookup(name).and_then(|b| b.relative_of) {
                        self.apply(target, Narrow::Contained { correct: true }, 0);
                    }
                    self.rebind(name, |o| narrow_origin(o, no_parent));
                }
                Rejection::DotDot => self.rebind(name, |o| {
                    o.guard
                        .weaken(SinkKind::PathAccess, Confidence::Medium, NOTE_DOTDOT);
                    narrow_origin(o, no_parent);
                }),
                Rejection::Parent => self.rebind(name, |o| narrow_origin(o, no_parent)),
                Rejection::Separator => self.rebind(name, |o| {
                    narrow_origin(
                        o,
                        Narrow::Plain(Plain {
                            no_separator: true,
                            no_parent: false,
                        }),
                    )
                }),
            }
        }
        self.contain_file_names(&checked);
    }

    /// `rel = path.relative(root, p)` proven a plain file name: `p` is an entry of
    /// `root` itself, so it is contained.
    fn contain_file_names(&mut self, names: &[&'t str]) {
        for name in names {
            let Some(binding) = self.lookup(name) else {
                continue;
            };
            let plain = binding.value.is_tainted()
                && binding
                    .value
                    .origins
                    .iter()
                    .all(|o| o.guard.plain.is_file_name());
            if let (true, Some(target)) = (plain, binding.relative_of) {
                self.apply(
                    target,
                    Narrow::Clear(SinkKinds::of(&[SinkKind::PathAccess])),
                    0,
                );
            }
        }
    }

    /// Applies a narrowing to `name` (and the variable it was computed from).
    fn apply(&mut self, name: &'t str, narrow: Narrow, depth: usize) {
        self.rebind(name, |origin| narrow_origin(origin, narrow));
        if depth < 3
            && let Some(from) = self.lookup(name).and_then(|b| b.from)
            && from != name
        {
            self.apply(from, narrow, depth + 1);
        }
    }

    /// Rebinds `name` in the innermost scope with its origins changed by `f`.
    fn rebind(&mut self, name: &'t str, f: impl FnMut(&mut Origin)) {
        let Some(binding) = self.lookup(name).cloned() else {
            return;
        };
        if !binding.value.is_tainted() {
            return;
        }
        let value = binding.value.clone().map_origins(f);
        self.declare(name, Binding { value, ..binding });
    }

    // ---- functions and classes -------------------------------------------------------

    /// Walks a function body. `given` binds the parameters to known values (callbacks of
    /// `.then`/`.map`); otherwise handler parameters are tool input and the parameters of
    /// summarised functions are symbolic. Returns the union of its return values.
    pub(super) fn walk_function(&mut self, function: Node<'t>, given: Option<Vec<Value>>) -> Value {
        let id = function.id();
        self.nodes.insert(id, function);
        let summarise = given.is_none()
            && (self.module_level.contains(&id) || self.summarizing.last() == Some(&id));
        if given.is_none()
            && self.module_level.contains(&id)
            && !self.handlers.contains_key(&id)
            && self.summaries.get(&id).is_some_and(|s| s.done)
            && self.summarizing.last() != Some(&id)
        {
            return Value::default();
        }
        let handler = self.handlers.get(&id).cloned();
        if given.is_none() && !summarise && handler.is_none() && self.inert(function) {
            return Value::default();
        }
        if summarise {
            let name = self.function_name(function);
            self.summaries.entry(id).or_insert_with(|| Summary {
                name,
                ..Summary::default()
            });
        }
        self.push_scope();
        self.frames.push(Frame {
            returns: Value::default(),
        });
        let params = parameters(function);
        for (i, param) in params.iter().enumerate() {
            let value = if let Some(given) = &given {
                given.get(i).cloned().unwrap_or_default()
            } else if let Some(handler) = &handler {
                self.handler_param(handler, i, *param)
            } else if summarise {
                self.symbolic_param(function, i, *param)
            } else {
                Value::default()
            };
            self.bind_pattern(*param, value, None);
        }
        if let Some(body) = field(function, "body") {
            if body.kind() == "statement_block" {
                self.hoist(body);
                self.walk_statements(body);
            } else {
                let value = self.eval(body);
                if let Some(frame) = self.frames.last_mut() {
                    frame.returns.absorb(&value);
                }
            }
        }
        let frame = self.frames.pop().unwrap_or(Frame {
            returns: Value::default(),
        });
        self.pop_scope();
        if summarise && let Some(summary) = self.summaries.get_mut(&id) {
            for origin in frame.returns.origins.iter() {
                if summary.returns.len() < MAX_RETURNS && !summary.returns.contains(origin) {
                    summary.returns.push(origin.clone());
                }
            }
            summary.done = true;
        }
        frame.returns
    }

    /// Whether walking `function` now cannot find anything: it sees no tainted data and
    /// holds no handler and no call that may fetch remote data. (If it is called with
    /// tainted arguments later, its summary is computed then.)
    fn inert(&self, function: Node<'t>) -> bool {
        self.tainted == 0
            && !self
                .index
                .has_interest_within(function.start_byte(), function.end_byte())
    }

    /// The value of parameter `index` of a handler.
    fn handler_param(&self, handler: &HandlerBinding, index: usize, param: Node<'t>) -> Value {
        let pattern = parameter_pattern(param);
        let tool = handler.tool.clone();
        let origin = |source: Source, message: String| {
            Value::tainted(Origin::new(source, self.step(pattern, message)))
        };
        let arguments = |name: &str| {
            origin(
                Source::Tool {
                    tool: tool.clone(),
                    param: name.into(),
                    object: true,
                    known: handler.known.clone(),
                    scalar: handler.scalar.clone(),
                },
                format!("tool arguments `{name}`"),
            )
        };
        let name = if pattern.kind() == "identifier" {
            self.src(pattern)
        } else {
            "arguments"
        };
        match (handler.shape, index) {
            (Shape::Args, 0) => arguments(name),
            (Shape::Request, 0) => origin(
                Source::Request {
                    params: false,
                    tool: tool.clone(),
                },
                format!("request `{name}`"),
            ),
            (Shape::ResourceTemplate, 0) => origin(
                Source::Tool {
                    tool: tool.clone(),
                    param: "uri".into(),
                    object: false,
                    known: Rc::from(Vec::new()),
                    scalar: Rc::from(Vec::new()),
                },
                "resource URI".to_string(),
            ),
            (Shape::ResourceTemplate, 1) => arguments(name),
            _ => Value::default(),
        }
    }

    /// The symbolic value of parameter `index` of a summarised function.
    fn symbolic_param(&self, function: Node<'t>, index: usize, param: Node<'t>) -> Value {
        let pattern = parameter_pattern(param);
        let name = if pattern.kind() == "identifier" {
            self.src(pattern).to_string()
        } else {
            format!("#{}", index + 1)
        };
        let owner = self.function_name(function);
        Value::tainted(Origin::new(
            Source::Param {
                function: function.id(),
                index,
                field: None,
                object: true,
            },
            self.step(pattern, format!("parameter `{name}` of `{owner}`")),
        ))
    }

    /// A function's display name.
    pub(super) fn function_name(&self, function: Node<'t>) -> Rc<str> {
        if let Some(name) = field(function, "name") {
            return self.src(name).into();
        }
        if let Some(parent) = function.parent() {
            let named = match parent.kind() {
                "variable_declarator" => field(parent, "name"),
                "pair" => field(parent, "key"),
                "assignment_expression" => field(parent, "left"),
                _ => None,
            };
            if let Some(named) = named {
                return self.src(named).into();
            }
        }
        "anonymous function".into()
    }

    fn walk_class(&mut self, class: Node<'t>) {
        let Some(body) = field(class, "body") else {
            return;
        };
        self.classes.push(class);
        for member in self.kids(body) {
            if member.kind() == "method_definition" {
                self.walk_function(member, None);
            } else {
                for child in self.kids(member) {
                    if !matches!(child.kind(), "property_identifier" | "type_annotation") {
                        self.eval(child);
                    }
                }
            }
        }
        self.classes.pop();
    }

    /// The method `name` of the class being walked.
    pub(super) fn this_method(&self, name: &str) -> Option<Node<'t>> {
        let class = self.classes.last()?;
        let body = field(*class, "body")?;
        self.kids(body).into_iter().find(|m| {
            m.kind() == "method_definition"
                && field(*m, "name").is_some_and(|n| self.src(n) == name)
        })
    }

    /// The summary of a same-file function, walking it now if needed (bounded depth).
    pub(super) fn summary_of(&mut self, function: Node<'t>) -> Option<Summary> {
        let id = function.id();
        if let Some(summary) = self.summaries.get(&id)
            && (summary.done || self.summarizing.contains(&id))
        {
            return Some(summary.clone());
        }
        if self.summarizing.len() >= MAX_CALL_DEPTH || self.work > MAX_WORK {
            return None;
        }
        // Walk it with only module-level names visible (its call site's scope is not its
        // lexical scope).
        let scopes = std::mem::replace(&mut self.scopes, vec![HashMap::new()]);
        let tainted = std::mem::take(&mut self.tainted);
        let classes = std::mem::take(&mut self.classes);
        if function.kind() == "method_definition"
            && let Some(class) = function.parent().and_then(|b| b.parent())
        {
            self.classes.push(class);
        }
        self.summarizing.push(id);
        self.walk_function(function, None);
        self.summarizing.pop();
        self.scopes = scopes;
        self.tainted = tainted;
        self.classes = classes;
        self.summaries.get(&id).cloned()
    }
}

impl<'t> Scope<'t> for Analyzer<'t> {
    fn condition_of(&self, name: &str) -> Option<Node<'t>> {
        self.lookup(name).and_then(|b| b.cond)
    }

    fn function_of(&self, callee: Node<'t>) -> Option<Node<'t>> {
        let callee = unwrap(callee);
        if callee.kind() != "identifier" {
            return None;
        }
        let name = self.src(callee);
        match self.lookup(name) {
            Some(binding) => binding
                .value
                .node
                .and_then(|id| self.nodes.get(&id).copied())
                .filter(|n| is_function(*n)),
            None => self.index.function(name),
        }
    }
}

/// Applies a narrowing to one origin.
fn narrow_origin(origin: &mut Origin, narrow: Narrow) {
    match narrow {
        Narrow::Clear(kinds) => origin.guard.cleared = origin.guard.cleared.union(kinds),
        Narrow::Equal => origin.guard.cleared = SinkKinds::ALL,
        Narrow::Contained { correct: true } => {
            if origin.guard.realpath {
                origin.guard.cleared = origin
                    .guard
                    .cleared
                    .union(SinkKinds::of(&[SinkKind::PathAccess]));
            } else if origin.guard.resolved {
                origin
                    .guard
                    .weaken(SinkKind::PathAccess, Confidence::Low, NOTE_SYMLINK);
            } else {
                origin
                    .guard
                    .weaken(SinkKind::PathAccess, Confidence::Medium, NOTE_UNRESOLVED);
            }
        }
        Narrow::Contained { correct: false } => {
            origin
                .guard
                .weaken(SinkKind::PathAccess, Confidence::Medium, NOTE_NAIVE)
        }
        Narrow::Plain(plain) => {
            origin.guard.plain = origin.guard.plain.either(plain);
            // A file name joined to any directory stays in it.
            if origin.guard.plain.is_file_name() {
                origin.guard.cleared = origin
                    .guard
                    .cleared
                    .union(SinkKinds::of(&[SinkKind::PathAccess]));
            }
        }
    }
}

fn is_statement(node: Node<'_>) -> bool {
    node.kind().ends_with("statement")
        || node.kind().ends_with("declaration")
        || node.kind() == "statement_block"
}

/// Whether an initialiser is a condition worth remembering (`dirs.some(…)`,
/// `x.startsWith(…)`, comparisons, negations).
fn is_condition(value: Node<'_>, text: &str) -> bool {
    match value.kind() {
        "unary_expression" => true,
        "binary_expression" => field(value, "operator")
            .is_some_and(|o| matches!(text_of(o, text), "===" | "!==" | "==" | "!=" | "&&" | "||")),
        "call_expression" => field(value, "function").is_some_and(|f| {
            let f = unwrap(f);
            let name = match f.kind() {
                "member_expression" => field(f, "property").map_or("", |p| text_of(p, text)),
                _ => text_of(f, text),
            };
            matches!(
                name,
                "some" | "every" | "includes" | "has" | "startsWith" | "test"
            ) || name.starts_with("is")
        }),
        _ => false,
    }
}

/// The variable an initialiser computes from: `p` in `normalize(p)`, `p.trim()`,
/// `path.resolve(root, p)`, `await fs.realpath(p)`.
fn computed_from<'t>(value: Node<'t>, text: &'t str) -> Option<&'t str> {
    let value = unwrap(value);
    let value = if value.kind() == "await_expression" {
        unwrap(children(value).first().copied()?)
    } else {
        value
    };
    match value.kind() {
        "identifier" => Some(text_of(value, text)),
        // `new URL(u, base)`: a check of the parsed URL is a check of `u`.
        "new_expression" => {
            let constructor = unwrap(field(value, "constructor")?);
            let first = unwrap(*super::syntax::arguments(value).first()?);
            (text_of(constructor, text) == "URL" && first.kind() == "identifier")
                .then(|| text_of(first, text))
        }
        "call_expression" => {
            let args = super::syntax::arguments(value);
            if let Some(last) = args.last().map(|a| unwrap(*a))
                && last.kind() == "identifier"
            {
                return Some(text_of(last, text));
            }
            let callee = unwrap(field(value, "function")?);
            let object = unwrap(field(callee, "object")?);
            (object.kind() == "identifier").then(|| text_of(object, text))
        }
        _ => None,
    }
}

/// For `path.relative(root, p)`: `p`.
fn relative_of<'t>(value: Node<'t>, text: &'t str) -> Option<&'t str> {
    let value = unwrap(value);
    if value.kind() != "call_expression" {
        return None;
    }
    let callee = unwrap(field(value, "function")?);
    let is_relative = field(callee, "property").is_some_and(|p| text_of(p, text) == "relative");
    let args = super::syntax::arguments(value);
    let target = unwrap(*args.get(1)?);
    (is_relative && target.kind() == "identifier").then(|| text_of(target, text))
}
