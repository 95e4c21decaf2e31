//! The abstract values of the taint walk: where data comes from ([`Source`]), the hops it
//! took and the checks it passed ([`Origin`]), and what is known of its text ([`Text`]).

use std::rc::Rc;

use assay_core::{Confidence, FlowStep};

use super::names::Alias;
use crate::taint::{SinkKind, SinkKinds};

/// Most hops kept on one origin (the sink hop is always added).
const MAX_STEPS: usize = 14;
/// Most origins one value tracks.
const MAX_ORIGINS: usize = 6;
/// Longest constant prefix kept.
const MAX_PREFIX: usize = 200;

/// A check that only partly protects a sink kind: the flow is kept at lower confidence
/// and the note says why.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WeakCheck {
    /// The sink kind it partly protects.
    pub(super) kind: SinkKind,
    /// The confidence a flow through it keeps.
    pub(super) confidence: Confidence,
    /// Why it is not enough.
    pub(super) note: Rc<str>,
}

/// What checks and conversions the data went through.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Guard {
    /// Sink kinds the data can no longer harm.
    pub(super) cleared: SinkKinds,
    /// The data went through `path.resolve`/`join`/`normalize`.
    pub(super) resolved: bool,
    /// The data went through `realpath` (symlinks resolved).
    pub(super) realpath: bool,
    /// Checks that only partly protect some kinds.
    pub(super) weak: Vec<WeakCheck>,
    /// What checks proved about the data as one path component.
    pub(super) plain: Plain,
}

/// What checks proved about a value used as a path component: no separator (so it
/// names one entry), and not `..` (so that entry is not the parent). Both together make
/// it a plain file name, which cannot leave the directory it is joined to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Plain {
    /// It contains no `/` or `\` (a separator check, `path.basename(x) === x`).
    pub(super) no_separator: bool,
    /// It is not `..` (a `..` or leading-dot check).
    pub(super) no_parent: bool,
}

impl Plain {
    /// What both `self` and `other` prove.
    pub(super) fn both(self, other: Plain) -> Plain {
        Plain {
            no_separator: self.no_separator && other.no_separator,
            no_parent: self.no_parent && other.no_parent,
        }
    }

    /// What `self` or `other` proves.
    pub(super) fn either(self, other: Plain) -> Plain {
        Plain {
            no_separator: self.no_separator || other.no_separator,
            no_parent: self.no_parent || other.no_parent,
        }
    }

    /// Whether it is proven a plain file name.
    pub(super) fn is_file_name(self) -> bool {
        self.no_separator && self.no_parent
    }
}

impl Guard {
    /// Records a partial check (the weakest one per kind wins).
    pub(super) fn weaken(&mut self, kind: SinkKind, confidence: Confidence, note: &str) {
        if let Some(existing) = self.weak.iter_mut().find(|w| w.kind == kind) {
            if confidence < existing.confidence {
                existing.confidence = confidence;
                existing.note = note.into();
            }
            return;
        }
        self.weak.push(WeakCheck {
            kind,
            confidence,
            note: note.into(),
        });
    }
}

/// Where tainted data comes from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Source {
    /// A tool (prompt, resource) argument. `object` marks the whole arguments object,
    /// whose properties are the parameters.
    Tool {
        /// The tool name, when the handler serves one tool.
        tool: Option<Rc<str>>,
        /// The parameter (or the arguments object's variable) name.
        param: Rc<str>,
        /// True for the arguments object itself.
        object: bool,
        /// Parameter names the inventory declares (empty: any property counts).
        known: Rc<[String]>,
        /// Parameters validated as numbers or booleans, which carry no text.
        scalar: Rc<[String]>,
    },
    /// The request of a low-level `CallTool` handler (`params` once `.params` was read);
    /// its `params.arguments` are the tool arguments.
    Request {
        /// Whether this is `request.params`.
        params: bool,
        /// The tool name, when the handler serves one tool.
        tool: Option<Rc<str>>,
    },
    /// Untrusted remote data. `response` marks an HTTP response object, whose body and
    /// headers (not its status) are the data.
    Remote {
        /// What it is.
        what: Rc<str>,
        /// True for the response object itself.
        response: bool,
    },
    /// A parameter of a function of this file (for its summary).
    Param {
        /// The function's node id.
        function: usize,
        /// Zero-based parameter index.
        index: usize,
        /// The destructured or accessed property.
        field: Option<Rc<str>>,
        /// True while no property has been read from an identifier parameter.
        object: bool,
    },
}

/// One way a value is tainted.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Origin {
    /// Where the data comes from.
    pub(super) source: Source,
    /// The property of an object literal the data sits in (`{ path: x }`).
    pub(super) at_field: Option<Rc<str>>,
    /// The hops so far, source first.
    pub(super) steps: Rc<Vec<FlowStep>>,
    /// Checks passed.
    pub(super) guard: Guard,
    /// Lowered when the data went through calls this analysis cannot see into.
    pub(super) confidence: Confidence,
}

/// Whether a property read from a tool-arguments object is a parameter that can carry
/// text: declared (when the inventory knows the parameters) and not a validated scalar.
pub(super) fn is_text_parameter(known: &[String], scalar: &[String], prop: &str) -> bool {
    (known.is_empty() || known.iter().any(|k| k == prop)) && !scalar.iter().any(|s| s == prop)
}

