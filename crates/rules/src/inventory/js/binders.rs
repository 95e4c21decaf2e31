//! The contexts a declaring call is evaluated in. A call inside a loop over a literal
//! table (`for (const t of TOOLS)`, `TOOLS.forEach(t => …)`, `for (const k in TOOLS)`) is
//! evaluated once per element, with the loop variable bound to it; a call inside a named
//! function (a wrapper such as `function defineTool(name, description, shape, cb)`) is
//! evaluated once per call site of that function in the file, with its parameters bound
//! to the call's arguments. Both nest, within bounds.

use std::collections::HashSet;

use tree_sitter::Node;

use super::eval::{Element, Env, Eval, Expr};
use super::index::{CalleeForm, DeclValue};
use super::patterns::{bind_element, bind_pattern, parameters};
use super::syntax::{arguments, call_method, children, field, is_function};

/// Most contexts one call is evaluated in.
const MAX_CONTEXTS: usize = 1_024;
/// Most nested wrapper functions followed.
const MAX_WRAPPER_DEPTH: u32 = 6;

/// Array methods whose first argument is called once per element.
const ITERATION_METHODS: &[&str] = &["forEach", "map", "flatMap", "filter", "some", "every"];

/// One way of evaluating a call: the bindings, and the nodes that produced them (table
/// elements and wrapper call sites), outermost first.
#[derive(Clone, Default)]
pub(super) struct Context<'a> {
    /// Bound names.
    pub env: Env<'a>,
    /// Elements and call sites the bindings came from.
    pub origins: Vec<Node<'a>>,
}

impl<'a> Context<'a> {
    fn derive(&self, env: Env<'a>, origin: Node<'a>) -> Self {
        let mut origins = self.origins.clone();
        origins.push(origin);
        Context { env, origins }
    }
}

/// What binds names around a node.
enum Binder<'a> {
    /// A loop over `iterable` binding `pattern` (over its keys for `for…in`).
    Loop {
        at: Node<'a>,
        pattern: Node<'a>,
        iterable: Node<'a>,
        keys: bool,
    },
    /// A named function, called as `form`.
    Function {
        function: Node<'a>,
        name: &'a str,
        form: CalleeForm,
    },
}

/// The contexts `node` is evaluated in (at least one).
pub(super) fn contexts<'a>(eval: &Eval<'a>, node: Node<'a>) -> Vec<Context<'a>> {
    contexts_at(eval, node, 0)
}

/// Only binders whose names `node` depends on are expanded: a call inside a function
/// that is called a thousand times, but does not use its parameters, is evaluated once.
fn contexts_at<'a>(eval: &Eval<'a>, node: Node<'a>, depth: u32) -> Vec<Context<'a>> {
    if depth <= MAX_WRAPPER_DEPTH {
        let references = referenced_names(eval, node);
        let mut child = node;
        while let Some(parent) = child.parent() {
            if let Some(binder) = binder(eval, parent, child) {
                let bound = match &binder {
                    Binder::Loop { pattern, .. } => bound_names(eval, &[*pattern]),
                    Binder::Function { function, .. } => bound_names(eval, &parameters(*function)),
                };
                if bound.iter().any(|name| references.contains(name)) {
                    return expand(eval, binder, depth);
                }
            }
            child = parent;
        }
    }
    vec![Context::default()]
}

/// Most nodes read when collecting the names an expression depends on.
const MAX_REFERENCE_NODES: usize = 4_096;

/// The identifiers `node` uses, plus those used by the values of the (non-function)
/// declarations they name — so `const { name } = t; server.tool(name, …)` depends on `t`.
fn referenced_names<'a>(eval: &Eval<'a>, node: Node<'a>) -> HashSet<&'a str> {
    let mut direct = Vec::new();
    collect_identifiers(node, &mut direct, MAX_REFERENCE_NODES);
    let mut names: HashSet<&'a str> = direct.iter().map(|n| eval.src(*n)).collect();
    let mut indirect = Vec::new();
    for identifier in direct.iter().take(64) {
        let source = match eval
            .index
            .lookup(eval.src(*identifier), identifier.start_byte())
        {
            Some(DeclValue::Node(value)) if !is_function(value) => value,
            Some(DeclValue::Property { source, .. } | DeclValue::Element { source, .. }) => source,
            _ => continue,
        };
        collect_identifiers(source, &mut indirect, MAX_REFERENCE_NODES / 4);
    }
    names.extend(indirect.iter().map(|n| eval.src(*n)));
    names
}

/// The identifier nodes under `node`, at most `limit` nodes visited.
fn collect_identifiers<'a>(node: Node<'a>, out: &mut Vec<Node<'a>>, limit: usize) {
    let mut stack = vec![node];
    let mut visited = 0;
    while let Some(current) = stack.pop() {
        visited += 1;
        if visited > limit {
            return;
        }
        match current.kind() {
            "identifier"
            | "shorthand_property_identifier"
            | "shorthand_property_identifier_pattern" => {
                out.push(current);
            }
            _ => stack.extend(children(current)),
        }
    }
}

