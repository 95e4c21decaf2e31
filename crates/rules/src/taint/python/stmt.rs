//! Statements: assignments (plain, tuple-unpacking, augmented, attribute and item
//! targets), branches (each analysed from the state before it, then merged; a branch that
//! raises or returns applies its condition's negation to what follows), loops, `with`,
//! `try`, `match` and `return`.

use std::collections::HashMap;

use tree_sitter::Node;

use super::engine::FnCx;
use super::value::{Kind, Value};

impl<'t> FnCx<'_, '_, 't> {
    /// Analyses the statements of a block (or module) in order.
    pub(super) fn block(&mut self, block: Node<'t>) {
        let mut cursor = block.walk();
        let statements: Vec<_> = block.named_children(&mut cursor).collect();
        for statement in statements {
            self.statement(statement);
        }
    }

    fn statement(&mut self, stmt: Node<'t>) {
        let branches = matches!(
            stmt.kind(),
            "if_statement"
                | "for_statement"
                | "while_statement"
                | "try_statement"
                | "match_statement"
        );
        // Branching statements copy the state: their cost grows with it.
        let cost = if branches { 1 + self.env.len() } else { 1 };
        if !self.an.spend_n(cost) {
            return;
        }
        match stmt.kind() {
            "expression_statement" => {
                let mut cursor = stmt.walk();
                let parts: Vec<_> = stmt.named_children(&mut cursor).collect();
                for part in parts {
                    self.expression_statement(part);
                }
            }
            "return_statement" => {
                if let Some(value) = stmt.named_child(0) {
                    let value = self.eval(value);
                    let step = self.step(stmt, format!("returned: `{}`", self.short(stmt)));
                    for mut trace in value.traces {
                        trace.push(step.clone());
                        self.out.returns.push(trace);
                    }
                }
            }
            "if_statement" => self.if_statement(stmt),
            "for_statement" => {
                if let (Some(left), Some(right)) = (
                    stmt.child_by_field_name("left"),
                    stmt.child_by_field_name("right"),
                ) {
                    let items = self.eval(right);
                    let items = Value {
                        kind: Kind::Plain,
                        def: None,
                        ..items
                    };
                    self.bind(left, items, stmt);
                }
                self.loop_body(stmt);
            }
            "while_statement" => {
                if let Some(condition) = stmt.child_by_field_name("condition") {
                    self.eval(condition);
                }
                self.loop_body(stmt);
            }
            "with_statement" => self.with_statement(stmt),
            "try_statement" => self.try_statement(stmt),
            "match_statement" => self.match_statement(stmt),
            "assert_statement" => {
                if let Some(condition) = stmt.named_child(0) {
                    self.eval(condition);
                    let facts = self.facts(condition, true);
                    self.apply_facts(&facts, stmt);
                }
            }
            "raise_statement" | "delete_statement" => {
                let mut cursor = stmt.walk();
                let parts: Vec<_> = stmt.named_children(&mut cursor).collect();
                for part in parts {
                    self.eval(part);
                }
            }
            "block" | "module" => self.block(stmt),
            // Nested definitions are analysed on their own.
            _ => {}
        }
    }

    fn expression_statement(&mut self, expr: Node<'t>) {
        match expr.kind() {
            "assignment" => self.assignment(expr),
            "augmented_assignment" => {
                let (Some(left), Some(right)) = (
                    expr.child_by_field_name("left"),
                    expr.child_by_field_name("right"),
                ) else {
                    return;
                };
                let mut value = self.eval(left);
                let added = self.eval(right);
                let composed = self.is_string_like(left) || self.is_string_like(right);
                value.absorb(&added.map_traces(|t| t.composed |= composed));
                value.def = None;
                self.bind(left, value, expr);
            }
            _ => {
                self.eval(expr);
            }
        }
    }

    fn assignment(&mut self, assign: Node<'t>) {
        let (Some(left), Some(right)) = (
            assign.child_by_field_name("left"),
            assign.child_by_field_name("right"),
        ) else {
            return;
        };
        // `a = b = value`
        if right.kind() == "assignment" {
            self.assignment(right);
            if let Some(inner) = right.child_by_field_name("left") {
                let value = self.eval(inner);
                self.bind(left, value, assign);
            }
            return;
        }
        let targets = pattern_items(left);
        let sources = pattern_items(right);
        if targets.len() > 1 && targets.len() == sources.len() && is_sequence(right) {
            for (target, source) in targets.into_iter().zip(sources) {
                let mut value = self.eval(source);
                value.def = Some(source);
                self.bind(target, value, assign);
            }
            return;
        }
        let mut value = self.eval(right);
        if targets.len() == 1 {
            value.def = Some(right);
        } else {
            value.def = None;
        }
        self.bind(left, value, assign);
    }

