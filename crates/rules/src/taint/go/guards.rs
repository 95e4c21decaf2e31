//! Sanitizer guards: what an `if` condition (or a `switch` case) proves about a variable
//! on each branch. Allowlists (`allowed[x]`, `slices.Contains`, `x == "lit"`, literal
//! `case`s), anchored regexes, dash checks (`strings.HasPrefix(x, "-")`), path
//! containment (`strings.HasPrefix(p, root+string(os.PathSeparator))`, `filepath.Rel`
//! not starting with `..`, judged with the path's `Clean`/`EvalSymlinks` history; the
//! naive `strings.HasPrefix(p, root)` only weakens the flow) and URL host or scheme
//! checks on a parsed URL.

use tree_sitter::Node;

use super::expr::{call_arguments, root_identifier, strip_parens};
use super::interp::{Env, GuardVar, Interp, is_literal};
use super::stdlib::{literal_fixes_host, literal_text};
use super::value::{Label, allowlisted};
use crate::taint::{SinkKind, SinkKinds};

/// Weak-sanitizer explanations.
const NAIVE_PREFIX: &str = "containment checked with `strings.HasPrefix(path, root)` without a trailing separator: sibling directories such as `root-evil` pass";
const NO_SYMLINKS: &str = "containment checked without resolving symlinks (`filepath.EvalSymlinks`): a symlink inside the root can point outside it";
const NOT_CLEANED: &str = "containment checked on a path that was not cleaned (`filepath.Clean`/`Abs`): `..` segments pass the check";
const DOTDOT_ONLY: &str = "only `..` is rejected; the path is not resolved and contained";
const UNANCHORED: &str = "validated by a regular expression that is not anchored (`^…$`): it matches inside longer strings";
const URL_PREFIX: &str =
    "URL prefix check without a `/` after the host: `https://host.evil.example` passes";

/// What a guard proves.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Proof {
    /// The value is one of a few known values (allowlist, literal comparison).
    Allowlisted,
    /// Safe for these sink kinds.
    Clean(SinkKinds),
    /// A weak check for `kind`.
    Weak(SinkKind, &'static str),
    /// Weak for every kind.
    WeakAll(&'static str),
    /// A containment check judged by the path's history: correct only on cleaned,
    /// symlink-resolved paths.
    Contained,
    /// The naive prefix check.
    NaivePrefix,
    /// The path was checked not to be a symlink (`os.Lstat` and `ModeSymlink`).
    NotSymlink,
}

/// A proof about a variable.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fact<'t> {
    /// The variable.
    pub var: &'t str,
    /// What is proven.
    pub proof: Proof,
}

/// Sink kinds a host check on a parsed URL makes safe.
fn host_checked() -> SinkKinds {
    SinkKinds::of(&[SinkKind::Url, SinkKind::CredentialToHost])
}

