//! Calls: sinks, what a call returns (propagation, sanitizers, remote data), callbacks,
//! and calls into same-file functions and other modules.

use std::rc::Rc;

use assay_core::Confidence;
use tree_sitter::Node;

use super::expr::fixed_host_clears;
use super::names::{Alias, spec_alias};
use super::sinks::{self, CallKind, ProgramRole};
use super::syntax::{field, is_function, key_text, member_property, string_value, unwrap};
use super::value::{Origin, Source, Value};
use super::walk::Analyzer;
use crate::taint::{SinkKind, SinkKinds};

/// Methods whose result says nothing about the data (booleans, numbers).
const OPAQUE_METHODS: &[&str] = &[
    "includes",
    "startsWith",
    "endsWith",
    "test",
    "indexOf",
    "lastIndexOf",
    "has",
    "some",
    "every",
    "localeCompare",
    "charCodeAt",
    "codePointAt",
    "search",
    "findIndex",
    "isFile",
    "isDirectory",
    "getTime",
    "size",
];
/// Methods that pass their receiver's (and arguments') data on unchanged in substance.
const PASSING_METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "toString",
    "toLowerCase",
    "toUpperCase",
    "slice",
    "substring",
    "substr",
    "split",
    "join",
    "concat",
    "replace",
    "replaceAll",
    "padStart",
    "padEnd",
    "normalize",
    "at",
    "charAt",
    "repeat",
    "valueOf",
    "parse",
    "safeParse",
    "parseAsync",
    "safeParseAsync",
    "flat",
    "reverse",
    "toLocaleLowerCase",
    "toJSON",
    "href",
    "format",
    "values",
    "entries",
    "keys",
    "from",
    "assign",
    "stringify",
    "resolve",
    "all",
    "allSettled",
    "fromEntries",
    "toFixed",
];
/// Methods of built-in objects, streams and emitters not listed above: a call by one of
/// these names is never resolved to a same-file method of the same name.
const BUILTIN_METHODS: &[&str] = &[
    "get", "set", "add", "delete", "push", "unshift", "pop", "shift", "splice", "sort", "call",
    "apply", "bind", "json", "text", "send", "write", "end", "emit", "on", "once", "off", "close",
    "connect", "listen", "log", "info", "warn", "error", "debug", "append", "match", "exec",
    "search", "fill", "clear",
];
/// Array and promise methods whose callback receives the receiver's data.
const CALLBACK_METHODS: &[&str] = &[
    "then", "catch", "finally", "map", "forEach", "filter", "find", "flatMap", "some", "every",
    "reduce", "findLast",
];
/// Globals whose result carries no caller data.
const OPAQUE_GLOBALS: &[&str] = &[
    "Number",
    "parseInt",
    "parseFloat",
    "Boolean",
    "isNaN",
    "isFinite",
    "Date",
    "BigInt",
];
/// Globals that pass their arguments' data on.
const PASSING_GLOBALS: &[&str] = &[
    "String",
    "decodeURIComponent",
    "decodeURI",
    "encodeURI",
    "unescape",
    "Array",
    "Object",
    "structuredClone",
    "Buffer",
    "JSON",
    "Promise",
    "URLSearchParams",
];
/// Header and option names that carry credentials.
const CREDENTIAL_KEYS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "private-token",
    "cookie",
    "x-access-token",
    "auth",
    "bearer",
    "token",
    "password",
];

/// The callee of a call, resolved.
struct Callee<'t> {
    /// The callee expression.
    node: Node<'t>,
    /// The receiver's value, for method calls.
    receiver: Option<Value>,
    /// The method name, for method calls.
    method: Option<&'t str>,
    /// The callee's value (alias, function node).
    value: Value,
    /// The name of an unbound global (`fetch`, `eval`).
    global: Option<&'t str>,
}

