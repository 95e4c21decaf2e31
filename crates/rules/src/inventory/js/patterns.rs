//! Binding patterns to values: function parameters, destructuring (`{ name, schema }`,
//! `[key, value]`, defaults), and what functions return.

use tree_sitter::Node;

use super::eval::{Element, Env, Eval, Expr};
use super::syntax::{children, field, is_function, key_text};

/// The expressions a function returns: the body of an expression-bodied arrow, else the
/// arguments of its `return` statements (nested functions excluded).
pub(super) fn returned_expressions(function: Node<'_>) -> Vec<Node<'_>> {
    let Some(body) = field(function, "body") else {
        return Vec::new();
    };
    if body.kind() != "statement_block" {
        return vec![body];
    }
    return_statements_in(body)
}

/// The returned expressions of the `return` statements inside `node`, nested functions
/// excluded, in source order.
pub(super) fn return_statements_in(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > 50_000 {
            break;
        }
        for child in children(node) {
            match child.kind() {
                "return_statement" => out.extend(children(child).first().copied()),
                kind if is_function(child) || kind == "class_body" => {}
                _ => stack.push(child),
            }
        }
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// The parameter patterns of a function.
pub(super) fn parameters(function: Node<'_>) -> Vec<Node<'_>> {
    if let Some(single) = field(function, "parameter") {
        return vec![single];
    }
    field(function, "parameters").map_or_else(Vec::new, |p| {
        children(p)
            .into_iter()
            .filter(|c| c.kind() != "this")
            .collect()
    })
}

/// `env` extended with the first parameter of `function` bound to `element`.
pub(super) fn bind_first_parameter<'a>(
    eval: &Eval<'a>,
    function: Node<'a>,
    element: &Element<'a>,
    env: &Env<'a>,
) -> Env<'a> {
    match parameters(function).first() {
        Some(&pattern) => bind_element(eval, pattern, element, env),
        None => env.clone(),
    }
}

/// `env` extended with the names of `pattern` bound to the parts of `element`.
pub(super) fn bind_element<'a>(
    eval: &Eval<'a>,
    pattern: Node<'a>,
    element: &Element<'a>,
    env: &Env<'a>,
) -> Env<'a> {
    match element {
        Element::Value(value) => bind_pattern(eval, pattern, Some(value.clone()), env),
        Element::Entry(key, value) => {
            let pattern = strip_parameter(pattern);
            if pattern.kind() != "array_pattern" {
                return bind_pattern(eval, pattern, None, env);
            }
            let parts = children(pattern);
            let mut env = env.clone();
            if let Some(&k) = parts.first() {
                env = bind_pattern(eval, k, Some(Expr::new(*key, &value.env)), &env);
            }
            if let Some(&v) = parts.get(1) {
                env = bind_pattern(eval, v, Some(value.clone()), &env);
            }
            env
        }
    }
}

/// `required_parameter` / `optional_parameter` → their pattern.
fn strip_parameter(pattern: Node<'_>) -> Node<'_> {
    match pattern.kind() {
        "required_parameter" | "optional_parameter" => field(pattern, "pattern").unwrap_or(pattern),
        _ => pattern,
    }
}

/// `env` extended with the names of `pattern` bound to the parts of `value` (`None`:
/// unknown; defaults in the pattern then apply).
pub(super) fn bind_pattern<'a>(
    eval: &Eval<'a>,
    pattern: Node<'a>,
    value: Option<Expr<'a>>,
    env: &Env<'a>,
) -> Env<'a> {
    let default_of = |node: Node<'a>| field(node, "value").or_else(|| field(node, "right"));
    match pattern.kind() {
        "identifier" => env.bind(eval.src(pattern), value),
        "required_parameter" | "optional_parameter" => {
            let inner = strip_parameter(pattern);
            let value = value.or_else(|| default_of(pattern).map(|d| Expr::new(d, env)));
            if inner.id() == pattern.id() {
                env.clone()
            } else {
                bind_pattern(eval, inner, value, env)
            }
        }
        "assignment_pattern" => {
            let Some(left) = field(pattern, "left") else {
                return env.clone();
            };
            let value = value.or_else(|| default_of(pattern).map(|d| Expr::new(d, env)));
            bind_pattern(eval, left, value, env)
        }
        "object_pattern" => {
            let mut out = env.clone();
            for part in children(pattern) {
                let member = |key: &str| value.as_ref().and_then(|v| eval.property(v, key));
                out = match part.kind() {
                    "shorthand_property_identifier_pattern" => {
                        out.bind(eval.src(part), member(eval.src(part)))
                    }
                    "object_assignment_pattern" => {
                        let Some(left) = field(part, "left") else {
                            continue;
                        };
                        let found = member(eval.src(left))
                            .or_else(|| field(part, "right").map(|d| Expr::new(d, env)));
                        bind_pattern(eval, left, found, &out)
                    }
                    "pair_pattern" => {
                        let (Some(k), Some(v)) = (field(part, "key"), field(part, "value")) else {
                            continue;
                        };
                        bind_pattern(eval, v, member(key_text(k, eval.text)), &out)
                    }
                    _ => continue,
                };
            }
            out
        }
        "shorthand_property_identifier_pattern" => env.bind(eval.src(pattern), value),
        "array_pattern" => {
            let elements = value.as_ref().map(|v| eval.elements(v)).unwrap_or_default();
            let mut out = env.clone();
            for (i, part) in children(pattern).into_iter().enumerate() {
                let element = elements.get(i).and_then(|e| match e {
                    Element::Value(v) => Some(v.clone()),
                    Element::Entry(..) => None,
                });
                out = bind_pattern(eval, part, element, &out);
            }
            out
        }
        _ => env.clone(),
    }
}
