//! Abstract values of the Go interpreter: a [`Label`] is one tainted origin with its path
//! and sanitizer state; a [`Value`] is the labels an expression carries plus what kind of
//! object it is (MCP arguments, an HTTP response, a request being built, …).

use std::rc::Rc;

use assay_core::{FlowStep, Location, Parameter};

use crate::taint::{SinkKind, SinkKinds, SourceKind};

/// Labels kept per value (distinct origins).
const MAX_LABELS: usize = 8;
/// Intermediate hops kept per label (the sink hop is always added).
pub(super) const MAX_STEPS: usize = 24;

/// Every kind but [`SinkKind::OutboundData`]: what an allowlist check makes safe (the
/// value is one of a few known strings, yet still data sent off-host).
pub(super) fn allowlisted() -> SinkKinds {
    SinkKinds::all_but(SinkKind::OutboundData)
}

/// Where a label's taint comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Origin {
    /// A tool parameter or remote data: the flow is complete once a sink is reached.
    Source(SourceKind),
    /// A parameter of the function being summarised (a field of it for argument objects):
    /// callers substitute what they pass.
    Param {
        /// Zero-based parameter index (receivers excluded).
        index: usize,
        /// The argument name read from an MCP request or argument struct.
        field: Option<String>,
    },
}

/// What path operations a tainted path went through (for containment checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct PathFacts {
    /// Made lexically clean (`filepath.Clean`, `Abs`, `Join`): no `..` left inside.
    pub lexical: bool,
    /// Symlinks resolved (`filepath.EvalSymlinks`, or a refused symlink after `os.Lstat`).
    pub real: bool,
    /// A correct lexical containment check passed (only symlinks could still escape).
    pub contained: bool,
}

/// One tainted origin reaching a value, with the hops so far.
#[derive(Debug, Clone)]
pub(super) struct Label {
    /// The origin.
    pub origin: Origin,
    /// The tool the origin belongs to.
    pub tool: Option<String>,
    /// Hops from the origin.
    pub steps: Vec<FlowStep>,
    /// Some hop was only partly resolved (an unknown function in between).
    pub partial: bool,
    /// Sink kinds a sanitizer made this label safe for.
    pub clean: SinkKinds,
    /// Weak sanitizers: the sink kind they fall short for and why.
    pub weak: Vec<(SinkKind, String)>,
    /// Path operations applied.
    pub path: PathFacts,
}

impl Label {
    /// A fresh label at its origin.
    pub(super) fn new(origin: Origin, tool: Option<String>, step: FlowStep) -> Self {
        Label {
            origin,
            tool,
            steps: vec![step],
            partial: false,
            clean: SinkKinds::default(),
            weak: Vec::new(),
            path: PathFacts::default(),
        }
    }

    /// Adds a hop (bounded).
    pub(super) fn push_step(&mut self, location: Location, message: impl Into<String>) {
        if self.steps.len() < MAX_STEPS && self.steps.last().map(|s| &s.location) != Some(&location)
        {
            self.steps.push(FlowStep {
                location,
                message: message.into(),
            });
        }
    }

    /// Whether this label is a remote-data origin.
    pub(super) fn is_remote(&self) -> bool {
        matches!(self.origin, Origin::Source(SourceKind::RemoteData { .. }))
    }

    /// The weak-sanitizer notes for `kind`.
    pub(super) fn weak_notes(&self, kind: SinkKind) -> Vec<&str> {
        self.weak
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// Drops a weak-sanitizer note.
    pub(super) fn drop_weak(&mut self, kind: SinkKind, message: &str) {
        self.weak.retain(|(k, m)| !(*k == kind && m == message));
    }

    /// Records a weak sanitizer for `kind` (once per message).
    pub(super) fn add_weak(&mut self, kind: SinkKind, message: &str) {
        if !self.weak.iter().any(|(k, m)| *k == kind && m == message) {
            self.weak.push((kind, message.to_string()));
        }
    }

    fn key(&self) -> (&Origin, &Option<String>) {
        (&self.origin, &self.tool)
    }

    /// Folds another path of the same origin into this one: safe only if safe both ways.
    fn merge(&mut self, other: &Label) {
        self.clean = self.clean.intersect(other.clean);
        for (kind, message) in &other.weak {
            self.add_weak(*kind, message);
        }
        self.partial &= other.partial;
        self.path.lexical &= other.path.lexical;
        self.path.real &= other.path.real;
        self.path.contained &= other.path.contained;
    }
}

/// How MCP arguments are reached.
#[derive(Debug, Clone)]
pub(super) enum ArgsBase {
    /// The handler of a tool: reads are tool-parameter sources.
    Tool {
        /// The tool (prompt, resource) name.
        tool: Option<String>,
        /// Its declared parameters, when known.
        params: Rc<Vec<Parameter>>,
    },
    /// Parameter `index` of the function being summarised.
    Param(usize),
}

/// What kind of arguments object.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ArgsKind {
    /// An MCP request (`mcp.CallToolRequest`): `RequireString`, `GetArguments`, `Params`.
    Request,
    /// A map of arguments (`req.GetArguments()`, `req.Params.Arguments`).
    Map,
    /// A typed argument struct (`args Input`), with the struct's name when known.
    Typed(Option<String>),
}

