//! What the analysis knows about a value: the tainted data it carries ([`Trace`]s, each
//! with its origin, its hops and the sanitizers it met) and what kind of object it is
//! ([`Kind`]: a `pathlib.Path`, an HTTP client, a response, an argv list…).

use assay_core::{Confidence, FlowStep};
use tree_sitter::Node;

use crate::taint::{SinkKind, SinkKinds};

/// Traces kept per value: enough for a few independent sources, bounded for generated code.
const MAX_TRACES: usize = 6;
/// Hops kept per trace.
const MAX_STEPS: usize = 32;

/// Where a trace starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    /// Parameter `index` of the function being analysed (`self`/`cls` not counted), or
    /// its item `field` (`arguments["path"]`, `arguments.get("path")`).
    Param {
        /// Zero-based index.
        index: usize,
        /// The item read from it, when the parameter is a mapping.
        field: Option<String>,
    },
    /// Untrusted remote data (an HTTP response, OAuth metadata, a header).
    Remote {
        /// What it is, e.g. `HTTP response body`.
        what: String,
    },
}

/// Path normalisation applied to a trace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PathState {
    /// `os.path.realpath` / `Path.resolve()`: `..` and symlinks resolved.
    pub resolved: bool,
    /// `os.path.abspath` / `normpath`: `..` collapsed, symlinks not followed.
    pub normalised: bool,
}

/// One tainted datum flowing through the function.
#[derive(Debug, Clone)]
pub(super) struct Trace {
    /// Where it comes from.
    pub origin: Origin,
    /// Every hop so far, the origin first.
    pub steps: Vec<FlowStep>,
    /// Lowered when a hop is only partly resolved (an unknown function in between).
    pub confidence: Confidence,
    /// Sink kinds a sanitizer on the path neutralised.
    pub cleared: SinkKinds,
    /// Sink kinds a weak sanitizer stands before (the reason is one of the steps): a flow
    /// into one of them is kept with medium confidence.
    pub weak: SinkKinds,
    /// Path normalisation met on the way.
    pub path: PathState,
    /// The datum was embedded into a larger string (f-string, `+`, `%`, `.format`, join).
    pub composed: bool,
}

impl Trace {
    /// A fresh trace starting at `step`.
    pub(super) fn new(origin: Origin, step: FlowStep) -> Trace {
        Trace {
            origin,
            steps: vec![step],
            confidence: Confidence::High,
            cleared: SinkKinds::default(),
            weak: SinkKinds::default(),
            path: PathState::default(),
            composed: false,
        }
    }

    /// Appends a hop (bounded; the origin and the latest hops matter most, so hops past
    /// the bound replace the last one).
    pub(super) fn push(&mut self, step: FlowStep) {
        if self.steps.last() == Some(&step) {
            return;
        }
        if self.steps.len() >= MAX_STEPS {
            self.steps.pop();
        }
        self.steps.push(step);
    }

    /// Whether a flow into `sink` survives the sanitizers met.
    pub(super) fn reaches(&self, sink: SinkKind) -> bool {
        !self.cleared.contains(sink)
    }

    /// The confidence of a flow of this trace into `sink`.
    pub(super) fn confidence_for(&self, sink: SinkKind) -> Confidence {
        if self.weak.contains(sink) {
            self.confidence.min(Confidence::Medium)
        } else {
            self.confidence
        }
    }
}

/// What kind of object a value is, as far as the analysis tracks it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Kind<'t> {
    /// Anything else.
    #[default]
    Plain,
    /// A `pathlib.Path`.
    PathObject,
    /// An HTTP client or session (`httpx.Client`, `requests.Session`,
    /// `aiohttp.ClientSession`); `credentials` when built with auth headers or `auth=`.
    HttpClient {
        /// Whether requests made with it carry credentials.
        credentials: bool,
    },
    /// An HTTP response: everything read from it is remote data.
    Response,
    /// An instance of a class, named by its dotted name (`pkg.mod.Runner` for an import,
    /// `Runner` for a class of this file).
    Instance(&'t str),
}

/// A value: the traces it carries and its kind.
#[derive(Debug, Clone, Default)]
pub(super) struct Value<'t> {
    /// Tainted data in the value.
    pub traces: Vec<Trace>,
    /// What it is.
    pub kind: Kind<'t>,
    /// The expression that defined it, when it is a local name (followed to find argv
    /// lists, header dicts, `urlparse(…)` results and query strings).
    pub def: Option<Node<'t>>,
}

impl<'t> Value<'t> {
    /// A clean value of `kind`.
    pub(super) fn of_kind(kind: Kind<'t>) -> Value<'t> {
        Value {
            kind,
            ..Value::default()
        }
    }

    /// Whether any tainted data is in the value.
    pub(super) fn is_tainted(&self) -> bool {
        !self.traces.is_empty()
    }

    /// Adds the traces of `other` (same-origin traces merge: the weaker sanitisation wins).
    pub(super) fn absorb(&mut self, other: &Value<'t>) {
        for trace in &other.traces {
            self.add(trace.clone());
        }
    }

    /// Adds one trace.
    pub(super) fn add(&mut self, trace: Trace) {
        if let Some(existing) = self.traces.iter_mut().find(|t| t.origin == trace.origin) {
            existing.cleared = existing.cleared.intersect(trace.cleared);
            existing.weak = existing.weak.union(trace.weak);
            existing.composed |= trace.composed;
            existing.path.resolved &= trace.path.resolved;
            existing.path.normalised &= trace.path.normalised;
            existing.confidence = existing.confidence.min(trace.confidence);
            return;
        }
        if self.traces.len() < MAX_TRACES {
            self.traces.push(trace);
        }
    }

    /// Applies `f` to every trace.
    pub(super) fn map_traces(mut self, f: impl Fn(&mut Trace)) -> Value<'t> {
        self.traces.iter_mut().for_each(f);
        self
    }

    /// The union of several values (kind and definition dropped).
    pub(super) fn union<'a>(values: impl IntoIterator<Item = &'a Value<'t>>) -> Value<'t>
    where
        't: 'a,
    {
        let mut out = Value::default();
        for value in values {
            out.absorb(value);
        }
        out
    }
}
