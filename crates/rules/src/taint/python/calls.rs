//! Calls: resolving the callee, then (after effects and sinks are checked) the value a
//! call returns — a sanitizer's cleaned value, a same-file function's summarised return,
//! an HTTP response, a `pathlib.Path`, or what the arguments carried.

use assay_core::{Confidence, FlowStep};
use tree_sitter::Node;

use super::engine::{ExtCall, FnCx, Hit, LocalCall};
use super::guards::{Containment, Fact, FactEffect};
use super::value::{Kind, Origin, Trace, Value};
use crate::taint::{CallTarget, SinkKind, SinkKinds};

/// Conversions whose result carries no attacker-chosen text.
const CLEANING: &[&str] = &[
    "int",
    "float",
    "bool",
    "len",
    "abs",
    "round",
    "hash",
    "ord",
    "id",
    "isinstance",
    "callable",
    "uuid.UUID",
    "decimal.Decimal",
    "ipaddress.ip_address",
    "os.path.exists",
    "os.path.isfile",
    "os.path.isdir",
    "os.path.getsize",
    "datetime.date.fromisoformat",
    "datetime.datetime.fromisoformat",
];

/// Functions that pass their arguments through unchanged in kind (the result is as
/// trustworthy as the input, and fully resolved).
const TRANSPARENT_MODULES: &[&str] = &[
    "os.path.",
    "json.",
    "base64.",
    "binascii.",
    "urllib.parse.",
    "shlex.",
    "textwrap.",
    "string.",
    "codecs.",
    "html.",
    "re.",
    "itertools.",
    "functools.",
    "copy.",
    "pathlib.",
    "typing.",
    "os.",
];
const TRANSPARENT_BUILTINS: &[&str] = &[
    "str",
    "repr",
    "format",
    "list",
    "tuple",
    "set",
    "dict",
    "sorted",
    "reversed",
    "iter",
    "next",
    "min",
    "max",
    "bytes",
    "bytearray",
    "frozenset",
    "enumerate",
    "zip",
    "map",
    "filter",
    "getattr",
    "print",
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "markupsafe.Markup",
];

/// Methods that add their arguments to the receiver.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "appendleft",
    "setdefault",
    "push",
];

/// Name parts of functions defined elsewhere that are taken for sanitizers.
const SANITIZER_NAMES: &[&str] = &[
    "sanitiz",
    "sanitis",
    "escape",
    "quote",
    "validat",
    "safe",
    "clean",
    "allowlist",
    "whitelist",
];

/// The arguments of a call, evaluated once.
pub(super) struct Args<'t> {
    /// Positional arguments.
    pub positional: Vec<(Node<'t>, Value<'t>)>,
    /// Keyword arguments.
    pub keywords: Vec<(&'t str, Node<'t>, Value<'t>)>,
    /// `*args` / `**kwargs` splats.
    pub splats: Vec<(Node<'t>, Value<'t>)>,
}

impl<'t> Args<'t> {
    /// Positional argument `index`, or keyword `name`.
    pub(super) fn get(&self, index: usize, name: &str) -> Option<(Node<'t>, &Value<'t>)> {
        self.keyword(name)
            .or_else(|| self.positional.get(index).map(|(n, v)| (*n, v)))
    }

    /// Keyword argument `name`.
    pub(super) fn keyword(&self, name: &str) -> Option<(Node<'t>, &Value<'t>)> {
        self.keywords
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, n, v)| (*n, v))
    }

    /// Every argument's value.
    pub(super) fn all(&self) -> impl Iterator<Item = &Value<'t>> {
        self.positional
            .iter()
            .map(|(_, v)| v)
            .chain(self.keywords.iter().map(|(_, _, v)| v))
            .chain(self.splats.iter().map(|(_, v)| v))
    }
}

/// What a call calls.
pub(super) struct Callee<'t> {
    /// The function expression.
    pub function: Node<'t>,
    /// Dotted name with imports resolved (`subprocess.run`), or empty when the callee is
    /// not a dotted name (`Path(x).read_text`).
    pub canonical: String,
    /// The method name, for attribute callees.
    pub method: Option<&'t str>,
    /// The receiver, for attribute callees.
    pub receiver: Option<Node<'t>>,
    /// The receiver's value.
    pub receiver_value: Value<'t>,
}

