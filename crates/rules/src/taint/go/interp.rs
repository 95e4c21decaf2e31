//! The interpreter's state and its statement walk. One function is walked at a time, in
//! source order, with an environment of local variables; branches are walked on copies
//! of the environment and joined afterwards (a branch that always exits contributes
//! nothing), which is how sanitizer guards (`if !allowed[x] { return }`) take effect.
//! Functions of the file are summarised once ([`FnSummary`], memoised, bounded depth)
//! and the summaries are applied at every call.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use assay_core::Confidence;
use tree_sitter::Node;

use super::index::FileIndex;
use super::value::{Label, Origin, Value};
use crate::taint::{CallTarget, Effect, ParamFlow, ParamForward, SinkKind, TaintFlow, TaintedCall};

/// Nested summaries computed while another is in progress.
const MAX_SUMMARY_DEPTH: usize = 3;
/// Work units (statements, expressions, copied variables) per file.
const MAX_WORK: usize = 3_000_000;

/// What a function does with its parameters, for callers in the same file.
#[derive(Debug, Default)]
pub(super) struct FnSummary {
    /// Parameters reaching sinks.
    pub flows: Vec<ParamFlow>,
    /// Parameters passed to functions defined elsewhere.
    pub forwards: Vec<ParamForward>,
    /// The values returned, per result position (labels may be parameters).
    pub returns: Vec<Value>,
    /// Effects of the function and of the same-file functions it calls.
    pub effects: Vec<Effect>,
}

/// A guard variable: what a boolean (or `filepath.Rel` result) says about a variable.
#[derive(Debug, Clone, Copy)]
pub(super) enum GuardVar<'t> {
    /// `_, ok := allowed[x]`, `ok := slices.Contains(list, x)`: `x` is allowlisted.
    Member(&'t str),
    /// `ok := re.MatchString(x)`: anchored or not.
    Regex(&'t str, bool),
    /// `rel, err := filepath.Rel(root, x)`: `rel` describes `x` relative to the root.
    Rel(&'t str),
    /// `info, err := os.Lstat(x)`: `info` tells whether `x` is a symlink.
    Lstat(&'t str),
}

/// Local variables of the function being walked.
#[derive(Debug, Clone, Default)]
pub(super) struct Env<'t> {
    /// Values by name.
    pub vars: HashMap<&'t str, Value>,
    /// Boolean and `Rel` results that guard another variable.
    pub guards: HashMap<&'t str, GuardVar<'t>>,
    /// `u := url.Parse(x)`: `u` → `x`.
    pub parents: HashMap<&'t str, &'t str>,
    /// Compiled regular expressions: anchored or not.
    pub regexes: HashMap<&'t str, bool>,
    /// Declared type names of variables (`var args Input`, `args := Input{}`).
    pub types: HashMap<&'t str, &'t str>,
}

impl<'t> Env<'t> {
    /// Joins the environment of another path into this one.
    pub(super) fn merge(&mut self, other: Env<'t>) {
        for (name, value) in other.vars {
            match self.vars.get_mut(name) {
                Some(existing) => existing.join(value),
                None => {
                    self.vars.insert(name, value);
                }
            }
        }
        for (name, guard) in other.guards {
            self.guards.entry(name).or_insert(guard);
        }
        for (name, parent) in other.parents {
            self.parents.entry(name).or_insert(parent);
        }
        for (name, anchored) in other.regexes {
            self.regexes.entry(name).or_insert(anchored);
        }
        for (name, ty) in other.types {
            self.types.entry(name).or_insert(ty);
        }
    }
}

/// A sink reached by a label, with the complete path.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    /// The label; its last step is the sink.
    pub label: Label,
    /// The sink kind.
    pub kind: SinkKind,
    /// The sink's callee as written.
    pub callee: String,
    /// The sink's line.
    pub snippet: String,
    /// Confidence of the flow.
    pub confidence: Confidence,
}

/// The state of one function walk.
pub(super) struct Frame<'t> {
    /// The function.
    pub function: Node<'t>,
    /// Its name, for messages.
    pub name: String,
    /// The receiver variable and type name of a method.
    pub receiver: Option<(&'t str, &'t str)>,
    /// Local variables.
    pub env: Env<'t>,
    /// Returned values per position.
    pub returns: Vec<Value>,
    /// Sinks reached.
    pub hits: Vec<Hit>,
    /// Tainted calls to functions defined elsewhere.
    pub calls: Vec<(CallTarget, Label)>,
    /// Effects, in walk order.
    pub effects: Vec<Effect>,
    /// The tool whose handler this is (handler walks only).
    pub tool: Option<String>,
}

