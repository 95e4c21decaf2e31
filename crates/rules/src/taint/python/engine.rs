//! The per-file analyser: one [`Summary`] per function, computed on demand and memoised,
//! with every parameter tainted by its own [`Origin::Param`] so that callers (in this
//! file, through [`FnCx::apply_summary`], or in others, through
//! [`FunctionSummary`](crate::taint::FunctionSummary)s) can replay it with their data.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use assay_core::{Confidence, FlowStep, Location};
use tree_sitter::Node;

use super::index::FileIndex;
use super::value::{Kind, Origin, Trace, Value};
use crate::inventory::common::node_location;
use crate::taint::{CallTarget, Effect, SinkKind, SinkKinds};

/// How deep same-file calls are followed into their callees.
pub(super) const MAX_CALL_DEPTH: usize = 3;
/// Syntax nodes evaluated per file (statements and expressions); generated files stop
/// being analysed once it is spent.
const FILE_BUDGET: usize = 600_000;
/// Longest snippet kept for a sink line.
const MAX_SNIPPET: usize = 200;

/// Tainted data reaching a sink.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    /// The trace, its last step at the sink.
    pub trace: Trace,
    /// The sink kind.
    pub sink: SinkKind,
    /// The sink's callee as written.
    pub callee: String,
    /// The sink's source line.
    pub snippet: String,
    /// Confidence of the hit.
    pub confidence: Confidence,
    /// The sink is a whole argument vector taken from a parameter: a caller passing a
    /// list literal is judged on that list (program, `--`, options) instead.
    pub whole_argv: bool,
}

/// Tainted data passed to a function of another module.
#[derive(Debug, Clone)]
pub(super) struct ExtCall {
    /// The trace, its last step at the call.
    pub trace: Trace,
    /// The callee (`field` left empty: it comes from the trace's origin).
    pub target: CallTarget,
}

/// A call to a function of this file, for handler effects.
#[derive(Debug, Clone)]
pub(super) struct LocalCall {
    /// The callee.
    pub function: usize,
    /// The call site.
    pub location: Location,
}

/// A check on a parameter that makes the function raise or return early (an allowlist,
/// a regex, a leading-dash test): callers' arguments are sanitised the same way.
#[derive(Debug, Clone)]
pub(super) struct ParamGuard {
    /// The parameter.
    pub index: usize,
    /// What it clears.
    pub clears: SinkKinds,
}

/// What one function does with its parameters and the remote data it reads.
#[derive(Debug, Clone, Default)]
pub(super) struct Summary {
    /// Sinks reached.
    pub hits: Vec<Hit>,
    /// Tainted calls to other modules.
    pub calls: Vec<ExtCall>,
    /// Traces of the returned value.
    pub returns: Vec<Trace>,
    /// Effects of the calls in the body.
    pub effects: Vec<Effect>,
    /// Calls to functions of this file.
    pub local_calls: Vec<LocalCall>,
    /// Checks on parameters that abort the function.
    pub guards: Vec<ParamGuard>,
}

/// The per-file analyser.
pub(super) struct Analyzer<'i, 't> {
    /// The file.
    pub index: &'i FileIndex<'t>,
    summaries: RefCell<HashMap<usize, Rc<Summary>>>,
    in_progress: RefCell<Vec<usize>>,
    budget: Cell<usize>,
    constant_kinds: RefCell<HashMap<&'t str, Kind<'t>>>,
}

impl<'i, 't> Analyzer<'i, 't> {
    /// An analyser for the file `index` describes.
    pub(super) fn new(index: &'i FileIndex<'t>) -> Self {
        Analyzer {
            index,
            summaries: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(Vec::new()),
            budget: Cell::new(FILE_BUDGET),
            constant_kinds: RefCell::new(HashMap::new()),
        }
    }

    /// Takes one unit of work; false once the file's budget is spent.
    pub(super) fn spend(&self) -> bool {
        self.spend_n(1)
    }

    /// Takes `n` units of work (copying the state of a function with `n` names for a
    /// branch); false once the file's budget is spent.
    pub(super) fn spend_n(&self, n: usize) -> bool {
        let left = self.budget.get();
        if left == 0 {
            return false;
        }
        self.budget.set(left.saturating_sub(n.max(1)));
        true
    }

    /// The kind of module constant `name`, computed once by `compute`.
    pub(super) fn constant_kind(
        &self,
        name: &'t str,
        compute: impl FnOnce() -> Kind<'t>,
    ) -> Kind<'t> {
        if let Some(kind) = self.constant_kinds.borrow().get(name) {
            return *kind;
        }
        let kind = compute();
        self.constant_kinds.borrow_mut().insert(name, kind);
        kind
    }

    /// The summary of function `function`, analysed at call depth `depth`; `None` while it
    /// is being analysed (recursion) or beyond [`MAX_CALL_DEPTH`].
    pub(super) fn summary(&self, function: usize, depth: usize) -> Option<Rc<Summary>> {
        if let Some(done) = self.summaries.borrow().get(&function) {
            return Some(done.clone());
        }
        if depth > MAX_CALL_DEPTH || self.in_progress.borrow().contains(&function) {
            return None;
        }
        self.in_progress.borrow_mut().push(function);
        let summary = Rc::new(FnCx::analyse_function(self, function, depth));
        self.in_progress.borrow_mut().retain(|f| *f != function);
        self.summaries
            .borrow_mut()
            .insert(function, summary.clone());
        Some(summary)
    }

    /// The summary of the module's top-level statements (remote data used at import time).
    pub(super) fn module_summary(&self, root: Node<'t>) -> Summary {
        let mut cx = FnCx::new(self, None, 0);
        cx.block(root);
        cx.out
    }
}