impl Callee<'_> {
    /// The name shown in findings.
    pub(super) fn display(&self) -> String {
        match (self.canonical.is_empty(), self.method) {
            (false, _) => self.canonical.clone(),
            (true, Some(method)) if self.receiver_value.kind == Kind::PathObject => {
                format!("pathlib.Path.{method}")
            }
            (true, Some(method)) => format!("….{method}"),
            (true, None) => "call".to_string(),
        }
    }

    /// The last segment of the callee's name.
    pub(super) fn last(&self) -> &str {
        match self.method {
            Some(method) => method,
            None => self.canonical.rsplit('.').next().unwrap_or(""),
        }
    }
}

impl<'t> FnCx<'_, '_, 't> {
    /// Evaluates a call: effects, sinks, then its value.
    pub(super) fn eval_call(&mut self, call: Node<'t>) -> Value<'t> {
        let Some(function) = call.child_by_field_name("function") else {
            return Value::default();
        };
        let callee = self.callee(function);
        let args = self.args(call);
        self.record_effect(&callee, call, &args);
        self.check_sinks(&callee, call, &args);
        self.call_result(&callee, call, &args)
    }

    fn callee(&mut self, function: Node<'t>) -> Callee<'t> {
        let dotted = is_dotted(function).then(|| self.index().text_of(function));
        let canonical = dotted.map_or_else(String::new, |d| self.index().imports.canonical(d));
        let (receiver, method) = if function.kind() == "attribute" {
            (
                function.child_by_field_name("object"),
                function
                    .child_by_field_name("attribute")
                    .map(|a| self.index().text_of(a)),
            )
        } else {
            (None, None)
        };
        let receiver_value = receiver.map(|r| self.eval(r)).unwrap_or_default();
        Callee {
            function,
            canonical,
            method,
            receiver,
            receiver_value,
        }
    }

    fn args(&mut self, call: Node<'t>) -> Args<'t> {
        let mut args = Args {
            positional: Vec::new(),
            keywords: Vec::new(),
            splats: Vec::new(),
        };
        let Some(list) = call.child_by_field_name("arguments") else {
            return args;
        };
        if list.kind() == "generator_expression" {
            let value = self.eval(list);
            args.positional.push((list, value));
            return args;
        }
        let mut cursor = list.walk();
        let items: Vec<_> = list.named_children(&mut cursor).collect();
        for item in items {
            match item.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (
                        item.child_by_field_name("name"),
                        item.child_by_field_name("value"),
                    ) {
                        let v = self.eval(value);
                        args.keywords.push((self.index().text_of(name), value, v));
                    }
                }
                "list_splat" | "dictionary_splat" => {
                    let v = self.eval(item);
                    args.splats.push((item, v));
                }
                "comment" => {}
                _ => {
                    let v = self.eval(item);
                    args.positional.push((item, v));
                }
            }
        }
        args
    }

    fn call_result(&mut self, callee: &Callee<'t>, call: Node<'t>, args: &Args<'t>) -> Value<'t> {
        let name = callee.canonical.as_str();
        let first = || {
            args.positional
                .first()
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        if CLEANING.contains(&name) {
            return Value::default();
        }
        match name {
            "shlex.quote" | "pipes.quote" => {
                let step = self.step(
                    call,
                    format!("quoted for the shell: `{}`", self.short(call)),
                );
                return first().map_traces(|t| {
                    t.cleared = t.cleared.union(SinkKinds::of(&[SinkKind::Command]));
                    t.push(step.clone());
                });
            }
            "os.path.realpath" => return first().map_traces(|t| t.path.resolved = true),
            "os.path.abspath" | "os.path.normpath" => {
                return first().map_traces(|t| t.path.normalised = true);
            }
            "os.path.basename" | "werkzeug.utils.secure_filename" => {
                return first().map_traces(|t| {
                    t.cleared = t.cleared.union(SinkKinds::of(&[SinkKind::PathAccess]));
                });
            }
            _ => {}
        }
        if let Some(value) = self.path_object(callee, args) {
            return value;
        }
        if let Some(value) = self.http_value(callee, call, args) {
            return value;
        }
        if callee.method == Some("get")
            && callee.receiver_value.is_tainted()
            && let Some((key, _)) = args.positional.first()
            && let Some(key) = self.index().const_str(*key)
        {
            return self.item(callee.receiver_value.clone(), Some(&key), call);
        }
        if let Some(function) = self.local_function(callee) {
            return self.apply_summary(function, call, args);
        }
        if let Some(class) = self.class_instance(callee) {
            return Value::of_kind(Kind::Instance(class));
        }
        if let Some(method) = callee.method {
            if MUTATORS.contains(&method) {
                self.mutate(callee, call, args);
                return Value::default();
            }
            if method == "relative_to"
                && let Some(receiver) = callee.receiver
            {
                let fact = Fact {
                    subject: receiver,
                    effect: FactEffect::Contained(Containment::Correct),
                };
                self.apply_facts(&[fact], call);
            }
        }
        let last = callee.last().to_ascii_lowercase();
        if name != "re.escape" && SANITIZER_NAMES.iter().any(|s| last.contains(s)) {
            return Value::default();
        }
        if let Some((module, function)) = self.project_target(callee) {
            return self.external_call(module, function, call, args);
        }
        self.propagate(callee, args)
    }

    /// What an unknown or transparent call returns: everything its receiver and arguments
    /// carry; a plain function nothing is known of lowers the confidence.
    fn propagate(&self, callee: &Callee<'t>, args: &Args<'t>) -> Value<'t> {
        let mut out = Value::union(std::iter::once(&callee.receiver_value).chain(args.all()));
        let name = callee.canonical.as_str();
        let known = callee.method.is_some_and(|_| !is_module_call(self, callee))
            || TRANSPARENT_BUILTINS.contains(&name)
            || TRANSPARENT_MODULES.iter().any(|m| name.starts_with(m));
        let composes = matches!(callee.last(), "format" | "join" | "format_map");
        if !known || composes {
            out = out.map_traces(|t| {
                if !known {
                    t.confidence = t.confidence.min(Confidence::Medium);
                }
                t.composed |= composes;
            });
        }
        out
    }

    /// `Path(x)`, `p / x`, `p.joinpath(x)`, `p.resolve()`: path objects.
    fn path_object(&self, callee: &Callee<'t>, args: &Args<'t>) -> Option<Value<'t>> {
        let name = callee.canonical.as_str();
        let constructor = matches!(
            name,
            "pathlib.Path"
                | "pathlib.PurePath"
                | "pathlib.PosixPath"
                | "pathlib.PurePosixPath"
                | "Path"
        );
        if constructor {
            let mut value = Value::union(args.all());
            value.kind = Kind::PathObject;
            return Some(value);
        }
        // A tainted value calling `resolve()` is a path too (a `Path` parameter).
        let method = callee.method?;
        let tainted_resolve =
            matches!(method, "resolve" | "absolute") && callee.receiver_value.is_tainted();
        if callee.receiver_value.kind != Kind::PathObject && !tainted_resolve {
            return None;
        }
        let receiver = callee.receiver_value.clone();
        let path = |mut v: Value<'t>| {
            v.kind = Kind::PathObject;
            v.def = None;
            v
        };
        match method {
            "resolve" | "readlink" => Some(path(receiver.map_traces(|t| t.path.resolved = true))),
            "absolute" => Some(path(receiver.map_traces(|t| t.path.normalised = true))),
            "joinpath" | "with_name" | "with_suffix" | "with_stem" | "expanduser" => {
                let mut v = receiver;
                for a in args.all() {
                    v.absorb(a);
                }
                Some(path(v))
            }
            // File contents are the server's, not the caller's.
            "read_text" | "read_bytes" | "open" | "exists" | "is_file" | "is_dir" | "stat" => {
                Some(Value::default())
            }
            _ => None,
        }
    }