/// The names a list of binding patterns binds.
fn bound_names<'a>(eval: &Eval<'a>, patterns: &[Node<'a>]) -> Vec<&'a str> {
    let mut nodes = Vec::new();
    for &pattern in patterns {
        collect_identifiers(pattern, &mut nodes, 256);
    }
    nodes.into_iter().map(|n| eval.src(n)).collect()
}

fn binder<'a>(eval: &Eval<'a>, parent: Node<'a>, child: Node<'a>) -> Option<Binder<'a>> {
    let is_body = field(parent, "body").is_some_and(|b| b.id() == child.id());
    if !is_body {
        return None;
    }
    match parent.kind() {
        "for_in_statement" => Some(Binder::Loop {
            at: parent,
            pattern: field(parent, "left")?,
            iterable: field(parent, "right")?,
            keys: field(parent, "operator").is_some_and(|o| eval.src(o) == "in"),
        }),
        "arrow_function" | "function_expression" | "function" => {
            if let Some(binder) = iteration_callback(eval, parent) {
                return Some(binder);
            }
            let declarator = parent
                .parent()
                .filter(|p| p.kind() == "variable_declarator")?;
            let name = field(declarator, "name").filter(|n| n.kind() == "identifier")?;
            Some(Binder::Function {
                function: parent,
                name: eval.src(name),
                form: CalleeForm::Plain,
            })
        }
        "function_declaration" | "generator_function_declaration" => Some(Binder::Function {
            function: parent,
            name: eval.src(field(parent, "name")?),
            form: CalleeForm::Plain,
        }),
        "method_definition" => Some(Binder::Function {
            function: parent,
            name: eval.src(field(parent, "name")?),
            form: CalleeForm::ThisMethod,
        }),
        _ => None,
    }
}

/// `table.forEach(fn)` and friends, when `function` is `fn`.
fn iteration_callback<'a>(eval: &Eval<'a>, function: Node<'a>) -> Option<Binder<'a>> {
    let args = function.parent().filter(|p| p.kind() == "arguments")?;
    if children(args).first().map(Node::id) != Some(function.id()) {
        return None;
    }
    let call = args.parent()?;
    let method = call_method(call, eval.text)?;
    if !ITERATION_METHODS.contains(&method) {
        return None;
    }
    Some(Binder::Loop {
        at: call,
        pattern: *parameters(function).first()?,
        iterable: field(field(call, "function")?, "object")?,
        keys: false,
    })
}

fn expand<'a>(eval: &Eval<'a>, binder: Binder<'a>, depth: u32) -> Vec<Context<'a>> {
    match binder {
        Binder::Loop {
            at,
            pattern,
            iterable,
            keys,
        } => {
            let mut out = Vec::new();
            for outer in contexts_at(eval, at, depth) {
                let table = Expr::new(iterable, &outer.env);
                let elements = if keys {
                    eval.keys(&table)
                } else {
                    eval.elements(&table)
                };
                if elements.is_empty() {
                    out.push(outer);
                    continue;
                }
                for element in elements {
                    if out.len() >= MAX_CONTEXTS {
                        return out;
                    }
                    let env = bind_element(eval, pattern, &element, &outer.env);
                    out.push(outer.derive(env, element_origin(eval, &element)));
                }
            }
            out
        }
        Binder::Function {
            function,
            name,
            form,
        } => {
            let inside = |n: &Node<'a>| {
                function.start_byte() <= n.start_byte() && n.end_byte() <= function.end_byte()
            };
            let sites: Vec<Node<'a>> = eval
                .index
                .call_sites(name, form)
                .filter(|site| !inside(site))
                .collect();
            let params = parameters(function);
            if sites.is_empty() {
                return contexts_at(eval, function, depth + 1)
                    .into_iter()
                    .map(|c| Context {
                        env: unbind(eval, &params, &c.env),
                        origins: c.origins,
                    })
                    .collect();
            }
            let mut out = Vec::new();
            for site in sites {
                for outer in contexts_at(eval, site, depth + 1) {
                    if out.len() >= MAX_CONTEXTS {
                        return out;
                    }
                    let env = bind_arguments(eval, &params, site, &outer.env);
                    out.push(outer.derive(env, site));
                }
            }
            out
        }
    }
}

/// The node an element stands for: the table entry (`{ name: … }`, or the `key: value`
/// pair of an `Object.entries` entry).
fn element_origin<'a>(eval: &Eval<'a>, element: &Element<'a>) -> Node<'a> {
    match element {
        Element::Value(value) => eval.resolve(value).node,
        Element::Entry(key, value) => key
            .parent()
            .filter(|p| p.kind() == "pair" || p.kind() == "method_definition")
            .unwrap_or(value.node),
    }
}

/// Binds each parameter pattern to the matching argument of `call`.
fn bind_arguments<'a>(
    eval: &Eval<'a>,
    params: &[Node<'a>],
    call: Node<'a>,
    env: &Env<'a>,
) -> Env<'a> {
    let args = arguments(call);
    let mut out = env.clone();
    for (i, &param) in params.iter().enumerate() {
        if param.kind() == "rest_pattern"
            || args.get(i).is_some_and(|a| a.kind() == "spread_element")
        {
            return unbind(eval, &params[i..], &out);
        }
        let value = args.get(i).map(|&a| Expr::new(a, env));
        out = bind_pattern(eval, param, value, &out);
    }
    out
}

/// Binds every name in `params` as unknown, so outer declarations do not leak in.
fn unbind<'a>(eval: &Eval<'a>, params: &[Node<'a>], env: &Env<'a>) -> Env<'a> {
    params.iter().fold(env.clone(), |env, &param| {
        let pattern = match param.kind() {
            "rest_pattern" => children(param).first().copied().unwrap_or(param),
            _ => param,
        };
        bind_pattern(eval, pattern, None, &env)
    })
}