impl<'t> Analyzer<'t> {
    /// Evaluates a call or `new` expression.
    pub(super) fn call(&mut self, node: Node<'t>, is_new: bool) -> Value {
        let callee_field = if is_new { "constructor" } else { "function" };
        let Some(callee_node) = field(node, callee_field) else {
            return Value::default();
        };
        if let Some(args) = field(node, "arguments")
            && args.kind() == "template_string"
        {
            // Tagged templates (zx `$`, `sql`…) escape or parameterise substitutions.
            self.eval(callee_node);
            self.eval(args);
            return Value::default();
        }
        let callee = self.callee(callee_node);
        let arg_nodes = match field(node, "arguments") {
            Some(args) if args.kind() == "arguments" => self.kids(args),
            _ => Vec::new(),
        };
        let callback_input = match (&callee.receiver, callee.method) {
            (Some(receiver), Some(m)) if CALLBACK_METHODS.contains(&m) && receiver.is_tainted() => {
                Some(receiver.derived())
            }
            _ => None,
        };
        let mut values = Vec::with_capacity(arg_nodes.len());
        let mut callback_returns = Value::default();
        for arg in &arg_nodes {
            let inner = unwrap(*arg);
            if is_function(inner) {
                let given = callback_input.clone().map(|v| vec![v.clone(), v]);
                let returns = self.walk_function(inner, given);
                callback_returns.absorb(&returns);
                values.push(Value {
                    node: Some(inner.id()),
                    ..Value::default()
                });
            } else {
                values.push(self.eval(*arg));
            }
        }
        if let Some(value) = self.module_call(&callee, &values) {
            return value;
        }
        let package = callee
            .value
            .alias
            .as_ref()
            .and_then(|a| a.package().map(String::from));
        let kind = match (&package, callee.global) {
            (Some(p), _) => sinks::package_call(p, is_new),
            (None, Some(g)) => sinks::global_call(g, is_new),
            _ => None,
        }
        .or_else(|| {
            let method = callee.method?;
            (sinks::is_sql_method(method) && package.is_none()).then_some(CallKind::Sql)
        });
        if let Some(kind) = kind {
            self.apply_sink(kind, node, callee.node, &values, &arg_nodes);
            if kind == CallKind::Http {
                let step = self.step(
                    node,
                    format!("HTTP response of `{}(…)`", self.short(callee.node)),
                );
                return Value::tainted(Origin::new(
                    Source::Remote {
                        what: "HTTP response".into(),
                        response: true,
                    },
                    step,
                ));
            }
        }
        if let Some(function) = self
            .function_node(&callee.value)
            .or_else(|| self.untyped_method(&callee, &values))
        {
            return self.call_same_file(function, node, &values);
        }
        if let Some(Alias::Local {
            modules,
            name: Some(name),
        }) = callee.value.alias.as_deref()
        {
            self.call_other_module(modules, name, node, &values);
            return self.unknown_result(name, &values, None);
        }
        self.result(
            &callee,
            package.as_deref(),
            node,
            &values,
            &arg_nodes,
            callback_returns,
        )
    }