    /// Binds `value` to an assignment target, recording the hop at `site`.
    pub(super) fn bind(&mut self, target: Node<'t>, mut value: Value<'t>, site: Node<'t>) {
        match target.kind() {
            "identifier" | "attribute" => {
                if value.is_tainted() {
                    let step = self.step(site, format!("assigned: `{}`", self.short(site)));
                    for trace in &mut value.traces {
                        trace.push(step.clone());
                    }
                }
                let key = self.index().text_of(target).to_string();
                self.env.insert(key, value);
            }
            "subscript" => {
                // `d["k"] = v` adds to `d`.
                if let Some(container) = target.child_by_field_name("value")
                    && value.is_tainted()
                {
                    let key = self.index().text_of(container).to_string();
                    let step = self.step(site, format!("stored: `{}`", self.short(site)));
                    let entry = self.env.entry(key).or_default();
                    for trace in value.traces {
                        let mut trace = trace;
                        trace.push(step.clone());
                        entry.add(trace);
                    }
                }
            }
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "parenthesized_expression" => {
                value.def = None;
                value.kind = Kind::Plain;
                for item in pattern_items(target) {
                    let inner = if item.kind() == "list_splat_pattern" {
                        item.named_child(0).unwrap_or(item)
                    } else {
                        item
                    };
                    self.bind(inner, value.clone(), site);
                }
            }
            _ => {}
        }
    }

    fn if_statement(&mut self, stmt: Node<'t>) {
        let mut clauses: Vec<(Option<Node<'t>>, Node<'t>)> = Vec::new();
        if let (Some(condition), Some(body)) = (
            stmt.child_by_field_name("condition"),
            stmt.child_by_field_name("consequence"),
        ) {
            clauses.push((Some(condition), body));
        }
        let mut cursor = stmt.walk();
        for alternative in stmt.children_by_field_name("alternative", &mut cursor) {
            match alternative.kind() {
                "elif_clause" => {
                    if let (Some(condition), Some(body)) = (
                        alternative.child_by_field_name("condition"),
                        alternative.child_by_field_name("consequence"),
                    ) {
                        clauses.push((Some(condition), body));
                    }
                }
                _ => {
                    if let Some(body) = alternative.child_by_field_name("body") {
                        clauses.push((None, body));
                    }
                }
            }
        }
        let has_else = clauses.last().is_some_and(|(c, _)| c.is_none());
        let mut outgoing = Vec::new();
        let mut pending = self.env.clone();
        for (condition, body) in clauses {
            self.env = pending.clone();
            if let Some(condition) = condition {
                self.eval(condition);
                let facts = self.facts(condition, true);
                self.apply_facts(&facts, condition);
            }
            self.block(body);
            if !exits(body, self.index().text) {
                outgoing.push(std::mem::take(&mut self.env));
            }
            if let Some(condition) = condition {
                self.env = pending;
                let facts = self.facts(condition, false);
                if exits(body, self.index().text) {
                    self.record_param_guards(&facts);
                }
                self.apply_facts(&facts, condition);
                pending = std::mem::take(&mut self.env);
            }
        }
        if !has_else || outgoing.is_empty() {
            outgoing.push(pending);
        }
        self.env = merge(outgoing);
    }

    fn loop_body(&mut self, stmt: Node<'t>) {
        let before = self.env.clone();
        if let Some(body) = stmt.child_by_field_name("body") {
            self.block(body);
        }
        let after = std::mem::take(&mut self.env);
        self.env = merge(vec![before, after]);
        if let Some(alternative) = stmt.child_by_field_name("alternative") {
            self.statement_children(alternative);
        }
    }

    fn statement_children(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        for child in children {
            self.statement(child);
        }
    }

    fn with_statement(&mut self, stmt: Node<'t>) {
        let mut stack = vec![stmt];
        let mut items = Vec::new();
        while let Some(node) = stack.pop() {
            match node.kind() {
                "with_item" => items.push(node),
                "with_statement" | "with_clause" => {
                    let mut cursor = node.walk();
                    let children: Vec<_> = node.named_children(&mut cursor).collect();
                    stack.extend(children.into_iter().rev().filter(|c| c.kind() != "block"));
                }
                _ => {}
            }
        }
        for item in items {
            let Some(value) = item.child_by_field_name("value") else {
                continue;
            };
            if value.kind() == "as_pattern" {
                let expr = value.named_child(0);
                let target = value
                    .child_by_field_name("alias")
                    .and_then(|a| a.named_child(0));
                if let Some(expr) = expr {
                    let result = self.eval(expr);
                    if let Some(target) = target {
                        self.bind(target, result, item);
                    }
                }
            } else {
                self.eval(value);
            }
        }
        if let Some(body) = stmt.child_by_field_name("body") {
            self.block(body);
        }
    }