impl Origin {
    /// A fresh origin with its first hop.
    pub(super) fn new(source: Source, step: FlowStep) -> Origin {
        Origin {
            source,
            at_field: None,
            steps: Rc::new(vec![step]),
            guard: Guard::default(),
            confidence: Confidence::High,
        }
    }

    /// Adds a hop (bounded).
    pub(super) fn push_step(&mut self, step: FlowStep) {
        if self.steps.len() < MAX_STEPS && self.steps.last() != Some(&step) {
            Rc::make_mut(&mut self.steps).push(step);
        }
    }

    /// Whether two origins describe the same source and path (for de-duplication).
    fn same_as(&self, other: &Origin) -> bool {
        self.source == other.source
            && self.at_field == other.at_field
            && self.guard.cleared == other.guard.cleared
    }
}

/// What is known of a value's text: its constant prefix (and whether that is all of it),
/// and whether its constant parts read like SQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Text {
    /// The known leading text.
    pub(super) prefix: String,
    /// True when the whole value is the prefix (a constant).
    pub(super) complete: bool,
    /// True when constant parts contain SQL keywords.
    pub(super) sql: bool,
}

impl Text {
    /// A string constant.
    pub(super) fn constant(s: &str) -> Text {
        let mut prefix = s.to_string();
        truncate(&mut prefix);
        Text {
            sql: looks_like_sql(s),
            prefix,
            complete: true,
        }
    }

    /// The text of `self` followed by `next`.
    pub(super) fn concat(&self, next: &Text) -> Text {
        let mut prefix = self.prefix.clone();
        let complete = self.complete && next.complete;
        if self.complete {
            prefix.push_str(&next.prefix);
            truncate(&mut prefix);
        }
        Text {
            prefix,
            complete,
            sql: self.sql || next.sql,
        }
    }
}

fn truncate(s: &mut String) {
    if s.len() > MAX_PREFIX {
        let mut end = MAX_PREFIX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// Whether constant text reads like a SQL statement.
pub(super) fn looks_like_sql(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let has = |w: &str| lower.contains(w);
    (has("select ") && (has(" from") || has("*")))
        || has("insert into")
        || (has("update ") && has(" set "))
        || has("delete from")
        || has(" where ")
        || has("order by")
        || has("create table")
        || has("drop table")
}

/// An abstract value: its taint and what is known of it.
#[derive(Debug, Clone, Default)]
pub(super) struct Value {
    /// The ways it is tainted (empty: clean).
    pub(super) origins: Vec<Origin>,
    /// What is known of its text.
    pub(super) text: Text,
    /// The elements of an array literal (bounded), for argument-array checks.
    pub(super) elements: Option<Vec<Value>>,
    /// The module (or module member) the value is, when it comes from an import.
    pub(super) alias: Option<Rc<Alias>>,
    /// The id of the function or object literal node the value is.
    pub(super) node: Option<usize>,
    /// For an element of [`Value::elements`]: a spread (`...xs`) standing for zero or
    /// more elements.
    pub(super) spread: bool,
    /// A constant lookup table: an object, array or `Map` literal of constants (nested
    /// tables included) bound `const`. Indexing it with any key yields one of its
    /// constants or `undefined`, never the key.
    pub(super) table: bool,
}

impl Value {
    /// A string constant.
    pub(super) fn constant(s: &str) -> Value {
        Value {
            text: Text::constant(s),
            ..Value::default()
        }
    }

    /// A value tainted by `origin`.
    pub(super) fn tainted(origin: Origin) -> Value {
        Value {
            origins: vec![origin],
            ..Value::default()
        }
    }

    /// True when some origin taints it.
    pub(super) fn is_tainted(&self) -> bool {
        !self.origins.is_empty()
    }

    /// Adds the origins of `other` (bounded, de-duplicated).
    pub(super) fn absorb(&mut self, other: &Value) {
        for origin in &other.origins {
            self.add_origin(origin.clone());
        }
    }

    /// Adds one origin (bounded, de-duplicated).
    pub(super) fn add_origin(&mut self, origin: Origin) {
        if self.origins.len() < MAX_ORIGINS && !self.origins.iter().any(|o| o.same_as(&origin)) {
            self.origins.push(origin);
        }
    }

    /// The union of `values`' origins, with unknown text.
    pub(super) fn union<'v>(values: impl IntoIterator<Item = &'v Value>) -> Value {
        let mut out = Value::default();
        for v in values {
            out.absorb(v);
        }
        out
    }

    /// Applies `f` to every origin.
    pub(super) fn map_origins(mut self, mut f: impl FnMut(&mut Origin)) -> Value {
        for origin in &mut self.origins {
            f(origin);
        }
        self
    }

    /// Element `i` of an array literal, when known: no spread stands before or at it.
    pub(super) fn element_at(&self, i: usize) -> Option<Value> {
        let elements = self.elements.as_ref()?;
        let known = elements.get(..=i)?;
        if known.iter().any(|e| e.spread) {
            return None;
        }
        let mut element = known[i].clone();
        element.spread = false;
        Some(element)
    }

    /// The value of any one element of an iterable.
    pub(super) fn element(&self) -> Value {
        match &self.elements {
            Some(elements) => Value::union(elements.iter()),
            None => self.derived(),
        }
    }

    /// The same taint with unknown text (the result of an operation on it); data of an
    /// object taken as a whole no longer sits in one property.
    pub(super) fn derived(&self) -> Value {
        let mut out = Value::default();
        for origin in &self.origins {
            let mut origin = origin.clone();
            origin.at_field = None;
            out.add_origin(origin);
        }
        out
    }
}