/// The interpreter for one file.
pub(super) struct Interp<'t, 'a> {
    /// The file's declarations.
    pub ix: &'a FileIndex<'t>,
    summaries: HashMap<usize, Rc<FnSummary>>,
    in_progress: HashSet<usize>,
    work: usize,
    /// Complete flows found so far.
    pub flows: Vec<TaintFlow>,
    /// Tainted calls to functions of other files found so far.
    pub calls: Vec<TaintedCall>,
}

impl<'t, 'a> Interp<'t, 'a> {
    /// An interpreter over `ix`.
    pub(super) fn new(ix: &'a FileIndex<'t>) -> Self {
        Interp {
            ix,
            summaries: HashMap::new(),
            in_progress: HashSet::new(),
            work: 0,
            flows: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// Counts `units` of work; false once the file's budget is spent.
    pub(super) fn tick(&mut self, units: usize) -> bool {
        self.work = self.work.saturating_add(units);
        self.work <= MAX_WORK
    }

    /// A frame for walking `function`, its receiver bound.
    pub(super) fn frame(&self, function: Node<'t>, tool: Option<String>) -> Frame<'t> {
        let name = function
            .child_by_field_name("name")
            .map_or("func literal", |n| self.ix.text_of(n))
            .to_string();
        let receiver = function.child_by_field_name("receiver").and_then(|r| {
            let decl = r.named_child(0)?;
            let var = self.ix.text_of(decl.child_by_field_name("name")?);
            Some((var, super::index::receiver_type(self.ix, function)?))
        });
        Frame {
            function,
            name,
            receiver,
            env: Env::default(),
            returns: Vec::new(),
            hits: Vec::new(),
            calls: Vec::new(),
            effects: Vec::new(),
            tool,
        }
    }

    /// Walks the body of the frame's function and turns what it found with source
    /// origins into file-level flows and calls. Returns the frame for its parameter
    /// results.
    pub(super) fn run(&mut self, mut f: Frame<'t>) -> Frame<'t> {
        if let Some(body) = f.function.child_by_field_name("body") {
            self.block(&mut f, body);
        }
        for hit in &f.hits {
            if let Origin::Source(source) = &hit.label.origin {
                let tool = hit.label.tool.clone().or_else(|| f.tool.clone());
                self.flows.push(TaintFlow {
                    sink: hit.kind,
                    source: source.clone(),
                    steps: hit.label.steps.clone(),
                    sink_callee: hit.callee.clone(),
                    sink_snippet: hit.snippet.clone(),
                    tool,
                    confidence: hit.confidence,
                    context: crate::PathContext::of(self.ix.path),
                });
            }
        }
        for (call, label) in &f.calls {
            if let Origin::Source(source) = &label.origin {
                self.calls.push(TaintedCall {
                    call: call.clone(),
                    source: source.clone(),
                    steps: label.steps.clone(),
                    tool: label.tool.clone().or_else(|| f.tool.clone()),
                    confidence: if label.partial {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    },
                    cleared: label.clean,
                });
            }
        }
        f
    }

    /// The summary of `function` (memoised). `None` inside a recursion or too deep.
    pub(super) fn summary(&mut self, function: Node<'t>) -> Option<Rc<FnSummary>> {
        if let Some(summary) = self.summaries.get(&function.id()) {
            return Some(Rc::clone(summary));
        }
        if self.in_progress.len() >= MAX_SUMMARY_DEPTH || !self.in_progress.insert(function.id()) {
            return None;
        }
        let mut frame = self.frame(function, None);
        self.seed_parameters(&mut frame);
        let frame = self.run(frame);
        self.in_progress.remove(&function.id());
        let summary = Rc::new(summarize_frame(frame));
        self.summaries.insert(function.id(), Rc::clone(&summary));
        Some(summary)
    }

    /// Walks a block or statement list.
    pub(super) fn block(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        let mut cursor = node.walk();
        let statements: Vec<_> = node.named_children(&mut cursor).collect();
        for statement in statements {
            self.statement(f, statement);
        }
    }

    fn statement(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        if !self.tick(1) {
            return;
        }
        match node.kind() {
            "block" | "statement_list" => self.block(f, node),
            "short_var_declaration" | "assignment_statement" => self.assignment(f, node),
            "var_declaration" => {
                for spec in super::index::descendants(node, "var_spec") {
                    self.var_spec(f, spec);
                }
            }
            "expression_statement" | "go_statement" | "defer_statement" => {
                if let Some(expr) = node.named_child(0) {
                    self.eval(f, expr);
                }
            }
            "send_statement" => {
                if let Some(value) = node.child_by_field_name("value") {
                    self.eval(f, value);
                }
            }
            "return_statement" => self.return_statement(f, node),
            "if_statement" => self.if_statement(f, node),
            "expression_switch_statement" | "type_switch_statement" => self.switch(f, node),
            "select_statement" => self.cases(f, node, None),
            "for_statement" => self.for_statement(f, node),
            "labeled_statement" => {
                if let Some(inner) = node.named_child(1) {
                    self.statement(f, inner);
                }
            }
            _ => {}
        }
    }

    fn return_statement(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        let Some(list) = node.named_child(0) else {
            return;
        };
        let exprs = expressions(list);
        let values: Vec<Value> = if exprs.len() == 1 {
            self.eval_multi(f, exprs[0], 1)
        } else {
            exprs.iter().map(|e| self.eval(f, *e)).collect()
        };
        let location = self.ix.location(node);
        for (i, value) in values.into_iter().enumerate() {
            let value = value.step(&location, &format!("returned from `{}`", f.name));
            if f.returns.len() <= i {
                f.returns.resize_with(i + 1, Value::default);
            }
            f.returns[i].join(value);
        }
    }

    fn if_statement(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        if let Some(init) = node.child_by_field_name("initializer") {
            self.statement(f, init);
        }
        let Some(condition) = node.child_by_field_name("condition") else {
            return;
        };
        self.eval(f, condition);
        let (when_true, when_false) = self.narrowings(&f.env, condition);
        let before = f.env.clone();
        let mut then_env = before.clone();
        self.apply(&mut then_env, &when_true);
        let mut else_env = before;
        self.apply(&mut else_env, &when_false);
        if !self.tick(then_env.vars.len() * 2) {
            return;
        }
        let consequence = node.child_by_field_name("consequence");
        let alternative = node.child_by_field_name("alternative");
        f.env = then_env;
        if let Some(consequence) = consequence {
            self.block(f, consequence);
        }
        let then_env = std::mem::replace(&mut f.env, else_env);
        if let Some(alternative) = alternative {
            self.statement(f, alternative);
        }
        let then_exits = consequence.is_some_and(|c| self.exits(c));
        let else_exits = alternative.is_some_and(|a| self.exits(a));
        match (then_exits, else_exits) {
            (true, _) => {}
            (false, true) => f.env = then_env,
            (false, false) => f.env.merge(then_env),
        }
    }

    fn switch(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        if let Some(init) = node.child_by_field_name("initializer") {
            self.statement(f, init);
        }
        let value = node.child_by_field_name("value");
        if let Some(value) = value {
            let evaluated = self.eval(f, value);
            // `switch v := x.(type)` binds `v` to `x` in every case.
            if let Some(alias) = node.child_by_field_name("alias") {
                for name in expressions(alias) {
                    f.env.vars.insert(self.ix.text_of(name), evaluated.clone());
                }
            }
        }
        let subject = value.filter(|_| node.kind() == "expression_switch_statement");
        self.cases(f, node, subject);
    }

    /// Walks the cases of a switch or select. With a `subject` (`switch x {…}`), a case
    /// listing only literals allowlists `x` in its body; a tagless switch's case
    /// conditions narrow like `if`s.
    fn cases(&mut self, f: &mut Frame<'t>, node: Node<'t>, subject: Option<Node<'t>>) {
        let mut cursor = node.walk();
        let cases: Vec<_> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind().ends_with("_case"))
            .collect();
        let tagless = node.kind() == "expression_switch_statement" && subject.is_none();
        let mut rest = f.env.clone();
        let mut after: Option<Env<'t>> = None;
        let mut has_default = false;
        for case in cases {
            let mut env = rest.clone();
            if !self.tick(env.vars.len() + 1) {
                return;
            }
            let values = case.child_by_field_name("value").map(expressions);
            if case.kind() == "default_case" {
                has_default = true;
            } else if let Some(values) = &values {
                if let Some(subject) = subject
                    && values.iter().all(|v| is_literal(*v))
                {
                    let facts = self.literal_match(subject);
                    self.apply(&mut env, &facts);
                } else if tagless && let [condition] = values.as_slice() {
                    let (t, fl) = self.narrowings(&rest, *condition);
                    self.apply(&mut env, &t);
                    self.apply(&mut rest, &fl);
                }
            }
            f.env = env;
            let mut cursor = case.walk();
            let body: Vec<_> = case
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "statement_list")
                .collect();
            for list in &body {
                self.block(f, *list);
            }
            let exits = body.last().is_some_and(|b| self.exits(*b));
            let env = std::mem::take(&mut f.env);
            if !exits {
                match after.as_mut() {
                    Some(a) => a.merge(env),
                    None => after = Some(env),
                }
            }
        }
        let mut result = if has_default { None } else { Some(rest) };
        if let Some(a) = after {
            match result.as_mut() {
                Some(r) => r.merge(a),
                None => result = Some(a),
            }
        }
        f.env = result.unwrap_or_default();
    }

    fn for_statement(&mut self, f: &mut Frame<'t>, node: Node<'t>) {
        let before = f.env.clone();
        let mut cursor = node.walk();
        let header: Vec<_> = node.named_children(&mut cursor).collect();
        for part in header {
            match part.kind() {
                "range_clause" => {
                    let Some(right) = part.child_by_field_name("right") else {
                        continue;
                    };
                    let value = self.eval(f, right).plain();
                    if let Some(left) = part.child_by_field_name("left") {
                        // `for i, v := range xs`: the element is the second name (or the
                        // key of a map — both carry the collection's taint).
                        for name in expressions(left) {
                            self.bind(f, name, value.clone());
                        }
                    }
                }
                "for_clause" => {
                    if let Some(init) = part.child_by_field_name("initializer") {
                        self.statement(f, init);
                    }
                }
                "block" => {}
                _ => {
                    self.eval(f, part);
                }
            }
        }
        if let Some(body) = node.child_by_field_name("body") {
            self.block(f, body);
        }
        // The body may not run at all.
        f.env.merge(before);
    }

    /// Whether `node` (a statement or block) always leaves the enclosing block.
    pub(super) fn exits(&self, node: Node<'t>) -> bool {
        match node.kind() {
            "block" | "statement_list" => {
                let mut cursor = node.walk();
                let last = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .last();
                last.is_some_and(|l| self.exits(l))
            }
            "return_statement" | "goto_statement" | "break_statement" | "continue_statement" => {
                true
            }
            "if_statement" => {
                node.child_by_field_name("consequence")
                    .is_some_and(|c| self.exits(c))
                    && node
                        .child_by_field_name("alternative")
                        .is_some_and(|a| self.exits(a))
            }
            "expression_statement" => node
                .named_child(0)
                .is_some_and(|call| self.is_terminating_call(call)),
            _ => false,
        }
    }

    fn is_terminating_call(&self, call: Node<'t>) -> bool {
        if call.kind() != "call_expression" {
            return false;
        }
        let Some(function) = call.child_by_field_name("function") else {
            return false;
        };
        let text = self.ix.text_of(function);
        text == "panic"
            || text == "os.Exit"
            || text == "runtime.Goexit"
            || text.rsplit('.').next().is_some_and(|name| {
                matches!(
                    name,
                    "Fatal" | "Fatalf" | "Fatalln" | "Panic" | "Panicf" | "Panicln" | "FailNow"
                )
            })
    }

    /// Records a tainted call to a function defined elsewhere.
    pub(super) fn record_call(f: &mut Frame<'t>, target: CallTarget, label: Label) {
        if f.calls.len() < 256
            && !f
                .calls
                .iter()
                .any(|(t, l)| *t == target && l.origin == label.origin)
        {
            f.calls.push((target, label));
        }
    }
}

/// The parameter results of a summary walk.
fn summarize_frame(frame: Frame<'_>) -> FnSummary {
    let mut summary = FnSummary {
        returns: frame.returns,
        effects: frame.effects,
        ..FnSummary::default()
    };
    for hit in frame.hits {
        if let Origin::Param { index, field } = hit.label.origin {
            summary.flows.push(ParamFlow {
                param_index: index,
                field,
                sink: hit.kind,
                steps: hit.label.steps,
                sink_callee: hit.callee,
                sink_snippet: hit.snippet,
                confidence: hit.confidence,
            });
        }
    }
    for (call, label) in frame.calls {
        if let Origin::Param { index, field } = label.origin {
            summary.forwards.push(ParamForward {
                param_index: index,
                field,
                call,
                steps: label.steps,
                cleared: label.clean,
            });
        }
    }
    summary
}

/// Whether remote data reaching `kind` is worth a flow: following links from a response
/// or sending data to where a response points is ordinary client behaviour.
pub(super) fn remote_data_matters(kind: SinkKind) -> bool {
    !matches!(kind, SinkKind::Url | SinkKind::OutboundData)
}

/// The expressions of an `expression_list` (or the node itself).
pub(super) fn expressions(node: Node<'_>) -> Vec<Node<'_>> {
    if node.kind() != "expression_list" {
        return vec![node];
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// String, rune and number literals.
pub(super) fn is_literal(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "interpreted_string_literal"
            | "raw_string_literal"
            | "rune_literal"
            | "int_literal"
            | "float_literal"
            | "true"
            | "false"
            | "nil"
    )
}