    fn try_statement(&mut self, stmt: Node<'t>) {
        let before = self.env.clone();
        let mut outgoing = Vec::new();
        if let Some(body) = stmt.child_by_field_name("body") {
            self.block(body);
        }
        let after_body = self.env.clone();
        let mut cursor = stmt.walk();
        let clauses: Vec<_> = stmt.named_children(&mut cursor).collect();
        for clause in clauses {
            match clause.kind() {
                "except_clause" | "except_group_clause" => {
                    self.env = merge(vec![before.clone(), after_body.clone()]);
                    if let Some(alias) = clause.child_by_field_name("alias") {
                        self.env.remove(self.index().text_of(alias));
                    }
                    let body = last_block(clause);
                    if let Some(body) = body {
                        self.block(body);
                        if !exits(body, self.index().text) {
                            outgoing.push(std::mem::take(&mut self.env));
                        }
                    }
                }
                "else_clause" => {
                    self.env = after_body.clone();
                    if let Some(body) = clause.child_by_field_name("body") {
                        self.block(body);
                    }
                    outgoing.push(std::mem::take(&mut self.env));
                }
                _ => {}
            }
        }
        if !clauses_have_else(stmt) {
            outgoing.push(after_body);
        }
        self.env = merge(outgoing);
        let mut cursor = stmt.walk();
        let finally: Vec<_> = stmt
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "finally_clause")
            .collect();
        for clause in finally {
            if let Some(body) = last_block(clause) {
                self.block(body);
            }
        }
    }

    fn match_statement(&mut self, stmt: Node<'t>) {
        if let Some(subject) = stmt.child_by_field_name("subject") {
            self.eval(subject);
        }
        let Some(body) = stmt.child_by_field_name("body") else {
            return;
        };
        let before = self.env.clone();
        let mut outgoing = vec![before.clone()];
        let mut cursor = body.walk();
        let cases: Vec<_> = body
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "case_clause")
            .collect();
        for case in cases {
            self.env = before.clone();
            if let Some(block) = case.child_by_field_name("consequence") {
                self.block(block);
                if !exits(block, self.index().text) {
                    outgoing.push(std::mem::take(&mut self.env));
                }
            }
        }
        self.env = merge(outgoing);
    }

    /// Whether `node` is evidently a string (a literal, an f-string, a `str` method call).
    pub(super) fn is_string_like(&self, node: Node<'t>) -> bool {
        matches!(node.kind(), "string" | "concatenated_string")
            || self.index().const_str(node).is_some()
    }
}

/// The items of a tuple/list pattern or expression (the node itself otherwise).
fn pattern_items(node: Node<'_>) -> Vec<Node<'_>> {
    match node.kind() {
        "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple"
        | "list" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect()
        }
        _ => vec![node],
    }
}

fn is_sequence(node: Node<'_>) -> bool {
    matches!(node.kind(), "expression_list" | "tuple" | "list")
}

/// Whether a block always leaves the enclosing flow: it ends in `raise`, `return`,
/// `continue`, `break`, an exit call (`sys.exit()`, `exit()`, `os._exit()`), or an `if`
/// whose every branch does.
pub(super) fn exits(block: Node<'_>, text: &str) -> bool {
    let mut cursor = block.walk();
    let Some(last) = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .last()
    else {
        return false;
    };
    match last.kind() {
        "raise_statement" | "return_statement" | "continue_statement" | "break_statement" => true,
        "expression_statement" => last
            .named_child(0)
            .filter(|call| call.kind() == "call")
            .and_then(|call| call.child_by_field_name("function"))
            .is_some_and(|f| {
                let name = crate::lang::node_text(f, text);
                matches!(
                    name.rsplit('.').next().unwrap_or(name),
                    "exit" | "_exit" | "abort"
                )
            }),
        "if_statement" => {
            let mut cursor = last.walk();
            let alternatives: Vec<_> = last
                .children_by_field_name("alternative", &mut cursor)
                .collect();
            alternatives.iter().any(|a| a.kind() == "else_clause")
                && last
                    .child_by_field_name("consequence")
                    .is_some_and(|b| exits(b, text))
                && alternatives.iter().all(|a| {
                    a.child_by_field_name("consequence")
                        .or_else(|| a.child_by_field_name("body"))
                        .is_some_and(|b| exits(b, text))
                })
        }
        _ => false,
    }
}

fn last_block(clause: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = clause.walk();
    clause
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "block")
        .last()
}

fn clauses_have_else(stmt: Node<'_>) -> bool {
    let mut cursor = stmt.walk();
    stmt.named_children(&mut cursor)
        .any(|c| c.kind() == "else_clause")
}

/// Joins the states of several branches: a name bound in any branch keeps every trace it
/// has in any of them (a sanitizer applied in only one branch does not hold after it).
pub(super) fn merge<'t>(envs: Vec<HashMap<String, Value<'t>>>) -> HashMap<String, Value<'t>> {
    let mut iter = envs.into_iter();
    let Some(mut out) = iter.next() else {
        return HashMap::new();
    };
    for env in iter {
        for (key, value) in env {
            match out.get_mut(&key) {
                Some(existing) => {
                    existing.absorb(&value);
                    if existing.kind == Kind::Plain {
                        existing.kind = value.kind;
                    }
                    if existing.def.is_none() {
                        existing.def = value.def;
                    }
                }
                None => {
                    out.insert(key, value);
                }
            }
        }
    }
    out
}
