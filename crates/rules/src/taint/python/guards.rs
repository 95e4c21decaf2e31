//! Checks that sanitise: what a condition proves about the names it tests when it holds
//! (or fails), and how that changes their traces.
//!
//! | check | effect |
//! |---|---|
//! | `x in ALLOWED`, `x == "literal"`, `re.fullmatch(p, x)`, `x.isdigit()`, `is_allowed(x)` | clean |
//! | `x.startswith("-")` failing | no leading-dash argument injection |
//! | `urlparse(u).hostname in ALLOWED`, `u.startswith("https://host/")` | no SSRF / credential leak |
//! | `p.is_relative_to(root)`, `commonpath([root, p]) == root`, `p.startswith(root + os.sep)`, `p.relative_to(root)`, `root in p.parents` | contained: clean once `p` is resolved (`realpath`/`resolve()`), medium otherwise |
//! | `p.startswith(root)` without a separator, `commonprefix` | weak: medium, with the reason as a step |

use tree_sitter::Node;

use super::calls::is_dotted;
use super::engine::{FnCx, ParamGuard};
use super::value::PathState;
use crate::taint::{SinkKind, SinkKinds};

/// How good a containment check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Containment {
    /// Compares path components (`commonpath`, `is_relative_to`, prefix with separator).
    Correct,
    /// `startswith(root)` with no separator: `/srv/data-evil` passes for `/srv/data`.
    NaivePrefix,
    /// `os.path.commonprefix`: compares characters, not components.
    CommonPrefix,
}

/// What a check proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FactEffect {
    /// The value is one of a fixed set or matches a strict pattern.
    Clean,
    /// The value does not start with `-`.
    DashChecked,
    /// The URL's host is allow-listed or fixed.
    HostAllowed,
    /// The path lies inside a root.
    Contained(Containment),
}

/// One thing a check proves about an expression.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fact<'t> {
    /// The expression checked.
    pub subject: Node<'t>,
    /// What is proven.
    pub effect: FactEffect,
}

/// Host-name attributes of parsed URLs.
const HOST_ATTRIBUTES: &[&str] = &["hostname", "netloc", "host"];
/// `str` predicates that only accept safe characters.
const CHARACTER_CLASS_CHECKS: &[&str] = &[
    "isdigit",
    "isalnum",
    "isdecimal",
    "isnumeric",
    "isalpha",
    "isidentifier",
];
/// Name parts of boolean helper functions taken for validators.
const VALIDATOR_NAMES: &[&str] = &[
    "allowed",
    "valid",
    "safe",
    "permitted",
    "whitelist",
    "allowlist",
];

