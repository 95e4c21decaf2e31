//! Checks in conditions: what a condition being true (or false) proves about a variable.
//! `if (!ALLOWED.includes(x)) throw …` proves `x` is one of a fixed set after the `if`;
//! `if (!full.startsWith(root + path.sep)) throw …` proves `full` is inside `root`.

use tree_sitter::Node;

use super::syntax::{arguments, children, field, string_value, text_of, unwrap};
use super::value::Plain;
use crate::taint::{SinkKind, SinkKinds};

/// How deep conditions are followed through boolean variables and predicate functions.
const MAX_DEPTH: usize = 3;

/// What a check proves about a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Narrow {
    /// The value can no longer harm these sink kinds (allowlist, equality, regex, …).
    Clear(SinkKinds),
    /// The path was checked to lie under a root; `correct` tells a separator-aware check
    /// (`startsWith(root + sep)`, `path.relative`) from the naive `startsWith(root)`.
    Contained {
        /// Whether the check is separator-aware.
        correct: bool,
    },
    /// The value equals another (non-literal) value: alone, a check against a known
    /// value; next to a containment check (`p === root || p.startsWith(root + sep)`),
    /// it adds nothing.
    Equal,
    /// The value, as one path component, has no separator or is not `..`.
    Plain(Plain),
}

impl Narrow {
    /// The weaker of two narrowings (what holds when either did).
    fn weaker(self, other: Narrow) -> Narrow {
        match (self, other) {
            (Narrow::Equal, x) | (x, Narrow::Equal) => x,
            (Narrow::Clear(a), Narrow::Clear(b)) => Narrow::Clear(SinkKinds::intersect(a, b)),
            (Narrow::Contained { correct: a }, Narrow::Contained { correct: b }) => {
                Narrow::Contained { correct: a && b }
            }
            (Narrow::Contained { correct }, Narrow::Clear(_))
            | (Narrow::Clear(_), Narrow::Contained { correct }) => Narrow::Contained { correct },
            (Narrow::Plain(a), Narrow::Plain(b)) => Narrow::Plain(a.both(b)),
            (Narrow::Plain(_), _) | (_, Narrow::Plain(_)) => Narrow::Clear(SinkKinds::default()),
        }
    }
}

/// A fact: variable `var` (an identifier node) is narrowed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fact<'t> {
    /// The variable's identifier.
    pub(super) var: Node<'t>,
    /// What is proven.
    pub(super) narrow: Narrow,
}

/// What the walk knows about variables, for following conditions.
pub(super) trait Scope<'t> {
    /// The condition a boolean variable was assigned (`const ok = dirs.some(…)`).
    fn condition_of(&self, name: &str) -> Option<Node<'t>>;
    /// The same-file function a callee refers to.
    fn function_of(&self, callee: Node<'t>) -> Option<Node<'t>>;
}

/// The facts that hold when `cond` evaluates to `truth`.
pub(super) fn facts<'t>(
    cond: Node<'t>,
    truth: bool,
    text: &str,
    scope: &dyn Scope<'t>,
) -> Vec<Fact<'t>> {
    let mut out = Vec::new();
    collect(cond, truth, text, scope, 0, &mut out);
    out
}

fn collect<'t>(
    cond: Node<'t>,
    truth: bool,
    text: &str,
    scope: &dyn Scope<'t>,
    depth: usize,
    out: &mut Vec<Fact<'t>>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let cond = unwrap(cond);
    match cond.kind() {
        "unary_expression" if field(cond, "operator").is_some_and(|o| text_of(o, text) == "!") => {
            if let Some(arg) = field(cond, "argument") {
                collect(arg, !truth, text, scope, depth, out);
            }
        }
        "binary_expression" => binary(cond, truth, text, scope, depth, out),
        "identifier" => {
            if let Some(stored) = scope.condition_of(text_of(cond, text)) {
                collect(stored, truth, text, scope, depth + 1, out);
            }
        }
        "call_expression" if truth => call(cond, text, scope, depth, out),
        _ => {}
    }
}