/// The state of one function's analysis.
pub(super) struct FnCx<'a, 'i, 't> {
    /// The file analyser.
    pub an: &'a Analyzer<'i, 't>,
    /// The function analysed (`None` for module code).
    pub function: Option<usize>,
    /// Call depth.
    pub depth: usize,
    /// Names (and dotted attributes such as `self.root`) to their values.
    pub env: HashMap<String, Value<'t>>,
    /// The summary being built.
    pub out: Summary,
}

impl<'a, 'i, 't> FnCx<'a, 'i, 't> {
    fn new(an: &'a Analyzer<'i, 't>, function: Option<usize>, depth: usize) -> Self {
        FnCx {
            an,
            function,
            depth,
            env: HashMap::new(),
            out: Summary::default(),
        }
    }

    fn analyse_function(an: &'a Analyzer<'i, 't>, function: usize, depth: usize) -> Summary {
        let mut cx = FnCx::new(an, Some(function), depth);
        let f = &an.index.functions[function];
        for (index, param) in f.params.iter().enumerate() {
            let step = cx.step(
                param.node,
                format!("parameter `{}` of `{}`", param.name, f.name),
            );
            let trace = Trace::new(Origin::Param { index, field: None }, step);
            let mut value = Value::default();
            value.add(trace);
            cx.env.insert(param.name.to_string(), value);
        }
        if let Some(body) = f.node.child_by_field_name("body") {
            cx.block(body);
        }
        cx.out.hits = dedupe_hits(std::mem::take(&mut cx.out.hits));
        cx.out
    }

    /// The index of the file.
    pub(super) fn index(&self) -> &'i FileIndex<'t> {
        self.an.index
    }

    /// A flow step at `node`.
    pub(super) fn step(&self, node: Node<'_>, message: impl Into<String>) -> FlowStep {
        FlowStep {
            location: self.location(node),
            message: message.into(),
        }
    }

    /// The location of `node`.
    pub(super) fn location(&self, node: Node<'_>) -> Location {
        let index = self.index();
        node_location(index.path, index.text, node)
    }

    /// The source of `node`, shortened for a message.
    pub(super) fn short(&self, node: Node<'_>) -> String {
        shorten(self.index().text_of(node), 80)
    }

    /// Records a hit of `trace` on `sink` at `call`, unless a sanitizer cleared it.
    /// `note` explains a weakness (a step before the sink) and caps the confidence.
    pub(super) fn hit(
        &mut self,
        trace: &Trace,
        sink: SinkKind,
        callee: &str,
        call: Node<'t>,
        note: Option<(Node<'t>, String, Confidence)>,
    ) {
        if !trace.reaches(sink) {
            return;
        }
        let mut trace = trace.clone();
        let mut confidence = trace.confidence_for(sink);
        if let Some((at, message, cap)) = note {
            trace.push(self.step(at, message));
            confidence = confidence.min(cap);
        }
        trace.push(self.step(call, format!("reaches {} `{callee}`", sink_phrase(sink))));
        let snippet = self.line_of(call);
        self.out.hits.push(Hit {
            trace,
            sink,
            callee: callee.to_string(),
            snippet,
            confidence,
            whole_argv: false,
        });
    }

    /// The trimmed source line `node` starts on.
    pub(super) fn line_of(&self, node: Node<'_>) -> String {
        let text = self.index().text;
        let start = node.start_byte();
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        shorten(text[line_start..line_end].trim(), MAX_SNIPPET)
    }
}

/// What a sink does, for the sink step's message.
fn sink_phrase(sink: SinkKind) -> &'static str {
    match sink {
        SinkKind::Command => "the shell command of",
        SinkKind::Argument => "a leading argument of",
        SinkKind::CodeEval => "code evaluated by",
        SinkKind::PathAccess => "the file path of",
        SinkKind::Url => "the URL requested by",
        SinkKind::Sql => "the SQL query of",
        SinkKind::Template => "the template source of",
        SinkKind::Deserialize => "the data deserialised by",
        SinkKind::CredentialToHost => "a credentialed request made by",
        SinkKind::OpenExternal => "what the OS opens with",
        SinkKind::OutboundData => "an outbound request made by",
    }
}

/// `text` cut to `max` characters on a character boundary, with an ellipsis.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let first_line = text.lines().next().unwrap_or("");
    match first_line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &first_line[..cut]),
        None if first_line.len() < text.trim_end().len() => format!("{first_line}…"),
        None => first_line.to_string(),
    }
}

/// One hit per (sink kind, sink line, origin): the same call reached twice (an
/// expression evaluated again for a guard, a loop) or nested sinks of one statement
/// (`exec(compile(code, …))`) are one root cause.
fn dedupe_hits(hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        let sink_at = hit.trace.steps.last().map(|s| s.location.line);
        let duplicate = out.iter().any(|h| {
            h.sink == hit.sink
                && h.trace.origin == hit.trace.origin
                && h.trace.steps.last().map(|s| s.location.line) == sink_at
        });
        if !duplicate {
            out.push(hit);
        }
    }
    out
}
