//! Calls: builtins, package functions (by import path, so aliases work), methods on
//! tracked objects, functions of this file (through their summaries) and functions of
//! other files or packages of the snapshot (recorded as tainted calls for
//! [`crate::taint::link`]).

use std::rc::Rc;

use tree_sitter::Node;

use super::expr::{call_arguments, root_identifier, strip_parens};
use super::guards::is_validator_name;
use super::interp::{Frame, Interp, remote_data_matters};
use super::sources::{as_args, decoded_args};
use super::stdlib::{self, FormatPart, Part, PathOp, Ret, fixed_host, format_parts, literal_text};
use super::value::{ArgsBase, Label, Origin, RequestInfo, Shape, Value};
use super::{effects, index};
use crate::taint::{CallTarget, Effect, EffectKind, SinkKind, SinkKinds, SourceKind};

/// Builtins whose result carries no taint.
const CLEAN_BUILTINS: &[&str] = &[
    "len", "cap", "new", "make", "copy", "delete", "close", "print", "println", "recover",
    "complex", "real", "imag", "clear", "panic", "int", "int8", "int16", "int32", "int64", "uint",
    "uint8", "uint16", "uint32", "uint64", "float32", "float64", "bool",
];

/// Builtin conversions that keep taint.
const TEXT_CONVERSIONS: &[&str] = &["string", "byte", "rune", "any", "min", "max"];

/// Methods whose result is a number, a boolean or an object's own name.
const CLEAN_METHODS: &[&str] = &[
    "Name",
    "Fd",
    "MatchString",
    "Match",
    "Contains",
    "HasPrefix",
    "HasSuffix",
    "Equal",
    "IsAbs",
    "Valid",
    "Len",
    "Err",
    "Close",
];

/// Methods of well-known types that pass their receiver's (or arguments') text on.
const TEXT_METHODS: &[&str] = &[
    "String",
    "Bytes",
    "Get",
    "Query",
    "Encode",
    "Text",
    "Hostname",
    "Port",
    "EscapedPath",
    "RequestURI",
    "ReadString",
    "ReadBytes",
    "ReadLine",
    "Scan",
    "Read",
    "Values",
    "JoinPath",
    "ResolveReference",
    "Parse",
    "Output",
    "CombinedOutput",
];

/// Methods that write their arguments into the receiver (`strings.Builder`,
/// `url.Values`, `bytes.Buffer`).
const MUTATORS: &[&str] = &[
    "WriteString",
    "Write",
    "WriteByte",
    "WriteRune",
    "Add",
    "Set",
];

/// Database methods and the index of their query argument (without a leading context).
const SQL_METHODS: &[(&str, usize)] = &[
    ("Query", 0),
    ("QueryContext", 1),
    ("QueryRow", 0),
    ("QueryRowContext", 1),
    ("Exec", 0),
    ("ExecContext", 1),
    ("Prepare", 0),
    ("PrepareContext", 1),
    ("Queryx", 0),
    ("QueryRowx", 0),
    ("MustExec", 0),
    ("NamedExec", 0),
    ("NamedQuery", 0),
    ("Raw", 0),
    ("Select", 1),
    ("Get", 1),
    ("SelectContext", 2),
    ("GetContext", 2),
];

/// Import-path fragments of SQL libraries.
const SQL_LIBRARIES: &[&str] = &[
    "database/sql",
    "sqlx",
    "pgx",
    "gorm",
    "sqlite",
    "go-sql-driver",
];

/// Sink kinds an escape (`url.QueryEscape`) makes safe.
fn escaped() -> SinkKinds {
    SinkKinds::of(&[
        SinkKind::Command,
        SinkKind::Sql,
        SinkKind::Url,
        SinkKind::Template,
        SinkKind::CodeEval,
        SinkKind::OpenExternal,
        SinkKind::CredentialToHost,
    ])
}