fn binary<'t>(
    cond: Node<'t>,
    truth: bool,
    text: &str,
    scope: &dyn Scope<'t>,
    depth: usize,
    out: &mut Vec<Fact<'t>>,
) {
    let (Some(op), Some(left), Some(right)) = (
        field(cond, "operator"),
        field(cond, "left"),
        field(cond, "right"),
    ) else {
        return;
    };
    match (text_of(op, text), truth) {
        // Both sides hold.
        ("&&", true) | ("||", false) => {
            collect(left, truth, text, scope, depth, out);
            collect(right, truth, text, scope, depth, out);
        }
        // One side holds: only what both sides prove about the same variable.
        ("||", true) | ("&&", false) => {
            let mut a = Vec::new();
            let mut b = Vec::new();
            collect(left, truth, text, scope, depth, &mut a);
            collect(right, truth, text, scope, depth, &mut b);
            for fa in &a {
                if let Some(fb) = b
                    .iter()
                    .find(|fb| text_of(fb.var, text) == text_of(fa.var, text))
                {
                    out.push(Fact {
                        var: fa.var,
                        narrow: fa.narrow.weaker(fb.narrow),
                    });
                }
            }
        }
        ("===" | "==", true) | ("!==" | "!=", false) => {
            // `x === "literal"` or `x === ALLOWED_CONSTANT`.
            for (var, other) in [(left, right), (right, left)] {
                let var = unwrap(var);
                if var.kind() == "member_expression" {
                    url_part_equals(var, other, text, out);
                    continue;
                }
                if var.kind() != "identifier" {
                    continue;
                }
                if is_basename_of(other, var, text) {
                    out.push(Fact {
                        var,
                        narrow: Narrow::Plain(Plain {
                            no_separator: true,
                            no_parent: false,
                        }),
                    });
                } else if is_constant(other, text) {
                    out.push(Fact {
                        var,
                        narrow: Narrow::Clear(SinkKinds::ALL),
                    });
                } else if matches!(unwrap(other).kind(), "identifier" | "member_expression") {
                    out.push(Fact {
                        var,
                        narrow: Narrow::Equal,
                    });
                }
            }
        }
        _ => {}
    }
}

/// The sink kinds a check of one part of a parsed URL against constants protects: a
/// fixed origin or host stops request forgery and credentials leaving for the caller's
/// host (an origin fixes the scheme too); a fixed `http(s):` scheme only stops URL
/// openers from running `file:` or custom-scheme handlers.
fn url_part_kinds(part: &str) -> Option<SinkKinds> {
    let host = [
        SinkKind::Url,
        SinkKind::OutboundData,
        SinkKind::CredentialToHost,
    ];
    Some(match part {
        "origin" => SinkKinds::of(&host).union(SinkKinds::of(&[SinkKind::OpenExternal])),
        "host" | "hostname" => SinkKinds::of(&host),
        "protocol" => SinkKinds::of(&[SinkKind::OpenExternal]),
        _ => return None,
    })
}

/// `u.origin === ORIGIN`, `u.hostname === "api.example.com"`, `u.protocol === "https:"`:
/// the parsed URL `u` is narrowed.
fn url_part_equals<'t>(member: Node<'t>, other: Node<'_>, text: &str, out: &mut Vec<Fact<'t>>) {
    let part = field(member, "property").map_or("", |p| text_of(p, text));
    let Some(kinds) = url_part_kinds(part) else {
        return;
    };
    let fixed = if part == "protocol" {
        matches!(string_value(other, text), Some("https:" | "http:"))
    } else {
        is_constant(other, text)
    };
    if let (true, Some(base)) = (
        fixed,
        field(member, "object").and_then(|o| url_base(o, text)),
    ) {
        out.push(Fact {
            var: base,
            narrow: Narrow::Clear(kinds),
        });
    }
}

/// Whether `call` is `path.basename(var)` (or `basename(var)`).
fn is_basename_of(call: Node<'_>, var: Node<'_>, text: &str) -> bool {
    let call = unwrap(call);
    if call.kind() != "call_expression" {
        return false;
    }
    let named = field(call, "function").is_some_and(|f| {
        let f = unwrap(f);
        let name = match f.kind() {
            "member_expression" => field(f, "property").map_or("", |p| text_of(p, text)),
            _ => text_of(f, text),
        };
        name == "basename"
    });
    let args = arguments(call);
    named
        && args.len() == 1
        && unwrap(args[0]).kind() == "identifier"
        && text_of(unwrap(args[0]), text) == text_of(var, text)
}

/// Literals and `SCREAMING_CASE` constants (and members of them).
fn is_constant(node: Node<'_>, text: &str) -> bool {
    let node = unwrap(node);
    match node.kind() {
        "string" | "number" | "true" | "false" | "null" => true,
        "template_string" => string_value(node, text).is_some(),
        "identifier" => {
            let name = text_of(node, text);
            name.len() > 1
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        }
        "member_expression" => field(node, "object").is_some_and(|o| is_constant(o, text)),
        _ => false,
    }
}