/// An object whose fields or keys are MCP arguments.
#[derive(Debug, Clone)]
pub(super) struct ArgsObject {
    /// Where the arguments come from.
    pub base: ArgsBase,
    /// What kind of object.
    pub kind: ArgsKind,
    /// Hops to this object (for parameters of summarised functions).
    pub steps: Vec<FlowStep>,
}

/// An `http.NewRequest` being built.
#[derive(Debug, Clone)]
pub(super) struct RequestInfo {
    /// The URL's value (labels with a hop at the `NewRequest` call).
    pub url: Value,
}

/// What an expression's value is, beyond its labels.
#[derive(Debug, Clone, Default)]
pub(super) enum Shape {
    /// A plain value (string, bytes, slice, struct).
    #[default]
    Plain,
    /// MCP arguments.
    Args(Rc<ArgsObject>),
    /// An `*http.Response`.
    HttpResponse,
    /// The `Header` of an `*http.Response`.
    ResponseHeader,
    /// An `*http.Client`.
    HttpClient,
    /// An `*http.Request` being built.
    HttpRequest(Rc<RequestInfo>),
    /// A `text/template` or `html/template` template.
    Template,
    /// An interpreter that evaluates code (yaegi, goja, otto).
    Interpreter,
    /// An `os.Root`: file operations confined to a directory.
    FsRoot,
}

/// An abstract value.
#[derive(Debug, Clone, Default)]
pub(super) struct Value {
    /// Tainted origins reaching it.
    pub labels: Vec<Label>,
    /// What it is.
    pub shape: Shape,
    /// It holds a server-side credential (an environment variable, a token field).
    pub credential: bool,
    /// A URL whose scheme and host are fixed by untainted text: taint in it only reaches
    /// the path or query of a fixed host.
    pub fixed_host: bool,
}

impl Value {
    /// A value carrying `labels`.
    pub(super) fn tainted(labels: Vec<Label>) -> Self {
        Value {
            labels,
            ..Value::default()
        }
    }

    /// A value of shape `shape` and no labels.
    pub(super) fn shaped(shape: Shape) -> Self {
        Value {
            shape,
            ..Value::default()
        }
    }

    /// Whether any origin reaches it.
    pub(super) fn is_tainted(&self) -> bool {
        !self.labels.is_empty()
    }

    /// Adds one label (merged with a label of the same origin).
    pub(super) fn add_label(&mut self, label: Label) {
        if let Some(existing) = self.labels.iter_mut().find(|l| l.key() == label.key()) {
            existing.merge(&label);
        } else if self.labels.len() < MAX_LABELS {
            self.labels.push(label);
        }
    }

    /// Joins `other` into `self` (labels merged, flags or-ed; the shape kept when `self`
    /// has none).
    pub(super) fn join(&mut self, other: Value) {
        for label in other.labels {
            self.add_label(label);
        }
        self.credential |= other.credential;
        if matches!(self.shape, Shape::Plain) {
            self.shape = other.shape;
        }
    }

    /// The labels only (a plain value derived from this one).
    pub(super) fn plain(&self) -> Value {
        Value {
            labels: self.labels.clone(),
            credential: self.credential,
            ..Value::default()
        }
    }

    /// Applies `f` to every label.
    pub(super) fn map_labels(mut self, f: impl Fn(&mut Label)) -> Self {
        for label in &mut self.labels {
            f(label);
        }
        self
    }

    /// Adds a hop to every label.
    pub(super) fn step(self, location: &Location, message: &str) -> Self {
        self.map_labels(|l| l.push_step(location.clone(), message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(clean: SinkKinds) -> Label {
        let mut l = Label::new(
            Origin::Param {
                index: 0,
                field: None,
            },
            None,
            FlowStep {
                location: Location::point("a.go", 1, 1),
                message: "p".into(),
            },
        );
        l.clean = clean;
        l
    }

    #[test]
    fn joining_two_paths_of_one_origin_keeps_only_common_sanitizers() {
        let mut v = Value::tainted(vec![label(SinkKinds::of(&[
            SinkKind::Command,
            SinkKind::PathAccess,
        ]))]);
        v.join(Value::tainted(vec![label(SinkKinds::of(&[
            SinkKind::Command,
        ]))]));
        assert_eq!(v.labels.len(), 1);
        assert!(v.labels[0].clean.contains(SinkKind::Command));
        assert!(!v.labels[0].clean.contains(SinkKind::PathAccess));
        assert!(allowlisted().contains(SinkKind::Sql));
        assert!(!allowlisted().contains(SinkKind::OutboundData));
    }
}