impl<'t> FnCx<'_, '_, 't> {
    /// What `condition` proves when it evaluates to `truth`.
    pub(super) fn facts(&self, condition: Node<'t>, truth: bool) -> Vec<Fact<'t>> {
        match condition.kind() {
            "not_operator" => condition
                .child_by_field_name("argument")
                .map(|a| self.facts(a, !truth))
                .unwrap_or_default(),
            "parenthesized_expression" => condition
                .named_child(0)
                .map(|c| self.facts(c, truth))
                .unwrap_or_default(),
            "boolean_operator" => {
                let operator = condition
                    .child_by_field_name("operator")
                    .map_or("", |o| self.index().text_of(o));
                let sides: Vec<Vec<Fact<'t>>> = ["left", "right"]
                    .into_iter()
                    .filter_map(|side| condition.child_by_field_name(side))
                    .map(|part| self.facts(part, truth))
                    .collect();
                let both = (operator == "and" && truth) || (operator == "or" && !truth);
                if both {
                    return sides.into_iter().flatten().collect();
                }
                // Either side may hold: only what both prove about the same expression
                // (`mode == "a" or mode == "b"`).
                let index = self.index();
                let [left, right] = sides.as_slice() else {
                    return Vec::new();
                };
                left.iter()
                    .filter_map(|l| {
                        right
                            .iter()
                            .filter(|r| index.text_of(r.subject) == index.text_of(l.subject))
                            .find_map(|r| weaker(l.effect, r.effect))
                            .map(|effect| Fact {
                                subject: l.subject,
                                effect,
                            })
                    })
                    .collect()
            }
            "comparison_operator" => self.comparison_facts(condition, truth),
            "call" => self.call_facts(condition, truth),
            _ => Vec::new(),
        }
    }

    fn comparison_facts(&self, node: Node<'t>, truth: bool) -> Vec<Fact<'t>> {
        let mut cursor = node.walk();
        let operands: Vec<_> = node.named_children(&mut cursor).collect();
        let mut cursor = node.walk();
        let operators: Vec<_> = node
            .children_by_field_name("operators", &mut cursor)
            .map(|o| self.index().text_of(o))
            .collect();
        let ([left, right], [operator]) = (operands.as_slice(), operators.as_slice()) else {
            return Vec::new();
        };
        let (left, right) = (*left, *right);
        let index = self.index();
        let fact = |subject, effect| vec![Fact { subject, effect }];
        match *operator {
            "in" | "not in" => {
                if (*operator == "in") != truth || self.is_literal(left) || self.is_literal(right) {
                    return Vec::new();
                }
                if right.kind() == "attribute"
                    && right
                        .child_by_field_name("attribute")
                        .is_some_and(|a| index.text_of(a) == "parents")
                    && let Some(path) = right.child_by_field_name("object")
                {
                    return fact(path, FactEffect::Contained(Containment::Correct));
                }
                fact(left, self.clean_or_host(left))
            }
            "==" | "!=" | "is" => {
                if (*operator != "!=") != truth {
                    return Vec::new();
                }
                for (a, b) in [(left, right), (right, left)] {
                    if let Some(strength) = self.commonpath(a) {
                        return self
                            .call_arg_items(a)
                            .into_iter()
                            .filter(|item| index.text_of(*item) != index.text_of(b))
                            .map(|subject| Fact {
                                subject,
                                effect: FactEffect::Contained(strength),
                            })
                            .collect();
                    }
                }
                // Equal to a literal or to a value the server chose (`p == ROOT`,
                // `host == urlparse(SERVER).hostname`).
                if self.is_literal(right) || self.is_server_value(right, 0) {
                    fact(left, self.clean_or_host(left))
                } else if self.is_literal(left) || self.is_server_value(left, 0) {
                    fact(right, self.clean_or_host(right))
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    fn call_facts(&self, call: Node<'t>, truth: bool) -> Vec<Fact<'t>> {
        let index = self.index();
        let (Some(function), Some(args)) = (
            call.child_by_field_name("function"),
            call.child_by_field_name("arguments"),
        ) else {
            return Vec::new();
        };
        let positional: Vec<_> = {
            let mut cursor = args.walk();
            args.named_children(&mut cursor)
                .filter(|a| !matches!(a.kind(), "keyword_argument" | "comment"))
                .collect()
        };
        let canonical = if is_dotted(function) {
            index.imports.canonical(index.text_of(function))
        } else {
            String::new()
        };
        let fact = |subject, effect| vec![Fact { subject, effect }];
        // `re.fullmatch(PATTERN, x)`
        if let Some(kind) = canonical.strip_prefix("re.")
            && let [pattern, subject, ..] = positional.as_slice()
        {
            let strict = index
                .const_str(*pattern)
                .is_some_and(|p| anchored(kind, &p));
            return if truth && strict {
                fact(*subject, FactEffect::Clean)
            } else {
                Vec::new()
            };
        }
        let method = (function.kind() == "attribute")
            .then(|| function.child_by_field_name("attribute"))
            .flatten()
            .map(|a| index.text_of(a));
        let receiver = function.child_by_field_name("object");
        match (method, receiver) {
            (Some(kind @ ("fullmatch" | "match" | "search")), Some(pattern)) => {
                let compiled = index.statics.value(pattern);
                let strict = compiled.kind() == "call"
                    && compiled
                        .child_by_field_name("arguments")
                        .and_then(|a| a.named_child(0))
                        .and_then(|p| index.const_str(p))
                        .is_some_and(|p| anchored(kind, &p));
                match positional.first() {
                    Some(subject) if truth && strict => fact(*subject, FactEffect::Clean),
                    _ => Vec::new(),
                }
            }
            (Some("startswith"), Some(subject)) => match positional.first() {
                Some(prefix) => self.startswith_facts(subject, *prefix, truth),
                None => Vec::new(),
            },
            (Some("is_relative_to"), Some(subject)) if truth => {
                fact(subject, FactEffect::Contained(Containment::Correct))
            }
            (Some(check), Some(subject)) if truth && CHARACTER_CLASS_CHECKS.contains(&check) => {
                fact(subject, FactEffect::Clean)
            }
            _ => {
                let name = canonical
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                match positional.first() {
                    Some(subject) if truth && VALIDATOR_NAMES.iter().any(|v| name.contains(v)) => {
                        fact(*subject, self.clean_or_host(*subject))
                    }
                    _ => Vec::new(),
                }
            }
        }
    }

    fn startswith_facts(&self, subject: Node<'t>, prefix: Node<'t>, truth: bool) -> Vec<Fact<'t>> {
        let index = self.index();
        let prefixes: Vec<String> = match index.statics.value(prefix) {
            tuple if tuple.kind() == "tuple" => {
                let mut cursor = tuple.walk();
                tuple
                    .named_children(&mut cursor)
                    .filter_map(|p| index.const_str(p))
                    .collect()
            }
            _ => index.const_str(prefix).into_iter().collect(),
        };
        let fact = |subject, effect| vec![Fact { subject, effect }];
        if prefixes.iter().any(|p| p.starts_with('-')) {
            return if truth {
                Vec::new()
            } else {
                fact(subject, FactEffect::DashChecked)
            };
        }
        if prefixes.iter().any(|p| p.starts_with("..")) {
            // `os.path.relpath(p, root).startswith("..")` failing: `p` is inside `root`.
            let source = self.relpath_source(subject);
            return match (truth, source) {
                (false, Some(path)) => fact(path, FactEffect::Contained(Containment::Correct)),
                _ => Vec::new(),
            };
        }
        if !truth {
            return Vec::new();
        }
        if !prefixes.is_empty() && prefixes.iter().all(|p| p.contains("://")) {
            return if prefixes.iter().all(|p| super::http::fixes_host(p)) {
                fact(subject, FactEffect::HostAllowed)
            } else {
                Vec::new()
            };
        }
        let strength = if self.ends_with_separator(prefix, 0) {
            Containment::Correct
        } else {
            Containment::NaivePrefix
        };
        fact(subject, FactEffect::Contained(strength))
    }

    /// Whether a prefix expression ends with a path separator: `root + os.sep`,
    /// `f"{root}/"`, `os.path.join(root, "")`, `"/srv/data/"`.
    fn ends_with_separator(&self, node: Node<'t>, depth: usize) -> bool {
        if depth > 4 {
            return false;
        }
        let index = self.index();
        if let Some(text) = index.const_str(node) {
            return text.ends_with('/') || text.ends_with('\\');
        }
        let text = index.text_of(node);
        if matches!(text, "os.sep" | "os.path.sep" | "sep") {
            return true;
        }
        let node = index.statics.value(node);
        match node.kind() {
            "binary_operator" => node
                .child_by_field_name("right")
                .is_some_and(|r| self.ends_with_separator(r, depth + 1)),
            "string" => {
                let mut cursor = node.walk();
                let last = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "string_end")
                    .last();
                last.is_some_and(|l| match l.kind() {
                    "string_content" => {
                        let t = index.text_of(l);
                        t.ends_with('/') || t.ends_with("\\\\")
                    }
                    "interpolation" => l
                        .child_by_field_name("expression")
                        .is_some_and(|e| self.ends_with_separator(e, depth + 1)),
                    _ => false,
                })
            }
            "call" => {
                let function = node.child_by_field_name("function");
                let is_join = function
                    .is_some_and(|f| index.imports.canonical(index.text_of(f)) == "os.path.join");
                let last = self.call_arg_items(node).into_iter().last();
                is_join && last.is_some_and(|l| index.const_str(l).as_deref() == Some(""))
            }
            _ => false,
        }
    }

    /// `os.path.commonpath` (correct) or `os.path.commonprefix` (weak).
    fn commonpath(&self, node: Node<'t>) -> Option<Containment> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_name("function")?;
        let index = self.index();
        match index.imports.canonical(index.text_of(function)).as_str() {
            "os.path.commonpath" | "posixpath.commonpath" => Some(Containment::Correct),
            "os.path.commonprefix" => Some(Containment::CommonPrefix),
            _ => None,
        }
    }

    /// The items of a call's single list argument (`commonpath([a, b])`), or its
    /// positional arguments.
    fn call_arg_items(&self, call: Node<'t>) -> Vec<Node<'t>> {
        let Some(args) = call.child_by_field_name("arguments") else {
            return Vec::new();
        };
        let mut cursor = args.walk();
        let positional: Vec<_> = args
            .named_children(&mut cursor)
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "comment"))
            .collect();
        match positional.as_slice() {
            [single] if matches!(single.kind(), "list" | "tuple") => {
                let mut cursor = single.walk();
                single.named_children(&mut cursor).collect()
            }
            _ => positional,
        }
    }

    /// `rel` defined as `os.path.relpath(p, root)`: `p`.
    fn relpath_source(&self, subject: Node<'t>) -> Option<Node<'t>> {
        let index = self.index();
        let def = index.statics.value(subject);
        if def.kind() != "call" {
            return None;
        }
        let function = def.child_by_field_name("function")?;
        (index.imports.canonical(index.text_of(function)) == "os.path.relpath")
            .then(|| self.call_arg_items(def).into_iter().next())
            .flatten()
    }

    /// A host check when `subject` is a parsed URL's host, a clean-value check otherwise.
    fn clean_or_host(&self, subject: Node<'t>) -> FactEffect {
        let is_host = subject.kind() == "attribute"
            && subject
                .child_by_field_name("attribute")
                .is_some_and(|a| HOST_ATTRIBUTES.contains(&self.index().text_of(a)));
        if is_host {
            FactEffect::HostAllowed
        } else {
            FactEffect::Clean
        }
    }

    /// Whether `node` is built only from names that carry no caller data (module
    /// constants, clean locals) and literals.
    fn is_server_value(&self, node: Node<'t>, depth: usize) -> bool {
        if depth > 6 {
            return false;
        }
        let index = self.index();
        match node.kind() {
            "identifier" => self
                .env
                .get(index.text_of(node))
                .is_none_or(|v| !v.is_tainted()),
            "attribute" => match self.env.get(index.text_of(node)) {
                Some(value) => !value.is_tainted(),
                None => node
                    .child_by_field_name("object")
                    .is_some_and(|o| self.is_server_value(o, depth + 1)),
            },
            "call" => {
                let function_ok = node.child_by_field_name("function").is_some_and(|f| {
                    f.kind() == "identifier" || self.is_server_value(f, depth + 1)
                });
                function_ok
                    && self
                        .call_arg_items(node)
                        .into_iter()
                        .all(|a| self.is_server_value(a, depth + 1))
            }
            _ => self.is_literal(node),
        }
    }

    fn is_literal(&self, node: Node<'t>) -> bool {
        matches!(
            node.kind(),
            "string" | "concatenated_string" | "integer" | "float" | "true" | "false" | "none"
        ) && !(node.kind() == "string" && super::index::has_interpolation(node))
    }

    /// Applies proven facts to the names they are about.
    pub(super) fn apply_facts(&mut self, facts: &[Fact<'t>], at: Node<'t>) {
        for fact in facts {
            for (key, implied) in self.subject_keys(fact.subject, fact.effect, 0) {
                let step = self.step(at, String::new());
                let Some(value) = self.env.get_mut(&key) else {
                    continue;
                };
                for trace in &mut value.traces {
                    match fact.effect {
                        FactEffect::Clean => trace.cleared = SinkKinds::ALL,
                        FactEffect::DashChecked => {
                            trace.cleared =
                                trace.cleared.union(SinkKinds::of(&[SinkKind::Argument]));
                        }
                        FactEffect::HostAllowed => {
                            trace.cleared = trace.cleared.union(host_checked());
                        }
                        FactEffect::Contained(strength) => {
                            let path = PathState {
                                resolved: trace.path.resolved || implied.resolved,
                                normalised: trace.path.normalised || implied.normalised,
                            };
                            match weakness(strength, path) {
                                None => {
                                    trace.cleared =
                                        trace.cleared.union(SinkKinds::of(&[SinkKind::PathAccess]));
                                }
                                Some(reason) if trace.reaches(SinkKind::PathAccess) => {
                                    trace.weak =
                                        trace.weak.union(SinkKinds::of(&[SinkKind::PathAccess]));
                                    let mut step = step.clone();
                                    step.message = reason.to_string();
                                    trace.push(step);
                                }
                                Some(_) => {}
                            }
                        }
                    }
                }
            }
        }
    }

    /// The names a checked expression stands for, with the path normalisation the check
    /// itself applies (`os.path.realpath(p).startswith(…)` checks the resolved `p`).
    fn subject_keys(
        &self,
        subject: Node<'t>,
        effect: FactEffect,
        depth: usize,
    ) -> Vec<(String, PathState)> {
        if depth > 4 {
            return Vec::new();
        }
        let index = self.index();
        match subject.kind() {
            "identifier" | "attribute" => {
                let key = index.text_of(subject).to_string();
                let mut out = Vec::new();
                if subject.kind() == "attribute"
                    && effect == FactEffect::HostAllowed
                    && !self.env.contains_key(&key)
                {
                    // `parsed.hostname`, `url_obj.host`: the URL it was parsed from.
                    if let Some(object) = subject.child_by_field_name("object") {
                        out.extend(self.subject_keys(object, effect, depth + 1));
                    }
                }
                if effect == FactEffect::HostAllowed
                    && let Some(def) = self.env.get(&key).and_then(|v| v.def)
                    && def.kind() == "call"
                {
                    out.extend(self.subject_keys(def, effect, depth + 1));
                }
                out.push((key, PathState::default()));
                out
            }
            "parenthesized_expression" => subject
                .named_child(0)
                .map(|s| self.subject_keys(s, effect, depth + 1))
                .unwrap_or_default(),
            "call" => {
                let Some(function) = subject.child_by_field_name("function") else {
                    return Vec::new();
                };
                let canonical = if is_dotted(function) {
                    index.imports.canonical(index.text_of(function))
                } else {
                    String::new()
                };
                let method = (function.kind() == "attribute")
                    .then(|| function.child_by_field_name("attribute"))
                    .flatten()
                    .map(|a| index.text_of(a));
                let (inner, state) = match (canonical.as_str(), method) {
                    ("os.path.realpath", _) | (_, Some("resolve")) => (
                        true,
                        PathState {
                            resolved: true,
                            normalised: true,
                        },
                    ),
                    ("os.path.abspath" | "os.path.normpath", _) | (_, Some("absolute")) => (
                        true,
                        PathState {
                            resolved: false,
                            normalised: true,
                        },
                    ),
                    (
                        "str"
                        | "pathlib.Path"
                        | "Path"
                        | "urllib.parse.urlparse"
                        | "urllib.parse.urlsplit"
                        | "os.fspath",
                        _,
                    ) => (true, PathState::default()),
                    _ => (false, PathState::default()),
                };
                if !inner {
                    return Vec::new();
                }
                let target = match method {
                    Some("resolve" | "absolute") => function.child_by_field_name("object"),
                    _ => self.call_arg_items(subject).into_iter().next(),
                };
                target
                    .map(|t| self.subject_keys(t, effect, depth + 1))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, s)| {
                        (
                            k,
                            PathState {
                                resolved: s.resolved || state.resolved,
                                normalised: s.normalised || state.normalised,
                            },
                        )
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Parameters a check proves something about, when failing it ends the function.
    pub(super) fn record_param_guards(&mut self, facts: &[Fact<'t>]) {
        let Some(function) = self.function else {
            return;
        };
        let params = &self.index().functions[function].params;
        for fact in facts {
            if fact.subject.kind() != "identifier" {
                continue;
            }
            let name = self.index().text_of(fact.subject);
            let Some(index) = params.iter().position(|p| p.name == name) else {
                continue;
            };
            let clears = match fact.effect {
                FactEffect::Clean => SinkKinds::ALL,
                FactEffect::DashChecked => SinkKinds::of(&[SinkKind::Argument]),
                FactEffect::HostAllowed => host_checked(),
                FactEffect::Contained(_) => continue,
            };
            self.out.guards.push(ParamGuard { index, clears });
        }
    }
}

/// What holds when either of two facts about one expression holds: the weaker one
/// (being clean implies anything else), or nothing when they differ.
fn weaker(a: FactEffect, b: FactEffect) -> Option<FactEffect> {
    match (a, b) {
        _ if a == b => Some(a),
        (FactEffect::Clean, other) | (other, FactEffect::Clean) => Some(other),
        _ => None,
    }
}

/// What a checked host rules out: requests to other hosts, credentials sent there, and
/// opening something other than a page of that host.
fn host_checked() -> SinkKinds {
    SinkKinds::of(&[SinkKind::Url])
        .union(SinkKinds::of(&[SinkKind::CredentialToHost]))
        .union(SinkKinds::of(&[SinkKind::OpenExternal]))
}

/// Why a containment check of `strength` on a path in `state` is not enough, if it is not.
fn weakness(strength: Containment, state: PathState) -> Option<&'static str> {
    match (strength, state.resolved, state.normalised) {
        (Containment::NaivePrefix, _, _) => Some(
            "prefix check `startswith(root)` has no trailing separator: a sibling such as `<root>-evil` passes it",
        ),
        (Containment::CommonPrefix, _, _) => Some(
            "`os.path.commonprefix` compares characters, not path components: `<root>-evil` passes it",
        ),
        (Containment::Correct, true, _) => None,
        (Containment::Correct, false, true) => Some(
            "containment checked after `abspath`/`normpath` without `realpath`: a symlink inside the root can point outside it",
        ),
        (Containment::Correct, false, false) => Some(
            "containment checked on a path that was never resolved: `..` segments and symlinks pass the check",
        ),
    }
}

/// Whether a regex used with `re.<kind>` must match the whole string.
fn anchored(kind: &str, pattern: &str) -> bool {
    let end = pattern.ends_with('$') || pattern.ends_with("\\Z") || pattern.ends_with("\\z");
    match kind {
        "fullmatch" => true,
        "match" => end,
        "search" => pattern.starts_with('^') && end,
        _ => false,
    }
}