fn call<'t>(
    call: Node<'t>,
    text: &str,
    scope: &dyn Scope<'t>,
    depth: usize,
    out: &mut Vec<Fact<'t>>,
) {
    let Some(callee) = field(call, "function").map(unwrap) else {
        return;
    };
    let args = arguments(call);
    if callee.kind() == "member_expression" {
        let (Some(object), Some(property)) = (field(callee, "object"), field(callee, "property"))
        else {
            return;
        };
        let object = unwrap(object);
        let method = text_of(property, text);
        method_check(object, method, &args, text, scope, depth, out);
        return;
    }
    // A same-file predicate: inline its returned condition, parameters mapped to the
    // caller's arguments.
    if let Some(function) = scope.function_of(callee) {
        predicate(function, &args, text, scope, depth, out);
        return;
    }
    // An imported or unknown predicate named like a containment or allowlist check.
    let name = text_of(callee, text).to_ascii_lowercase();
    let is_check = ["is", "check", "validate", "ensure", "assert"]
        .iter()
        .any(|p| name.starts_with(p))
        && [
            "within",
            "inside",
            "subpath",
            "contained",
            "allowed",
            "safe",
            "valid",
        ]
        .iter()
        .any(|w| name.contains(w));
    if let (true, Some(first)) = (is_check, args.first().map(|a| unwrap(*a)))
        && first.kind() == "identifier"
    {
        let narrow = if ["within", "inside", "subpath", "contained"]
            .iter()
            .any(|w| name.contains(w))
        {
            Narrow::Contained { correct: true }
        } else {
            Narrow::Clear(SinkKinds::ALL)
        };
        out.push(Fact { var: first, narrow });
    }
}

#[allow(clippy::too_many_arguments)]
fn method_check<'t>(
    object: Node<'t>,
    method: &str,
    args: &[Node<'t>],
    text: &str,
    scope: &dyn Scope<'t>,
    depth: usize,
    out: &mut Vec<Fact<'t>>,
) {
    let first = args.first().map(|a| unwrap(*a));
    match method {
        // `ALLOWED.includes(x)`, `allowed.has(x)`, `ALLOWED_HOSTS.includes(url.hostname)`.
        "includes" | "has"
            if object.kind() != "identifier" || first.is_some_and(|f| f.kind() != "string") =>
        {
            let Some(first) = first else { return };
            match first.kind() {
                "identifier" => out.push(Fact {
                    var: first,
                    narrow: Narrow::Clear(SinkKinds::ALL),
                }),
                "member_expression" => {
                    let prop = field(first, "property").map_or("", |p| text_of(p, text));
                    if let (Some(kinds), Some(base)) = (
                        url_part_kinds(prop),
                        field(first, "object").and_then(|o| url_base(o, text)),
                    ) {
                        out.push(Fact {
                            var: base,
                            narrow: Narrow::Clear(kinds),
                        });
                    }
                }
                _ => {}
            }
        }
        "startsWith" if object.kind() == "identifier" => {
            let Some(prefix) = first else { return };
            if let Some(literal) = string_value(prefix, text) {
                if literal.starts_with('-') {
                    return;
                }
                if literal.ends_with('/') || literal.ends_with('\\') {
                    out.push(Fact {
                        var: object,
                        narrow: Narrow::Contained { correct: true },
                    });
                }
                return;
            }
            out.push(Fact {
                var: object,
                narrow: Narrow::Contained {
                    correct: ends_with_separator(prefix, text),
                },
            });
        }
        // `/^[a-z0-9_]+$/.test(x)`
        "test" if object.kind() == "regex" => {
            if let (Some(first), Some(kinds)) = (first, regex_clears(object, text))
                && first.kind() == "identifier"
            {
                out.push(Fact {
                    var: first,
                    narrow: Narrow::Clear(kinds),
                });
            }
        }
        // `dirs.some(d => full.startsWith(d + path.sep))`
        "some" | "every" | "find" => {
            let Some(callback) = first.filter(|f| f.kind() == "arrow_function") else {
                return;
            };
            if let Some(body) = field(callback, "body").filter(|b| b.kind() != "statement_block") {
                let mut inner = Vec::new();
                collect(body, true, text, scope, depth + 1, &mut inner);
                let own: Vec<&str> = super::syntax::parameters(callback)
                    .into_iter()
                    .map(|p| text_of(super::syntax::parameter_pattern(p), text))
                    .collect();
                out.extend(
                    inner
                        .into_iter()
                        .filter(|f| !own.contains(&text_of(f.var, text))),
                );
            }
        }
        _ => {}
    }
}