    /// The function of this file a call resolves to.
    fn local_function(&self, callee: &Callee<'t>) -> Option<usize> {
        let index = self.index();
        match (callee.function.kind(), callee.receiver, callee.method) {
            ("identifier", _, _) => {
                let name = index.text_of(callee.function);
                (!index.imports.binds(name))
                    .then(|| index.function_named(name))
                    .flatten()
            }
            (_, Some(receiver), Some(method)) => {
                let receiver_text = index.text_of(receiver);
                let class = match (receiver_text, callee.receiver_value.kind) {
                    ("self" | "cls", _) => self.function.and_then(|f| index.functions[f].class),
                    (_, Kind::Instance(class)) if index.is_class(class) => Some(class),
                    (name, _) if index.is_class(name) => Some(name),
                    _ => None,
                }?;
                index.method(class, method)
            }
            _ => None,
        }
    }

    /// `Runner(…)` for a class of this file or an imported project class.
    fn class_instance(&self, callee: &Callee<'t>) -> Option<&'t str> {
        self.is_class_name(callee.function)
            .then(|| self.index().text_of(callee.function))
    }

    /// Whether `function` names a class of this file or an imported project class.
    pub(super) fn is_class_name(&self, function: Node<'t>) -> bool {
        let index = self.index();
        let name = index.text_of(function);
        let capitalised = name
            .rsplit('.')
            .next()
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()));
        capitalised
            && is_dotted(function)
            && (index.is_class(name) || index.imports.project_target(name, index.path).is_some())
    }

    /// The package module and name a call to another file resolves to.
    fn project_target(&self, callee: &Callee<'t>) -> Option<(String, String)> {
        let index = self.index();
        if let (Kind::Instance(class), Some(method)) = (callee.receiver_value.kind, callee.method) {
            return index
                .imports
                .project_target(&format!("{class}.{method}"), index.path);
        }
        is_dotted(callee.function)
            .then(|| {
                index
                    .imports
                    .project_target(index.text_of(callee.function), index.path)
            })
            .flatten()
    }

    /// Replays the summary of same-file function `function` with this call's arguments.
    fn apply_summary(&mut self, function: usize, call: Node<'t>, args: &Args<'t>) -> Value<'t> {
        let Some(summary) = self.an.summary(function, self.depth + 1) else {
            let values: Vec<_> = args.all().cloned().collect();
            return Value::union(&values)
                .map_traces(|t| t.confidence = t.confidence.min(Confidence::Medium));
        };
        let location = self.location(call);
        self.out.local_calls.push(LocalCall { function, location });
        let f = &self.index().functions[function];
        let variadic = f.params.iter().position(|p| p.variadic);
        let mut by_param: Vec<(usize, Node<'t>, Value<'t>)> = args
            .positional
            .iter()
            .enumerate()
            .map(|(i, (n, v))| (variadic.map_or(i, |vi| i.min(vi)), *n, v.clone()))
            .collect();
        for (name, node, value) in &args.keywords {
            if let Some(i) = f.params.iter().position(|p| p.name == *name) {
                by_param.push((i, *node, value.clone()));
            }
        }
        let call_step = self.step(call, format!("passed to `{}()`", f.name));
        let arg = |index: usize| by_param.iter().filter(move |(i, _, _)| *i == index);
        for hit in &summary.hits {
            let Origin::Param { index, .. } = hit.trace.origin else {
                continue;
            };
            for (_, node, value) in arg(index) {
                for (sink, value) in self.argument_sinks(hit, *node, value) {
                    for trace in value.traces.iter().filter(|t| t.reaches(sink)) {
                        let mut h = hit.clone();
                        h.sink = sink;
                        h.confidence = trace.confidence_for(sink).min(hit.confidence);
                        h.trace = compose(trace, &hit.trace, &call_step);
                        h.whole_argv = false;
                        self.out.hits.push(h);
                    }
                }
            }
        }
        for ext in &summary.calls {
            let Origin::Param { index, .. } = ext.trace.origin else {
                continue;
            };
            for (_, _, value) in arg(index) {
                for trace in &value.traces {
                    self.out.calls.push(ExtCall {
                        trace: compose(trace, &ext.trace, &call_step),
                        target: ext.target.clone(),
                    });
                }
            }
        }
        let mut result = Value::default();
        let return_step = self.step(call, format!("returned by `{}()`", f.name));
        for ret in &summary.returns {
            match ret.origin {
                Origin::Param { index, .. } => {
                    for (_, _, value) in arg(index) {
                        for trace in &value.traces {
                            let mut t = compose(trace, ret, &call_step);
                            t.push(return_step.clone());
                            result.add(t);
                        }
                    }
                }
                Origin::Remote { .. } => {
                    let mut t = ret.clone();
                    t.push(return_step.clone());
                    result.add(t);
                }
            }
        }
        for guard in &summary.guards {
            for (_, node, _) in arg(guard.index) {
                let key = self.index().text_of(*node).to_string();
                if let Some(value) = self.env.get_mut(&key) {
                    for trace in &mut value.traces {
                        trace.cleared = trace.cleared.union(guard.clears);
                    }
                }
            }
        }
        result
    }

    /// What a callee's hit on one of its parameters means for this call's argument: a
    /// list literal passed where the callee runs the parameter as an argument vector is
    /// judged on its own elements (program, `--`, options); otherwise the hit stands.
    fn argument_sinks(
        &mut self,
        hit: &Hit,
        node: Node<'t>,
        value: &Value<'t>,
    ) -> Vec<(SinkKind, Value<'t>)> {
        let argv_hit = hit.whole_argv || hit.sink == SinkKind::Argument;
        let elements = if argv_hit {
            self.argv_elements(node)
        } else {
            None
        };
        match elements {
            Some(elements) if hit.whole_argv => self
                .argv_flows(&elements)
                .into_iter()
                .map(|f| (f.sink, f.value))
                .collect(),
            Some(elements) => vec![(SinkKind::Argument, self.option_exposed(&elements))],
            None => vec![(hit.sink, value.clone())],
        }
    }

    /// Records the tainted arguments of a call to another module of the package; the
    /// result carries them at medium confidence (the callee's body is not seen here).
    fn external_call(
        &mut self,
        module: String,
        name: String,
        call: Node<'t>,
        args: &Args<'t>,
    ) -> Value<'t> {
        let step = self.step(call, format!("passed to `{name}()` of `{module}`"));
        for (arg_index, (_, value)) in args.positional.iter().enumerate() {
            for trace in &value.traces {
                let mut t = trace.clone();
                t.push(step.clone());
                self.out.calls.push(ExtCall {
                    trace: t,
                    target: CallTarget {
                        module: Some(module.clone()),
                        name: name.clone(),
                        arg_index,
                        field: None,
                    },
                });
            }
        }
        Value::union(args.all()).map_traces(|t| t.confidence = t.confidence.min(Confidence::Medium))
    }

    /// `cmd.append(x)`, `parts.extend(xs)`, `d.update(…)`: the receiver takes the data.
    fn mutate(&mut self, callee: &Callee<'t>, call: Node<'t>, args: &Args<'t>) {
        let Some(receiver) = callee.receiver.filter(|r| is_dotted(*r)) else {
            return;
        };
        let added = Value::union(args.all());
        if !added.is_tainted() {
            return;
        }
        let step = self.step(call, format!("added: `{}`", self.short(call)));
        let key = self.index().text_of(receiver).to_string();
        let entry = self.env.entry(key).or_default();
        for mut trace in added.traces {
            trace.push(step.clone());
            entry.add(trace);
        }
    }
}