impl<'t> Interp<'t, '_> {
    /// Facts when `condition` is true and when it is false.
    pub(super) fn narrowings(
        &self,
        env: &Env<'t>,
        condition: Node<'t>,
    ) -> (Vec<Fact<'t>>, Vec<Fact<'t>>) {
        let condition = strip_parens(condition);
        match condition.kind() {
            "unary_expression"
                if condition
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() == "!") =>
            {
                let Some(operand) = condition.child_by_field_name("operand") else {
                    return (Vec::new(), Vec::new());
                };
                let (t, f) = self.narrowings(env, operand);
                (f, t)
            }
            "binary_expression" => self.binary_narrowings(env, condition),
            "call_expression" => (
                self.call_proves(condition),
                self.negated_call_facts(env, condition),
            ),
            "index_expression" => (self.membership(condition), Vec::new()),
            "identifier" => (self.guard_var(env, condition), Vec::new()),
            _ => (Vec::new(), Vec::new()),
        }
    }

    fn binary_narrowings(&self, env: &Env<'t>, node: Node<'t>) -> (Vec<Fact<'t>>, Vec<Fact<'t>>) {
        let operator = node
            .child_by_field_name("operator")
            .map_or("", |o| o.kind());
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return (Vec::new(), Vec::new());
        };
        match operator {
            "&&" => {
                let (mut t, lf) = self.narrowings(env, left);
                let (rt, rf) = self.narrowings(env, right);
                t.extend(rt);
                // `err == nil && bad(x)` failing: either the call failed (nothing was
                // found to use) or `bad(x)` is false.
                let f = if self.is_error_check(left) {
                    rf
                } else if self.is_error_check(right) {
                    lf
                } else {
                    common(&lf, &rf)
                };
                (t, f)
            }
            "||" => {
                let (lt, mut f) = self.narrowings(env, left);
                let (rt, rf) = self.narrowings(env, right);
                f.extend(rf);
                (common(&lt, &rt), f)
            }
            "==" | "!=" if self.ix.text_of(node).contains("ModeSymlink") => {
                let facts = self.symlink_check(env, left);
                if operator == "!=" {
                    (Vec::new(), facts)
                } else {
                    (facts, Vec::new())
                }
            }
            "==" | "!=" => {
                let (equal, different) = self.equality(left, right);
                if operator == "==" {
                    (equal, different)
                } else {
                    (different, equal)
                }
            }
            _ => (Vec::new(), Vec::new()),
        }
    }

    /// Facts when `x == "lit"` (`u.Host == "lit"`, `u.Scheme == "https"`) holds and when
    /// it does not: `x[0] == '-'` proves the absence of a leading dash when false.
    fn equality(&self, left: Node<'t>, right: Node<'t>) -> (Vec<Fact<'t>>, Vec<Fact<'t>>) {
        let (subject, literal) = if is_literal(strip_parens(right)) {
            (strip_parens(left), strip_parens(right))
        } else if is_literal(strip_parens(left)) {
            (strip_parens(right), strip_parens(left))
        } else {
            return (Vec::new(), Vec::new());
        };
        if literal.kind() == "nil" {
            // `net.ParseIP(x) == nil` is false for valid addresses.
            return (Vec::new(), self.parsed_address(subject));
        }
        let literal = literal_text(self.ix, literal).unwrap_or_default();
        if subject.kind() == "index_expression" && literal == "-" {
            let facts = subject
                .child_by_field_name("operand")
                .and_then(root_identifier)
                .map(|r| Fact {
                    var: self.ix.text_of(r),
                    proof: Proof::Clean(SinkKinds::of(&[SinkKind::Argument])),
                });
            return (Vec::new(), facts.into_iter().collect());
        }
        if let Some(fact) = self.url_part_fact(subject, &literal) {
            return (vec![fact], Vec::new());
        }
        match subject.kind() {
            "identifier" => (
                vec![Fact {
                    var: self.ix.text_of(subject),
                    proof: Proof::Allowlisted,
                }],
                Vec::new(),
            ),
            _ => (Vec::new(), Vec::new()),
        }
    }

    /// `err == nil` / `err != nil`.
    fn is_error_check(&self, node: Node<'t>) -> bool {
        let node = strip_parens(node);
        node.kind() == "binary_expression"
            && node
                .child_by_field_name("right")
                .is_some_and(|r| r.kind() == "nil")
            && node
                .child_by_field_name("left")
                .is_some_and(|l| self.ix.text_of(l).to_ascii_lowercase().contains("err"))
    }

    /// `info.Mode()&os.ModeSymlink` where `info` is `os.Lstat(x)`: facts about `x` when
    /// the result says "not a symlink".
    fn symlink_check(&self, env: &Env<'t>, mask: Node<'t>) -> Vec<Fact<'t>> {
        // Down to `info` through `&`, `.Mode()`, `.Type()`.
        let mut node = strip_parens(mask);
        for _ in 0..8 {
            let next = match node.kind() {
                "binary_expression" => node.child_by_field_name("left"),
                "call_expression" => node.child_by_field_name("function"),
                "selector_expression" => node.child_by_field_name("operand"),
                _ => None,
            };
            match next {
                Some(n) => node = strip_parens(n),
                None => break,
            }
        }
        if node.kind() != "identifier" {
            return Vec::new();
        }
        let info = node;
        match env.guards.get(self.ix.text_of(info)) {
            Some(GuardVar::Lstat(target)) => vec![Fact {
                var: target,
                proof: Proof::NotSymlink,
            }],
            _ => Vec::new(),
        }
    }

    /// `net.ParseIP(x)` (and `ParseMAC`): non-nil only for a well-formed address.
    fn parsed_address(&self, call: Node<'t>) -> Vec<Fact<'t>> {
        if call.kind() != "call_expression" {
            return Vec::new();
        }
        let callee = call
            .child_by_field_name("function")
            .map_or("", |f| self.ix.text_of(f));
        if !matches!(callee, "net.ParseIP" | "net.ParseMAC") {
            return Vec::new();
        }
        call_arguments(call)
            .first()
            .and_then(|a| root_identifier(*a).filter(|r| strip_parens(*a) == *r))
            .map(|r| Fact {
                var: self.ix.text_of(r),
                proof: Proof::Allowlisted,
            })
            .into_iter()
            .collect()
    }

    /// A check on part of a parsed URL: `u.Host`, `u.Hostname()`, `u.Scheme`.
    fn url_part_fact(&self, subject: Node<'t>, literal: &str) -> Option<Fact<'t>> {
        let (operand, part) = match subject.kind() {
            "selector_expression" => (
                subject.child_by_field_name("operand")?,
                self.ix.text_of(subject.child_by_field_name("field")?),
            ),
            "call_expression" => {
                let function = subject.child_by_field_name("function")?;
                if function.kind() != "selector_expression" {
                    return None;
                }
                (
                    function.child_by_field_name("operand")?,
                    self.ix.text_of(function.child_by_field_name("field")?),
                )
            }
            _ => return None,
        };
        let var = self.ix.text_of(root_identifier(operand)?);
        let proof = match part {
            "Host" | "Hostname" => Proof::Clean(host_checked()),
            "Scheme" if matches!(literal, "https" | "http") => {
                Proof::Clean(SinkKinds::of(&[SinkKind::OpenExternal]))
            }
            _ => return None,
        };
        Some(Fact { var, proof })
    }

    /// `allowed[x]`, `allowedHosts[u.Host]`.
    fn membership(&self, node: Node<'t>) -> Vec<Fact<'t>> {
        let Some(index) = node.child_by_field_name("index") else {
            return Vec::new();
        };
        if let Some(fact) = self.url_part_fact(strip_parens(index), "") {
            return vec![fact];
        }
        root_identifier(index)
            .filter(|i| strip_parens(index) == *i)
            .map(|i| Fact {
                var: self.ix.text_of(i),
                proof: Proof::Allowlisted,
            })
            .into_iter()
            .collect()
    }

    /// A boolean set earlier: `ok` of `_, ok := allowed[x]`, a regex match result.
    fn guard_var(&self, env: &Env<'t>, node: Node<'t>) -> Vec<Fact<'t>> {
        match env.guards.get(self.ix.text_of(node)) {
            Some(GuardVar::Member(var)) => vec![Fact {
                var,
                proof: Proof::Allowlisted,
            }],
            Some(GuardVar::Regex(var, anchored)) => vec![regex_fact(var, *anchored)],
            _ => Vec::new(),
        }
    }

    /// What a call that returned true proves.
    fn call_proves(&self, call: Node<'t>) -> Vec<Fact<'t>> {
        let Some(function) = call.child_by_field_name("function") else {
            return Vec::new();
        };
        let callee = self.ix.text_of(function);
        let name = callee.rsplit('.').next().unwrap_or(callee);
        let args = call_arguments(call);
        let subject = |i: usize| {
            args.get(i)
                .and_then(|a| root_identifier(*a))
                .map(|r| self.ix.text_of(r))
        };
        match name {
            "HasPrefix" if callee.starts_with("strings.") && args.len() == 2 => {
                self.prefix_check(args[0], args[1])
            }
            "HasSuffix" if callee.starts_with("strings.") && args.len() == 2 => self
                .url_part_fact(strip_parens(args[0]), "")
                .into_iter()
                .collect(),
            "Contains" if callee.starts_with("strings.") && args.len() == 2 => {
                // `strings.Contains(p, "..")` is true for suspicious paths: it proves
                // something only when false, and only weakly.
                Vec::new()
            }
            "IsLocal" => subject(0)
                .map(|var| Fact {
                    var,
                    proof: Proof::Weak(SinkKind::PathAccess, NO_SYMLINKS),
                })
                .into_iter()
                .collect(),
            "MatchString" | "Match" => {
                let anchored = self.regex_guard_anchored(function, &args);
                subject(args.len().saturating_sub(1))
                    .map(|var| regex_fact(var, anchored))
                    .into_iter()
                    .collect()
            }
            "Contains" | "ContainsFunc" if callee.starts_with("slices.") => subject(1)
                .map(|var| Fact {
                    var,
                    proof: Proof::Allowlisted,
                })
                .into_iter()
                .collect(),
            _ if is_validator_name(name) => args
                .iter()
                .filter_map(|a| root_identifier(*a).filter(|r| strip_parens(*a) == *r))
                .map(|r| Fact {
                    var: self.ix.text_of(r),
                    proof: Proof::Allowlisted,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `strings.HasPrefix(subject, prefix)` when true.
    fn prefix_check(&self, subject: Node<'t>, prefix: Node<'t>) -> Vec<Fact<'t>> {
        let Some(var) = root_identifier(subject)
            .filter(|r| strip_parens(subject) == *r)
            .map(|r| self.ix.text_of(r))
        else {
            return Vec::new();
        };
        if let Some(literal) = literal_text(self.ix, prefix) {
            if literal.starts_with('-') {
                // True for option-looking values: safe when false (see `negated_facts`).
                return Vec::new();
            }
            if literal.starts_with("..") {
                return Vec::new();
            }
            if literal.contains("://") {
                let proof = if literal_fixes_host(&literal) {
                    Proof::Clean(host_checked())
                } else {
                    Proof::Weak(SinkKind::Url, URL_PREFIX)
                };
                return vec![Fact { var, proof }];
            }
            return vec![Fact {
                var,
                proof: Proof::NaivePrefix,
            }];
        }
        let proof = if self.ends_with_separator(prefix) {
            Proof::Contained
        } else {
            Proof::NaivePrefix
        };
        vec![Fact { var, proof }]
    }

    /// Facts proven when a call returned *false*: `strings.HasPrefix(x, "-")` (no
    /// leading dash), `strings.HasPrefix(rel, "..")` (contained), `strings.Contains(p,
    /// "..")` (weak).
    pub(super) fn negated_call_facts(&self, env: &Env<'t>, call: Node<'t>) -> Vec<Fact<'t>> {
        let Some(function) = call.child_by_field_name("function") else {
            return Vec::new();
        };
        let callee = self.ix.text_of(function);
        let args = call_arguments(call);
        if args.len() != 2 || !callee.starts_with("strings.") {
            return Vec::new();
        }
        let Some(var) = root_identifier(args[0])
            .filter(|r| strip_parens(args[0]) == *r)
            .map(|r| self.ix.text_of(r))
        else {
            return Vec::new();
        };
        let literal = literal_text(self.ix, args[1])
            .or_else(|| self.literal_prefix(args[1]))
            .unwrap_or_default();
        match callee.rsplit('.').next() {
            Some("HasPrefix") if literal.starts_with('-') => vec![Fact {
                var,
                proof: Proof::Clean(SinkKinds::of(&[SinkKind::Argument])),
            }],
            Some("HasPrefix") if literal.starts_with("..") => match env.guards.get(var) {
                Some(GuardVar::Rel(target)) => vec![Fact {
                    var: target,
                    proof: Proof::Contained,
                }],
                _ => Vec::new(),
            },
            Some("Contains") if literal == ".." => vec![Fact {
                var,
                proof: Proof::Weak(SinkKind::PathAccess, DOTDOT_ONLY),
            }],
            _ => Vec::new(),
        }
    }

    /// Whether a prefix expression ends with a path separator: `root + "/"`,
    /// `root + string(os.PathSeparator)`, or a variable assigned one.
    fn ends_with_separator(&self, prefix: Node<'t>) -> bool {
        let prefix = strip_parens(prefix);
        match prefix.kind() {
            "binary_expression" => prefix
                .child_by_field_name("right")
                .is_some_and(|r| self.is_separator(r)),
            "identifier" => self
                .ix
                .local_value(prefix)
                .filter(|v| *v != prefix)
                .is_some_and(|v| self.ends_with_separator(v)),
            _ => false,
        }
    }

    fn is_separator(&self, node: Node<'t>) -> bool {
        let text = self.ix.text_of(strip_parens(node));
        if let Some(literal) = literal_text(self.ix, node) {
            return literal.ends_with('/') || literal.ends_with('\\');
        }
        text.contains("PathSeparator") || text.contains("Separator")
    }

    /// Facts of a `switch subject { case "a", "b": … }` case.
    pub(super) fn literal_match(&self, subject: Node<'t>) -> Vec<Fact<'t>> {
        let subject = strip_parens(subject);
        if let Some(fact) = self.url_part_fact(subject, "") {
            return vec![fact];
        }
        match subject.kind() {
            "identifier" => vec![Fact {
                var: self.ix.text_of(subject),
                proof: Proof::Allowlisted,
            }],
            _ => Vec::new(),
        }
    }

    /// Applies facts to the variables of `env` (and, for URL checks, to the variable the
    /// URL was parsed from).
    pub(super) fn apply(&self, env: &mut Env<'t>, facts: &[Fact<'t>]) {
        for fact in facts {
            let mut targets = vec![fact.var];
            if matches!(fact.proof, Proof::Clean(_))
                && let Some(parent) = env.parents.get(fact.var)
            {
                targets.push(parent);
            }
            for target in targets {
                if let Some(value) = env.vars.get_mut(target) {
                    for label in &mut value.labels {
                        prove(label, &fact.proof);
                    }
                }
            }
        }
    }
}

/// Applies a proof to one label.
fn prove(label: &mut Label, proof: &Proof) {
    match proof {
        Proof::Allowlisted => label.clean = label.clean.union(allowlisted()),
        Proof::Clean(kinds) => label.clean = label.clean.union(*kinds),
        Proof::Weak(kind, message) => label.add_weak(*kind, message),
        Proof::WeakAll(message) => {
            for kind in WEAKENED_KINDS {
                label.add_weak(*kind, message);
            }
        }
        Proof::Contained => {
            if !label.path.lexical {
                label.add_weak(SinkKind::PathAccess, NOT_CLEANED);
            } else if !label.path.real {
                label.path.contained = true;
                label.add_weak(SinkKind::PathAccess, NO_SYMLINKS);
            } else {
                label.clean = label.clean.union(SinkKinds::of(&[SinkKind::PathAccess]));
            }
        }
        Proof::NotSymlink => {
            label.path.real = true;
            if label.path.contained {
                label.drop_weak(SinkKind::PathAccess, NO_SYMLINKS);
                label.clean = label.clean.union(SinkKinds::of(&[SinkKind::PathAccess]));
            }
        }
        Proof::NaivePrefix => {
            label.add_weak(SinkKind::PathAccess, NAIVE_PREFIX);
            if !label.path.real {
                label.add_weak(SinkKind::PathAccess, NO_SYMLINKS);
            }
        }
    }
}

/// Kinds an unanchored regex check weakens.
const WEAKENED_KINDS: &[SinkKind] = &[
    SinkKind::Command,
    SinkKind::Argument,
    SinkKind::CodeEval,
    SinkKind::PathAccess,
    SinkKind::Url,
    SinkKind::Sql,
    SinkKind::Template,
    SinkKind::OpenExternal,
];

fn regex_fact(var: &str, anchored: bool) -> Fact<'_> {
    Fact {
        var,
        proof: if anchored {
            Proof::Allowlisted
        } else {
            Proof::WeakAll(UNANCHORED)
        },
    }
}

/// Facts both lists prove.
fn common<'t>(a: &[Fact<'t>], b: &[Fact<'t>]) -> Vec<Fact<'t>> {
    a.iter().filter(|f| b.contains(f)).cloned().collect()
}

/// Names of functions that validate their argument (`isAllowed(x)`, `validName(x)`).
pub(super) fn is_validator_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["allow", "valid", "permit", "whitelist", "safe", "trusted"]
        .iter()
        .any(|w| lower.contains(w))
        && !lower.starts_with("invalid")
        && !lower.starts_with("unsafe")
}