/// Negative checks: what a condition being *false* proves beyond [`facts`] — a leading
/// dash rejected (`x.startsWith("-")`), `..` rejected on a `path.relative` result.
pub(super) fn rejected<'t>(cond: Node<'t>, text: &str) -> Vec<(Node<'t>, Rejection)> {
    let mut out = Vec::new();
    let mut stack = vec![cond];
    while let Some(node) = stack.pop() {
        let node = unwrap(node);
        match node.kind() {
            "binary_expression"
                if field(node, "operator").is_some_and(|o| text_of(o, text) == "||") =>
            {
                stack.extend(field(node, "left"));
                stack.extend(field(node, "right"));
            }
            "call_expression" => {
                let Some(callee) = field(node, "function").map(unwrap) else {
                    continue;
                };
                if callee.kind() != "member_expression" {
                    continue;
                }
                let (Some(object), Some(property)) =
                    (field(callee, "object"), field(callee, "property"))
                else {
                    continue;
                };
                let object = unwrap(object);
                let first_node = arguments(node).first().map(|a| unwrap(*a));
                let first = first_node.and_then(|a| string_value(a, text));
                let method = text_of(property, text);
                let rejection = match (method, first) {
                    ("startsWith", Some(p)) if p.starts_with('-') => Rejection::LeadingDash,
                    ("startsWith", Some("..")) | ("startsWith", Some("../")) => {
                        Rejection::ParentEscape
                    }
                    ("startsWith", Some(".")) => Rejection::Parent,
                    ("includes", Some("..")) => Rejection::DotDot,
                    ("includes", Some("/" | "\\")) => Rejection::Separator,
                    ("includes", None) if first_node.is_some_and(|a| is_path_sep(a, text)) => {
                        Rejection::Separator
                    }
                    // `/[\\/]/.test(x)`
                    ("test", _) if object.kind() == "regex" && matches_separator(object, text) => {
                        if let Some(arg) = first_node.filter(|a| a.kind() == "identifier") {
                            out.push((arg, Rejection::Separator));
                        }
                        continue;
                    }
                    _ => continue,
                };
                if object.kind() == "identifier" {
                    out.push((object, rejection));
                }
            }
            // `x === ".."`
            "binary_expression"
                if field(node, "operator")
                    .is_some_and(|o| matches!(text_of(o, text), "===" | "=="))
                    && [field(node, "left"), field(node, "right")]
                        .iter()
                        .any(|s| s.and_then(|s| string_value(s, text)) == Some("..")) =>
            {
                for side in [field(node, "left"), field(node, "right")]
                    .into_iter()
                    .flatten()
                {
                    let side = unwrap(side);
                    if side.kind() == "identifier" {
                        out.push((side, Rejection::Parent));
                    }
                }
            }
            // `x[0] === "-"`, `x.charAt(0) === "-"`
            "binary_expression"
                if field(node, "operator")
                    .is_some_and(|o| matches!(text_of(o, text), "===" | "==")) =>
            {
                let (Some(left), Some(right)) = (field(node, "left"), field(node, "right")) else {
                    continue;
                };
                if string_value(right, text) == Some("-") {
                    let left = unwrap(left);
                    if let Some(base) = field(left, "object")
                        .or_else(|| field(left, "function").and_then(|f| field(f, "object")))
                    {
                        let base = unwrap(base);
                        if base.kind() == "identifier" {
                            out.push((base, Rejection::LeadingDash));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What a rejected check rules out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rejection {
    /// Values starting with `-` (option injection).
    LeadingDash,
    /// A `path.relative` result leaving the root (`..` prefix): a correct containment
    /// check of the path it was computed from.
    ParentEscape,
    /// Values containing `..` (a partial traversal filter that also rules out `..`).
    DotDot,
    /// The value `..` itself (`x === ".."`, a leading-dot check).
    Parent,
    /// Values containing a path separator.
    Separator,
}

/// `path.sep` (or `sep` imported from `path`).
fn is_path_sep(node: Node<'_>, text: &str) -> bool {
    let node = unwrap(node);
    match node.kind() {
        "member_expression" => field(node, "property").is_some_and(|p| text_of(p, text) == "sep"),
        "identifier" => text_of(node, text) == "sep",
        _ => false,
    }
}

/// Whether a regex literal matches any text holding a path separator: a bare `/` or
/// `\\`, or one character class of separators (`[\\/]`).
fn matches_separator(regex: Node<'_>, text: &str) -> bool {
    let Some(pattern) = field(regex, "pattern").map(|p| text_of(p, text)) else {
        return false;
    };
    let inner = pattern
        .strip_prefix('[')
        .and_then(|p| p.strip_suffix(']'))
        .unwrap_or(pattern);
    let unescaped = inner.replace("\\\\", "\\").replace("\\/", "/");
    !unescaped.is_empty() && unescaped.chars().all(|c| c == '/' || c == '\\')
}

/// The variable a URL expression is built from: `u` in `new URL(u)`, `parsed` itself.
fn url_base<'t>(node: Node<'t>, _text: &str) -> Option<Node<'t>> {
    let node = unwrap(node);
    match node.kind() {
        "identifier" => Some(node),
        "new_expression" => arguments(node)
            .first()
            .map(|a| unwrap(*a))
            .filter(|a| a.kind() == "identifier"),
        _ => None,
    }
}

/// Whether a prefix expression ends with a path separator: `root + path.sep`,
/// `root + "/"`, `` `${root}/` ``, `` `${root}${path.sep}` ``.
fn ends_with_separator(prefix: Node<'_>, text: &str) -> bool {
    let prefix = unwrap(prefix);
    let is_sep = |n: Node<'_>| {
        let n = unwrap(n);
        matches!(string_value(n, text), Some(s) if s.ends_with('/') || s.ends_with('\\'))
            || (n.kind() == "member_expression"
                && field(n, "property").is_some_and(|p| text_of(p, text) == "sep"))
    };
    match prefix.kind() {
        "binary_expression" => field(prefix, "right").is_some_and(is_sep),
        "template_string" => {
            let parts = children(prefix);
            match parts.last() {
                Some(last) if last.kind() == "string_fragment" => {
                    let s = text_of(*last, text);
                    s.ends_with('/') || s.ends_with('\\')
                }
                Some(last) if last.kind() == "template_substitution" => {
                    children(*last).first().is_some_and(|e| is_sep(*e))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Sink kinds an anchored allowlist regex rules out, from its character set.
fn regex_clears(regex: Node<'_>, text: &str) -> Option<SinkKinds> {
    let pattern = field(regex, "pattern").map(|p| text_of(p, text))?;
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    // Unescaped wildcards and negated classes allow anything.
    let bytes = body.as_bytes();
    let mut in_class = false;
    let mut dot = false;
    let mut slash = false;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        match b {
            b'[' if !escaped => {
                in_class = true;
                if bytes.get(i + 1) == Some(&b'^') {
                    return None;
                }
            }
            b']' if !escaped => in_class = false,
            b'.' if !escaped && !in_class => return None,
            b'.' => dot = true,
            b'/' => slash = true,
            b'S' | b'W' | b'D' if escaped => return None,
            _ => {}
        }
    }
    let mut kinds = vec![
        SinkKind::Command,
        SinkKind::CodeEval,
        SinkKind::Sql,
        SinkKind::Template,
        SinkKind::Deserialize,
        SinkKind::OpenExternal,
    ];
    let traversal = (dot && slash) || body.contains("\\.\\.");
    if !traversal {
        kinds.push(SinkKind::PathAccess);
    }
    if !dot {
        kinds.push(SinkKind::Url);
        kinds.push(SinkKind::CredentialToHost);
    }
    if !may_lead_with_dash(body) {
        kinds.push(SinkKind::Argument);
    }
    Some(SinkKinds::of(&kinds))
}

/// Whether the first atom of a regex body may match `-`.
fn may_lead_with_dash(body: &str) -> bool {
    let Some(rest) = body.strip_prefix('[') else {
        return body.starts_with('-') || body.starts_with("\\-");
    };
    let class = rest.split(']').next().unwrap_or("");
    class.starts_with('-') || class.ends_with('-') || class.contains("\\-")
}

/// Inlines the returned condition of a same-file predicate function.
fn predicate<'t>(
    function: Node<'t>,
    args: &[Node<'t>],
    text: &str,
    scope: &dyn Scope<'t>,
    depth: usize,
    out: &mut Vec<Fact<'t>>,
) {
    let Some(body) = field(function, "body") else {
        return;
    };
    let returned = if body.kind() == "statement_block" {
        children(body)
            .into_iter()
            .rev()
            .find(|s| s.kind() == "return_statement")
            .and_then(|r| children(r).first().copied())
    } else {
        Some(body)
    };
    let Some(returned) = returned else { return };
    let params: Vec<&str> = super::syntax::parameters(function)
        .into_iter()
        .map(|p| text_of(super::syntax::parameter_pattern(p), text))
        .collect();
    let mut inner = Vec::new();
    collect(returned, true, text, scope, depth + 1, &mut inner);
    for fact in inner {
        let name = text_of(fact.var, text);
        if let Some(i) = params.iter().position(|p| *p == name)
            && let Some(arg) = args.get(i).map(|a| unwrap(*a))
            && arg.kind() == "identifier"
        {
            out.push(Fact {
                var: arg,
                narrow: fact.narrow,
            });
        }
    }
}