/// Whether the callee is `module.function` of an imported module (not a method of a value).
fn is_module_call(cx: &FnCx<'_, '_, '_>, callee: &Callee<'_>) -> bool {
    callee.receiver.is_some_and(|r| {
        let text = cx.index().text_of(r);
        let first = text.split('.').next().unwrap_or(text);
        r.kind() != "call" && cx.index().imports.binds(first) && !cx.env.contains_key(text)
    })
}

/// `caller` continued through a call into `callee`'s trace (which starts at the callee's
/// parameter): the caller's origin, both paths, the callee's sanitizers and path state.
pub(super) fn compose(caller: &Trace, callee: &Trace, call_step: &FlowStep) -> Trace {
    let mut t = caller.clone();
    if let (
        Origin::Param {
            field: f @ None, ..
        },
        Origin::Param {
            field: Some(inner), ..
        },
    ) = (&mut t.origin, &callee.origin)
    {
        *f = Some(inner.clone());
    }
    t.push(call_step.clone());
    for step in &callee.steps {
        t.push(step.clone());
    }
    t.confidence = t.confidence.min(callee.confidence);
    t.cleared = t.cleared.union(callee.cleared);
    t.weak = t.weak.union(callee.weak);
    t.path.resolved |= callee.path.resolved;
    t.path.normalised |= callee.path.normalised;
    t.composed |= callee.composed;
    t
}

/// Whether `node` is a name or a chain of attributes of a name (`a`, `a.b.c`).
pub(super) fn is_dotted(node: Node<'_>) -> bool {
    match node.kind() {
        "identifier" => true,
        "attribute" => node.child_by_field_name("object").is_some_and(is_dotted),
        _ => false,
    }
}