impl<'t> Interp<'t, '_> {
    /// The values a call returns (one per result; missing results are clean).
    pub(super) fn call(&mut self, f: &mut Frame<'t>, node: Node<'t>) -> Vec<Value> {
        let Some(function) = node.child_by_field_name("function") else {
            return Vec::new();
        };
        let function = strip_parens(function);
        let args = call_arguments(node);
        match function.kind() {
            "identifier" => self.call_identifier(f, node, self.ix.text_of(function), &args),
            "selector_expression" => {
                let (Some(operand), Some(field)) = (
                    function.child_by_field_name("operand"),
                    function.child_by_field_name("field"),
                ) else {
                    return Vec::new();
                };
                let name = self.ix.text_of(field);
                if operand.kind() == "identifier"
                    && !f.env.vars.contains_key(self.ix.text_of(operand))
                    && let Some(path) = self.ix.import(self.ix.text_of(operand))
                {
                    return self.package_call(f, node, path, name, &args);
                }
                self.method_call(f, node, operand, name, &args)
            }
            _ => {
                self.eval(f, function);
                self.eval_all(f, &args);
                Vec::new()
            }
        }
    }

    fn eval_all(&mut self, f: &mut Frame<'t>, args: &[Node<'t>]) -> Vec<Value> {
        args.iter().map(|a| self.eval(f, *a)).collect()
    }

    fn call_identifier(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        name: &'t str,
        args: &[Node<'t>],
    ) -> Vec<Value> {
        if name == "append" {
            let mut value = args
                .first()
                .map(|a| self.eval(f, *a).plain())
                .unwrap_or_default();
            if args.len() > 1 {
                value.join(self.positional(f, &args[1..]));
            }
            return vec![value];
        }
        if f.env.vars.contains_key(name) {
            // A function value: unknown.
            let values = self.eval_all(f, args);
            return vec![unknown_result(name, &values)];
        }
        if CLEAN_BUILTINS.contains(&name) {
            self.eval_all(f, args);
            return Vec::new();
        }
        if TEXT_CONVERSIONS.contains(&name) {
            let values = self.eval_all(f, args);
            return vec![union(&values)];
        }
        let values = self.eval_all(f, args);
        if let Some(function) = self.ix.function(name) {
            return self.call_local(f, node, function, name, &values);
        }
        let module = self.ix.dir.clone();
        self.external(f, node, &[module], name, &values);
        vec![unknown_result(name, &values)]
    }

    /// A call of a function of an imported package.
    fn package_call(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        path: &'t str,
        name: &'t str,
        args: &[Node<'t>],
    ) -> Vec<Value> {
        let values = self.eval_all(f, args);
        let arg_text = node
            .child_by_field_name("arguments")
            .map_or("", |a| self.ix.text_of(a));
        if let Some(kind) = effects::of_function(path, name, arg_text) {
            self.effect(f, node, kind);
        }
        self.package_sinks(f, node, path, name, args, &values);
        let Some(ret) = stdlib::function(path, name) else {
            let modules = module_candidates(path);
            self.external(f, node, &modules, name, &values);
            return vec![unknown_result(name, &values)];
        };
        let location = self.ix.location(node);
        match ret {
            Ret::Clean => Vec::new(),
            Ret::Propagate | Ret::Unknown => {
                let mut value = union(&values);
                value.fixed_host = self.built_url_fixed(path, name, args, &values);
                if ret == Ret::Unknown {
                    value = value.map_labels(|l| l.partial = true);
                }
                vec![value]
            }
            Ret::Path(op) => {
                let keep_real = matches!(name, "Clean" | "Abs");
                vec![union(&values).map_labels(|l| match op {
                    PathOp::Lexical => {
                        l.path.lexical = true;
                        l.path.real &= keep_real;
                        l.path.contained = false;
                    }
                    PathOp::Real => {
                        l.path.lexical = true;
                        l.path.real = true;
                        l.path.contained = false;
                        l.push_step(location.clone(), format!("resolved by `filepath.{name}`"));
                    }
                    PathOp::Reset => l.path = Default::default(),
                })]
            }
            Ret::Escape => vec![union(&values).map_labels(|l| l.clean = l.clean.union(escaped()))],
            Ret::Credential => vec![Value {
                credential: true,
                ..Value::default()
            }],
            Ret::Response => vec![Value::shaped(Shape::HttpResponse)],
            Ret::Request(index) => {
                let url = values
                    .get(index)
                    .cloned()
                    .unwrap_or_default()
                    .step(&location, "request built for this URL");
                vec![Value::shaped(Shape::HttpRequest(Rc::new(RequestInfo {
                    url,
                })))]
            }
            Ret::Template => vec![Value::shaped(Shape::Template)],
            Ret::Interpreter => vec![Value::shaped(Shape::Interpreter)],
            Ret::Root => vec![Value::shaped(Shape::FsRoot)],
            Ret::Same(index) => vec![values.get(index).cloned().unwrap_or_default()],
            Ret::Decode => {
                let first_target = if name.starts_with("Sscanf") { 2 } else { 1 };
                if let Some(source) = values.first() {
                    for target in args.iter().skip(first_target) {
                        self.decode_into(f, source, *target);
                    }
                }
                Vec::new()
            }
            Ret::Copy => {
                if let (Some(target), Some(source)) = (args.first(), values.get(1)) {
                    self.decode_into(f, source, *target);
                }
                Vec::new()
            }
        }
    }

    /// Whether a URL built by `path.name` has a fixed host (`fmt.Sprintf` with a literal
    /// base, `url.JoinPath` with an untainted base).
    fn built_url_fixed(&self, path: &str, name: &str, args: &[Node<'t>], values: &[Value]) -> bool {
        match (path, name) {
            ("fmt", "Sprintf") => {
                let Some(format) = args.first().and_then(|a| literal_text(self.ix, *a)) else {
                    return false;
                };
                let parts: Vec<Part> = format_parts(&format)
                    .into_iter()
                    .map(|p| match p {
                        FormatPart::Literal(text) => Part::Literal(text),
                        FormatPart::Arg(i) => {
                            Part::Value(values.get(i + 1).is_some_and(Value::is_tainted))
                        }
                    })
                    .collect();
                fixed_host(&parts)
            }
            ("net/url", "JoinPath") => values.first().is_some_and(|v| !v.is_tainted()),
            _ => false,
        }
    }

    /// `json.Unmarshal(data, &v)`, `dec.Decode(&v)`, `io.Copy(w, r)`: the target takes
    /// the source's taint (an arguments object decodes into a typed arguments object).
    fn decode_into(&mut self, f: &mut Frame<'t>, source: &Value, target: Node<'t>) {
        let Some(root) = root_identifier(target) else {
            return;
        };
        let name = self.ix.text_of(root);
        let value = match as_args(source) {
            Some(object) => decoded_args(object, f.env.types.get(name).copied()),
            None if source.is_tainted() => source.plain(),
            None => return,
        };
        self.bind(f, root, value);
    }

    /// A method call `operand.name(args)`.
    fn method_call(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        operand: Node<'t>,
        name: &'t str,
        args: &[Node<'t>],
    ) -> Vec<Value> {
        let receiver = self.eval(f, operand);
        if let Some(object) = as_args(&receiver) {
            let object = Rc::clone(object);
            if let Some(value) = self.args_method(f, &object, name, node, args) {
                return vec![value];
            }
        }
        let values = self.eval_all(f, args);
        let callee = index::bounded(
            node.child_by_field_name("function")
                .map_or("", |n| self.ix.text_of(n)),
            80,
        );
        match (&receiver.shape, name) {
            (Shape::ResponseHeader, "Get" | "Values") => {
                let header = args
                    .first()
                    .and_then(|a| literal_text(self.ix, *a))
                    .unwrap_or_default();
                return vec![self.remote(node, &format!("HTTP response header `{header}`"))];
            }
            (Shape::HttpRequest(info), "Set" | "Add")
                if self.ix.text_of(operand).ends_with("Header") =>
            {
                let info = Rc::clone(info);
                self.header_sinks(f, node, &callee, &info, args, &values);
                return Vec::new();
            }
            (Shape::HttpRequest(info), "SetBasicAuth" | "AddCookie") => {
                let info = Rc::clone(info);
                self.credential_sink(f, node, &callee, &info);
                return Vec::new();
            }
            (Shape::Template, "Parse") => {
                if let Some(text) = values.first() {
                    self.sink(f, node, SinkKind::Template, &callee, text, None);
                }
                return vec![Value::shaped(Shape::Template)];
            }
            (Shape::Template, "Execute" | "ExecuteTemplate") => return Vec::new(),
            (Shape::Template, _) => return vec![Value::shaped(Shape::Template)],
            (
                Shape::Interpreter,
                "Eval" | "EvalPath" | "EvalWithContext" | "RunString" | "RunScript" | "Run"
                | "Compile",
            ) => {
                self.effect(f, node, EffectKind::Execute);
                for value in &values {
                    self.sink(f, node, SinkKind::CodeEval, &callee, value, None);
                }
                return Vec::new();
            }
            (Shape::FsRoot, _) => {
                if let Some(kind) = effects::of_root_method(name) {
                    self.effect(f, node, kind);
                }
                return Vec::new();
            }
            _ => {}
        }
        if name == "Do"
            && matches!(
                values.first().map(|v| &v.shape),
                Some(Shape::HttpRequest(_))
            )
        {
            self.effect(f, node, EffectKind::Network);
            return vec![Value::shaped(Shape::HttpResponse)];
        }
        if matches!(name, "Get" | "Head" | "Post" | "PostForm")
            && (matches!(receiver.shape, Shape::HttpClient)
                || self
                    .ix
                    .text_of(operand)
                    .to_ascii_lowercase()
                    .ends_with("client"))
        {
            self.effect(f, node, EffectKind::Network);
            if let Some(url) = values.first() {
                self.url_sink(f, node, &callee, url);
            }
            let body = if name == "Post" { 2 } else { 1 };
            if name.starts_with("Post")
                && let Some(body) = values.get(body)
            {
                self.sink(f, node, SinkKind::OutboundData, &callee, body, None);
            }
            return vec![Value::shaped(Shape::HttpResponse)];
        }
        if let Some(query) = self.sql_query_index(name, args) {
            if let Some(query) = values.get(query) {
                self.sink(f, node, SinkKind::Sql, &callee, query, None);
            }
            return Vec::new();
        }
        if name == "Decode"
            && let Some(target) = args.first()
        {
            self.decode_into(f, &receiver, *target);
            return Vec::new();
        }
        if MUTATORS.contains(&name)
            && let Some(root) = root_identifier(operand)
        {
            let written = union(&values);
            if written.is_tainted() {
                self.bind(f, root, written);
            }
            return Vec::new();
        }
        if let Some(result) = self.own_method(f, node, operand, name, &values) {
            return result;
        }
        if CLEAN_METHODS.contains(&name) {
            return Vec::new();
        }
        let mut value = receiver.plain();
        value.fixed_host = receiver.fixed_host;
        value.join(union(&values));
        if !TEXT_METHODS.contains(&name) {
            value = unknown_result(name, &[value]);
        }
        vec![value]
    }

    /// A method of this package's own types: `s.helper(x)` on the method's receiver, or
    /// on a variable of a type declared here.
    fn own_method(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        operand: Node<'t>,
        name: &'t str,
        values: &[Value],
    ) -> Option<Vec<Value>> {
        if operand.kind() != "identifier" {
            return None;
        }
        let var = self.ix.text_of(operand);
        let ty = match f.receiver {
            Some((receiver, ty)) if receiver == var => ty,
            _ => f
                .env
                .types
                .get(var)
                .map(|t| t.trim_start_matches(['*', '&']))
                .filter(|t| self.ix.struct_fields(t).is_some())?,
        };
        if let Some(method) = self.ix.method(ty, name) {
            return Some(self.call_local(f, node, method, name, values));
        }
        let module = self.ix.dir.clone();
        self.external(f, node, &[module], &format!("{ty}.{name}"), values);
        Some(vec![unknown_result(name, values)])
    }

    /// The index of the query argument of a database call, if `name` is one in a file
    /// that uses a SQL library. A leading context argument shifts it.
    fn sql_query_index(&self, name: &str, args: &[Node<'t>]) -> Option<usize> {
        let &(_, index) = SQL_METHODS.iter().find(|(m, _)| *m == name)?;
        if !SQL_LIBRARIES.iter().any(|l| self.ix.imports_containing(l)) {
            return None;
        }
        if matches!(name, "Select" | "Get" | "SelectContext" | "GetContext")
            && !self.ix.imports_containing("sqlx")
        {
            return None;
        }
        let takes_context = args.first().is_some_and(|a| {
            self.ix.text_of(*a).to_ascii_lowercase().contains("ctx")
                || self.ix.text_of(*a).starts_with("context.")
        });
        let index = if takes_context && !name.ends_with("Context") {
            index + 1
        } else {
            index
        };
        (index < args.len()).then_some(index)
    }

    /// A call of a function declared in this file, through its summary.
    fn call_local(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        function: Node<'t>,
        name: &str,
        values: &[Value],
    ) -> Vec<Value> {
        let Some(summary) = self.summary(function) else {
            return vec![unknown_result(name, values)];
        };
        let location = self.ix.location(node);
        let call_step = format!("passed to `{name}`");
        let labels_for = |this: &Self, index: usize, field: &Option<String>| -> Vec<Label> {
            let Some(value) = values.get(index) else {
                return Vec::new();
            };
            match (as_args(value), field) {
                (Some(object), Some(field)) => this.args_read(object, field, node).labels,
                (Some(_), None) => Vec::new(),
                (None, _) => value.labels.clone(),
            }
        };
        for flow in &summary.flows {
            for mut label in labels_for(self, flow.param_index, &flow.field) {
                if label.clean.contains(flow.sink)
                    || (label.is_remote() && !remote_data_matters(flow.sink))
                {
                    continue;
                }
                let notes = label.weak_notes(flow.sink).join("; ");
                label.push_step(location.clone(), call_step.clone());
                label.steps.extend(flow.steps.iter().cloned());
                if !notes.is_empty()
                    && let Some(last) = label.steps.last_mut()
                {
                    last.message = format!("{} ({notes})", last.message);
                }
                let weak = !notes.is_empty() || label.partial;
                let confidence = if weak {
                    flow.confidence.min(assay_core::Confidence::Medium)
                } else {
                    flow.confidence
                };
                self.push_hit(
                    f,
                    super::interp::Hit {
                        label,
                        kind: flow.sink,
                        callee: flow.sink_callee.clone(),
                        snippet: flow.sink_snippet.clone(),
                        confidence,
                    },
                );
            }
        }
        for forward in &summary.forwards {
            for mut label in labels_for(self, forward.param_index, &forward.field) {
                label.push_step(location.clone(), call_step.clone());
                label.steps.extend(forward.steps.iter().cloned());
                Self::record_call(f, forward.call.clone(), label);
            }
        }
        for effect in &summary.effects {
            if f.effects.len() < 256 && !f.effects.contains(effect) {
                f.effects.push(effect.clone());
            }
        }
        summary
            .returns
            .iter()
            .map(|returned| {
                let mut out = Value {
                    credential: returned.credential,
                    fixed_host: returned.fixed_host,
                    shape: match &returned.shape {
                        Shape::Args(object) => match object.base {
                            ArgsBase::Param(i) => values
                                .get(i)
                                .filter(|v| as_args(v).is_some())
                                .map(|v| v.shape.clone())
                                .unwrap_or_default(),
                            ArgsBase::Tool { .. } => returned.shape.clone(),
                        },
                        other => other.clone(),
                    },
                    ..Value::default()
                };
                for inner in &returned.labels {
                    match &inner.origin {
                        Origin::Param { index, field } => {
                            for mut label in labels_for(self, *index, field) {
                                label.push_step(location.clone(), call_step.clone());
                                label.steps.extend(inner.steps.iter().cloned());
                                label.clean = label.clean.union(inner.clean);
                                for (kind, message) in &inner.weak {
                                    label.add_weak(*kind, message);
                                }
                                label.partial |= inner.partial;
                                label.path.lexical |= inner.path.lexical;
                                label.path.real |= inner.path.real;
                                out.add_label(label);
                            }
                        }
                        Origin::Source(_) => {
                            let mut label = inner.clone();
                            label.push_step(location.clone(), format!("returned by `{name}`"));
                            out.add_label(label);
                        }
                    }
                }
                out
            })
            .collect()
    }

    /// Records tainted arguments of a call to a function defined in another file or
    /// package (`modules` are the candidate modules it may live in).
    fn external(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        modules: &[String],
        name: &str,
        values: &[Value],
    ) {
        if modules.is_empty() {
            return;
        }
        let location = self.ix.location(node);
        let step = format!("passed to `{name}`");
        for (arg_index, value) in values.iter().enumerate() {
            let mut labelled: Vec<(Option<String>, Label)> = Vec::new();
            match as_args(value) {
                Some(object) => match &object.base {
                    ArgsBase::Tool { params, .. } if !params.is_empty() => {
                        for param in params.iter() {
                            for label in self.args_read(object, &param.name, node).labels {
                                labelled.push((Some(param.name.clone()), label));
                            }
                        }
                    }
                    ArgsBase::Tool { tool, .. } => {
                        let mut label = Label::new(
                            Origin::Source(SourceKind::ToolParameter {
                                tool: tool.clone(),
                                param: "arguments".to_string(),
                            }),
                            tool.clone(),
                            assay_core::FlowStep {
                                location: location.clone(),
                                message: "tool arguments".to_string(),
                            },
                        );
                        label.partial = true;
                        labelled.push((None, label));
                    }
                    ArgsBase::Param(index) => {
                        let mut steps = object.steps.clone();
                        if steps.is_empty() {
                            continue;
                        }
                        let first = steps.remove(0);
                        let mut label = Label::new(
                            Origin::Param {
                                index: *index,
                                field: None,
                            },
                            None,
                            first,
                        );
                        label.steps.extend(steps);
                        labelled.push((None, label));
                    }
                },
                None => {
                    for label in &value.labels {
                        labelled.push((None, label.clone()));
                    }
                }
            }
            for (field, mut label) in labelled {
                label.push_step(location.clone(), step.clone());
                for module in modules {
                    let target = CallTarget {
                        module: Some(module.clone()),
                        name: name.to_string(),
                        arg_index,
                        field: field.clone(),
                    };
                    Self::record_call(f, target, label.clone());
                }
            }
        }
    }

    /// Records an effect at `node`.
    pub(super) fn effect(&self, f: &mut Frame<'t>, node: Node<'t>, kind: EffectKind) {
        let callee = node
            .child_by_field_name("function")
            .map_or("", |n| self.ix.text_of(n));
        let effect = Effect {
            kind,
            callee: index::bounded(callee, 80),
            location: self.ix.location(node),
        };
        if f.effects.len() < 256 && !f.effects.contains(&effect) {
            f.effects.push(effect);
        }
    }
}

/// The union of the values' taint (plain values).
pub(super) fn union(values: &[Value]) -> Value {
    let mut out = Value::default();
    for value in values {
        out.join(value.plain());
    }
    out
}

/// The result of a function this module cannot see: the arguments' taint, marked partial
/// — or nothing when the function's name says it validates or escapes.
fn unknown_result(name: &str, values: &[Value]) -> Value {
    let lower = name.to_ascii_lowercase();
    if is_validator_name(name)
        || ["sanitiz", "escape", "quote"]
            .iter()
            .any(|w| lower.contains(w))
    {
        return Value::default();
    }
    union(values).map_labels(|l| l.partial = true)
}

/// Snapshot directories an import path may correspond to: its last one to four
/// segments (`github.com/acme/srv/internal/tools` → `tools`, `internal/tools`, …).
fn module_candidates(path: &str) -> Vec<String> {
    if index::is_stdlib(path) {
        return Vec::new();
    }
    let segments: Vec<&str> = path.split('/').collect();
    (1..=segments.len().min(4))
        .map(|n| segments[segments.len() - n..].join("/"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_map_to_directory_suffixes() {
        assert_eq!(
            module_candidates("github.com/acme/srv/internal/tools"),
            [
                "tools",
                "internal/tools",
                "srv/internal/tools",
                "acme/srv/internal/tools"
            ]
        );
        assert!(module_candidates("os/exec").is_empty());
    }
}