    fn callee(&mut self, callee_node: Node<'t>) -> Callee<'t> {
        let node = unwrap(callee_node);
        if matches!(node.kind(), "member_expression" | "subscript_expression")
            && let Some(object) = field(node, "object")
        {
            let method = member_property(node, self.text);
            if unwrap(object).kind() == "this" {
                let value = self.eval(node);
                return Callee {
                    node,
                    receiver: None,
                    method,
                    value,
                    global: None,
                };
            }
            let receiver = self.eval(object);
            let alias = method
                .and_then(|m| receiver.alias.as_ref().and_then(|a| a.member(m)))
                .map(Rc::new);
            // Global namespaces (`JSON.parse`, `Math.max`, `vm` when required elsewhere).
            let global = (unwrap(object).kind() == "identifier" && receiver.alias.is_none())
                .then(|| self.src(unwrap(object)))
                .filter(|name| self.lookup(name).is_none());
            return Callee {
                node,
                value: Value {
                    alias,
                    ..Value::default()
                },
                receiver: Some(receiver),
                method,
                global,
            };
        }
        let value = self.eval(node);
        let global = (node.kind() == "identifier"
            && value.alias.is_none()
            && value.node.is_none()
            && self.lookup(self.src(node)).is_none())
        .then(|| self.src(node));
        Callee {
            node,
            receiver: None,
            method: None,
            value,
            global,
        }
    }

    /// The method a call on an object the file cannot type resolves to
    /// (`provider.redirect(url)` with `provider` a parameter of an interface type): the
    /// file's only class or object-literal method of that name. The receiver carries no
    /// data but (at most) a parameter of the enclosing function; only calls passing
    /// tainted data are resolved, and never by the name of a built-in method.
    fn untyped_method(&self, callee: &Callee<'t>, values: &[Value]) -> Option<Node<'t>> {
        let (Some(receiver), Some(method)) = (&callee.receiver, callee.method) else {
            return None;
        };
        let untyped = callee.global.is_none()
            && receiver.alias.is_none()
            && receiver.node.is_none()
            && receiver.elements.is_none()
            && !receiver.table
            && receiver
                .origins
                .iter()
                .all(|o| matches!(o.source, Source::Param { .. }));
        if !untyped
            || !values.iter().any(Value::is_tainted)
            || [
                OPAQUE_METHODS,
                PASSING_METHODS,
                CALLBACK_METHODS,
                BUILTIN_METHODS,
            ]
            .iter()
            .any(|names| names.contains(&method))
        {
            return None;
        }
        self.index.method(method).filter(|m| is_function(*m))
    }

    /// `require(…)` and interop wrappers (`__importDefault`, `promisify`).
    fn module_call(&mut self, callee: &Callee<'t>, values: &[Value]) -> Option<Value> {
        let name = callee
            .method
            .or(callee.global)
            .unwrap_or_else(|| self.src(callee.node));
        let name = name.rsplit('.').next().unwrap_or(name);
        match name {
            "require" if callee.global.is_some() => {
                let spec = values.first()?;
                if !spec.text.complete {
                    return None;
                }
                Some(Value {
                    alias: Some(Rc::new(spec_alias(self.path, &spec.text.prefix))),
                    ..Value::default()
                })
            }
            "promisify"
            | "__importDefault"
            | "__importStar"
            | "_interopRequireDefault"
            | "_interopRequireWildcard"
            | "__toESM" => values.first().cloned(),
            _ => None,
        }
    }

    /// A short form of a callee for messages.
    pub(super) fn short(&self, callee: Node<'_>) -> String {
        let text = self.src(unwrap(callee));
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() > 60 {
            let cut: String = text.chars().take(57).collect();
            format!("{cut}…")
        } else {
            text
        }
    }

    fn apply_sink(
        &mut self,
        kind: CallKind,
        call: Node<'t>,
        callee: Node<'t>,
        values: &[Value],
        args: &[Node<'t>],
    ) {
        let arg = |i: usize| values.get(i).cloned().unwrap_or_default();
        match kind {
            CallKind::Shell => self.report_value(&arg(0), SinkKind::Command, call, callee, None),
            CallKind::Process => self.process(call, callee, values, args),
            CallKind::Args { kind, indices } => {
                for &i in indices {
                    self.report_value(&arg(i), kind, call, callee, None);
                }
            }
            CallKind::Sql => {
                let query = arg(0);
                if query.text.sql || self.src(callee).contains("Unsafe") {
                    self.report_value(&query, SinkKind::Sql, call, callee, None);
                }
            }
            CallKind::YamlLoad => {
                let unsafe_schema = args.get(1).is_some_and(|o| {
                    let t = self.src(*o);
                    t.contains("FULL") || t.contains("unsafe")
                });
                if unsafe_schema {
                    self.report_value(&arg(0), SinkKind::Deserialize, call, callee, None);
                }
            }
            CallKind::Http => self.http(call, callee, values, args),
        }
    }

    fn process(&mut self, call: Node<'t>, callee: Node<'t>, values: &[Value], args: &[Node<'t>]) {
        let program = values.first().cloned().unwrap_or_default();
        // `spawn(cmd, argv?, options?)`: the second argument is the argument array unless
        // it is the options object; the options follow the array.
        let argv_index = args
            .get(1)
            .filter(|a| self.object_literal(**a).is_none())
            .map(|_| 1);
        let argv = argv_index
            .and_then(|i| values.get(i))
            .cloned()
            .unwrap_or_default();
        let options = args.get(argv_index.map_or(1, |i| i + 1));
        let shell = options.is_some_and(|o| self.has_shell_option(*o));
        if shell {
            self.report_value(&program, SinkKind::Command, call, callee, None);
            self.report_value(&argv, SinkKind::Command, call, callee, None);
            return;
        }
        if !program.text.complete {
            self.report_value(&program, SinkKind::Command, call, callee, None);
            return;
        }
        let elements = argv.elements.clone();
        match sinks::program_role(&program.text.prefix) {
            ProgramRole::Shell => match &elements {
                Some(elements) => {
                    for pair in elements.windows(2) {
                        if pair[0].text.complete && sinks::is_shell_flag(&pair[0].text.prefix) {
                            self.report_value(&pair[1], SinkKind::Command, call, callee, None);
                        }
                    }
                }
                None => self.report_value(
                    &argv,
                    SinkKind::Command,
                    call,
                    callee,
                    Some(Confidence::Medium),
                ),
            },
            ProgramRole::Opener => {
                self.report_value(&argv, SinkKind::OpenExternal, call, callee, None)
            }
            ProgramRole::Interpreter(flags) => {
                if let Some(elements) = &elements {
                    for pair in elements.windows(2) {
                        if pair[0].text.complete && flags.contains(&pair[0].text.prefix.as_str()) {
                            self.report_value(&pair[1], SinkKind::CodeEval, call, callee, None);
                        }
                    }
                }
            }
            ProgramRole::Options => match &elements {
                Some(elements) => {
                    for element in elements {
                        if element.text.complete && element.text.prefix == "--" {
                            break;
                        }
                        if element.text.prefix.is_empty() {
                            self.report_value(element, SinkKind::Argument, call, callee, None);
                        }
                    }
                }
                None => self.report_value(
                    &argv,
                    SinkKind::Argument,
                    call,
                    callee,
                    Some(Confidence::Medium),
                ),
            },
            ProgramRole::Plain => {}
        }
    }

    /// Whether an options object (literal or variable bound to one) sets `shell`.
    fn has_shell_option(&self, options: Node<'t>) -> bool {
        let Some(object) = self.object_literal(options) else {
            return false;
        };
        self.kids(object).into_iter().any(|prop| match prop.kind() {
            "pair" => {
                field(prop, "key").is_some_and(|k| key_text(k, self.text) == "shell")
                    && field(prop, "value").is_some_and(|v| {
                        !matches!(unwrap(v).kind(), "false" | "undefined" | "null")
                    })
            }
            "shorthand_property_identifier" => self.src(prop) == "shell",
            _ => false,
        })
    }

    /// The object literal `node` is, or a variable bound to one.
    fn object_literal(&self, node: Node<'t>) -> Option<Node<'t>> {
        let node = unwrap(node);
        match node.kind() {
            "object" => Some(node),
            "identifier" => self
                .lookup(self.src(node))
                .and_then(|b| b.value.node)
                .and_then(|id| self.nodes.get(&id).copied())
                .filter(|n| n.kind() == "object"),
            _ => None,
        }
    }

    fn http(&mut self, call: Node<'t>, callee: Node<'t>, values: &[Value], args: &[Node<'t>]) {
        let Some(first) = values.first() else {
            return;
        };
        let options_first = args.first().and_then(|a| self.object_literal(*a)).is_some();
        let url_fields = [
            "url",
            "baseURL",
            "host",
            "hostname",
            "href",
            "origin",
            "prefixUrl",
        ];
        let credentials = args.iter().any(|a| {
            self.object_literal(*a)
                .is_some_and(|o| self.carries_credentials(o, 0))
        });
        let mut url = Value::default();
        let mut data = Value::default();
        for origin in &first.origins {
            let is_url = !options_first
                || origin
                    .at_field
                    .as_deref()
                    .is_some_and(|f| url_fields.contains(&f));
            if is_url {
                let mut origin = origin.clone();
                origin.at_field = None;
                url.add_origin(origin);
            } else {
                data.add_origin(origin.clone());
            }
        }
        if !options_first {
            url = clear_kinds(url, fixed_host_clears(&first.text.prefix));
        }
        for origin in &url.origins {
            if origin.guard.cleared.contains(SinkKind::Url) {
                data.add_origin(origin.clone());
            }
        }
        self.report_value(&url, SinkKind::Url, call, callee, None);
        if credentials {
            self.report_value(&url, SinkKind::CredentialToHost, call, callee, None);
        }
        for value in values.iter().skip(1) {
            data.absorb(value);
        }
        let data = data.map_origins(|o| o.at_field = None);
        self.report_value(&data, SinkKind::OutboundData, call, callee, None);
    }

    /// Whether an options object sets credential headers or auth options.
    fn carries_credentials(&self, object: Node<'t>, depth: usize) -> bool {
        if depth > 3 {
            return false;
        }
        self.kids(object).into_iter().any(|prop| {
            let (key, value) = match prop.kind() {
                "pair" => (
                    field(prop, "key").map(|k| key_text(k, self.text)),
                    field(prop, "value"),
                ),
                "shorthand_property_identifier" => (Some(self.src(prop)), Some(prop)),
                _ => return false,
            };
            let key = key.unwrap_or("").to_ascii_lowercase();
            if CREDENTIAL_KEYS
                .iter()
                .any(|c| key == *c || key.contains("token") || key.contains("secret"))
                && !key.is_empty()
            {
                return true;
            }
            value
                .and_then(|v| self.object_literal(v))
                .is_some_and(|inner| self.carries_credentials(inner, depth + 1))
        })
    }

    /// What a call returns when it is not a same-file or imported function.
    fn result(
        &mut self,
        callee: &Callee<'t>,
        package: Option<&str>,
        call: Node<'t>,
        values: &[Value],
        args: &[Node<'t>],
        callback_returns: Value,
    ) -> Value {
        let all_args = || Value::union(values.iter()).derived();
        if let Some(package) = package {
            let (module, member) = package.split_once('.').unwrap_or((package, ""));
            return match (module, member) {
                ("path", "basename" | "extname") => {
                    clear(all_args(), &[SinkKind::PathAccess, SinkKind::Argument])
                }
                ("path", _) => {
                    let mut out = all_args();
                    if matches!(
                        member,
                        "resolve"
                            | "join"
                            | "normalize"
                            | "posix.resolve"
                            | "posix.join"
                            | "win32.resolve"
                    ) {
                        out = out.map_origins(|o| o.guard.resolved = true);
                    }
                    if member == "join"
                        && values
                            .first()
                            .is_some_and(|v| v.text.complete && !v.text.prefix.is_empty())
                    {
                        out = clear(out, &[SinkKind::Argument]);
                    }
                    out
                }
                ("fs", "realpath" | "realpathSync" | "realpath.native" | "realpathSync.native") => {
                    values
                        .first()
                        .map(|v| {
                            v.derived().map_origins(|o| {
                                o.guard.realpath = true;
                                o.guard.resolved = true;
                            })
                        })
                        .unwrap_or_default()
                }
                ("url" | "node:url", "pathToFileURL" | "fileURLToPath" | "format") => all_args(),
                ("util", "format") => all_args(),
                ("shell-quote", "quote") | ("shescape", _) | ("shell-escape", _) => {
                    clear(all_args(), &[SinkKind::Command, SinkKind::Argument])
                }
                ("sanitize-filename", "") => clear(
                    all_args(),
                    &[SinkKind::PathAccess, SinkKind::Command, SinkKind::Argument],
                ),
                _ => {
                    let name = member.rsplit('.').next().unwrap_or(member);
                    self.unknown_result(
                        if name.is_empty() { module } else { name },
                        values,
                        callee.receiver.as_ref(),
                    )
                }
            };
        }
        if let Some(global) = callee.global
            && callee.receiver.is_none()
        {
            if OPAQUE_GLOBALS.contains(&global) {
                return Value::default();
            }
            if global == "encodeURIComponent" {
                return clear(
                    all_args(),
                    &[
                        SinkKind::Url,
                        SinkKind::CredentialToHost,
                        SinkKind::Command,
                        SinkKind::OpenExternal,
                        SinkKind::PathAccess,
                    ],
                );
            }
            if global == "URL" {
                return self.new_url(values);
            }
            if global == "Map" {
                // `new Map([["a", "x"], …])` of constants is a table.
                let mut out = all_args();
                out.table = values.iter().all(|v| v.table && !v.is_tainted());
                return out;
            }
            if PASSING_GLOBALS.contains(&global) {
                return all_args();
            }
            return self.unknown_result(global, values, None);
        }
        if let (Some(receiver), Some(method)) = (&callee.receiver, callee.method) {
            if let Some(global) = callee.global {
                if matches!(global, "Math" | "Number" | "Date" | "crypto") {
                    return Value::default();
                }
                if global == "Object" && method == "freeze" {
                    return values.first().cloned().unwrap_or_default();
                }
                if PASSING_GLOBALS.contains(&global) || global == "path" {
                    return all_args();
                }
            }
            return self.method_result(receiver, method, call, values, args, callback_returns);
        }
        let name = self.src(callee.node);
        self.unknown_result(name, values, None)
    }

    fn method_result(
        &mut self,
        receiver: &Value,
        method: &str,
        call: Node<'t>,
        values: &[Value],
        args: &[Node<'t>],
        callback_returns: Value,
    ) -> Value {
        if OPAQUE_METHODS.contains(&method) {
            return Value::default();
        }
        match method {
            "json" | "text" | "blob" | "arrayBuffer" | "formData" => {
                let step = self.step(call, "HTTP response body".to_string());
                let mut out = Value::default();
                for origin in &receiver.origins {
                    let mut origin = origin.clone();
                    if let Source::Remote { response: true, .. } = origin.source {
                        origin.source = Source::Remote {
                            what: "HTTP response body".into(),
                            response: false,
                        };
                        origin.push_step(step.clone());
                    }
                    out.add_origin(origin);
                }
                return out;
            }
            "get" if receiver
                .origins
                .iter()
                .any(|o| matches!(&o.source, Source::Remote { what, .. } if &**what == "HTTP response headers")) =>
            {
                let header = args.first().and_then(|a| string_value(*a, self.text)).unwrap_or("header");
                let what: Rc<str> = format!("`{header}` response header").into();
                let step = self.step(call, format!("remote `{header}` response header"));
                return receiver.derived().map_origins(|o| {
                    o.source = Source::Remote {
                        what: what.clone(),
                        response: false,
                    };
                    o.push_step(step.clone());
                });
            }
            // A constant table maps any key to one of its constants.
            "get" if receiver.table && !receiver.is_tainted() => return Value::default(),
            "push" | "unshift" => {
                self.push_elements(call, values, method == "unshift");
                return Value::default();
            }
            "set" => {
                // `map.set(key, x)`: the map now holds `x`.
                self.store_into_receiver(call, values);
            }
            _ => {}
        }
        if CALLBACK_METHODS.contains(&method) {
            return match method {
                "then" | "map" | "flatMap" | "reduce" => callback_returns,
                "forEach" => Value::default(),
                _ => receiver.derived(),
            };
        }
        let mut out = receiver.derived();
        for v in values {
            out.absorb(v);
        }
        if PASSING_METHODS.contains(&method) {
            if method == "replace" || method == "replaceAll" {
                return medium(out);
            }
            return out;
        }
        self.unknown_result(method, values, Some(receiver))
    }

    /// The variable a method is called on (`args` of `args.push(x)`) and its value.
    fn receiver_variable(&self, call: Node<'t>) -> Option<(&'t str, Value)> {
        let callee = field(call, "function").map(unwrap)?;
        let object = field(callee, "object")
            .map(unwrap)
            .filter(|o| o.kind() == "identifier")?;
        let name = self.src(object);
        let current = self.lookup(name).map(|b| b.value.clone())?;
        Some((name, current))
    }

    /// `map.set(key, x)` on a variable: it now holds the arguments' data.
    fn store_into_receiver(&mut self, call: Node<'t>, values: &[Value]) {
        if !values.iter().any(Value::is_tainted) {
            return;
        }
        let Some((name, mut current)) = self.receiver_variable(call) else {
            return;
        };
        for v in values {
            current.absorb(&v.derived());
        }
        self.assign_var(name, current);
    }

    /// `args.push(x)` on an array variable.
    fn push_elements(&mut self, call: Node<'t>, values: &[Value], front: bool) {
        let Some((name, mut current)) = self.receiver_variable(call) else {
            return;
        };
        if let Some(elements) = &mut current.elements {
            if front {
                for (i, v) in values.iter().enumerate() {
                    elements.insert(i, v.clone());
                }
            } else {
                elements.extend(values.iter().cloned());
            }
            if elements.len() > 64 {
                current.elements = None;
            }
        }
        for v in values {
            current.absorb(v);
        }
        self.assign_var(name, current);
    }

    /// `new URL(u, base)`: a relative `u` against a fixed base cannot change the host, nor
    /// can what follows the host in `new URL(`https://api.example.com/${x}`)`.
    fn new_url(&self, values: &[Value]) -> Value {
        let Some(u) = values.first() else {
            return Value::default();
        };
        let mut out = u.clone();
        out.elements = None;
        out.node = None;
        out = clear_kinds(out, fixed_host_clears(&u.text.prefix));
        if let Some(base) = values.get(1) {
            out.text = Default::default();
            out.absorb(base);
        }
        out
    }

    /// A call this analysis cannot see into: sanitizer-named functions clean the data,
    /// anything else passes it on at lower confidence.
    fn unknown_result(&self, name: &str, values: &[Value], receiver: Option<&Value>) -> Value {
        let mut out = receiver.map(Value::derived).unwrap_or_default();
        for v in values {
            out.absorb(v);
        }
        if !out.is_tainted() {
            return out;
        }
        // A URL builder given a base with a fixed host (`buildUrl(`https://api…/x`, q)`):
        // neither the path nor the parameters can move the request to another host.
        if let Some(base) = values.first() {
            out = clear_kinds(out, fixed_host_clears(&base.text.prefix));
        }
        let lower = name.to_ascii_lowercase();
        if lower.contains("sanitiz") || lower.starts_with("validat") || lower.contains("allowlist")
        {
            return clear(
                out,
                &[
                    SinkKind::Command,
                    SinkKind::Argument,
                    SinkKind::CodeEval,
                    SinkKind::PathAccess,
                    SinkKind::Sql,
                    SinkKind::Template,
                    SinkKind::OpenExternal,
                ],
            );
        }
        if lower.contains("escape") || lower.contains("quote") {
            return clear(
                out,
                &[
                    SinkKind::Command,
                    SinkKind::Argument,
                    SinkKind::Sql,
                    SinkKind::Template,
                    SinkKind::CodeEval,
                ],
            );
        }
        medium(out)
    }
}

/// The value with `kinds` cleared on every origin.
fn clear(value: Value, kinds: &[SinkKind]) -> Value {
    clear_kinds(value, SinkKinds::of(kinds))
}

/// The value with the set `kinds` cleared on every origin.
fn clear_kinds(value: Value, kinds: SinkKinds) -> Value {
    value.map_origins(|o| o.guard.cleared = o.guard.cleared.union(kinds))
}

/// The value at no more than medium confidence.
fn medium(value: Value) -> Value {
    value.map_origins(|o| o.confidence = o.confidence.min(Confidence::Medium))
}
