//! Small helpers over the JS/TS syntax tree used by the taint walk.

use std::cell::RefCell;

use tree_sitter::Node;

use crate::lang::Language;

/// The grammar field ids looked up so far: (field name address, id).
type FieldIds = (Option<Language>, Vec<(usize, Option<u16>)>);

thread_local! {
    /// Field ids of the grammar being walked, by the address of the (literal) field name:
    /// looking a field up by name compares strings against every field of the grammar.
    static FIELD_IDS: RefCell<FieldIds> = const { RefCell::new((None, Vec::new())) };
}

/// Selects the grammar whose field ids [`field`] caches (call before walking a tree).
pub(super) fn use_language(language: Language) {
    FIELD_IDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.0 != Some(language) {
            *cache = (Some(language), Vec::new());
        }
    });
}

/// The child of `node` in field `name` (a string literal).
pub(super) fn field<'t>(node: Node<'t>, name: &'static str) -> Option<Node<'t>> {
    let key = name.as_ptr() as usize;
    let id = FIELD_IDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, id)) = cache.1.iter().find(|(k, _)| *k == key) {
            return *id;
        }
        let id = node.language().field_id_for_name(name).map(|id| id.get());
        cache.1.push((key, id));
        id
    })?;
    node.child_by_field_id(id)
}

/// The source text of `node`.
pub(super) fn text_of<'a>(node: Node<'_>, text: &'a str) -> &'a str {
    text.get(node.byte_range()).unwrap_or("")
}

/// Named children of `node`, comments (extras) left out.
pub(super) fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::with_capacity(node.child_count());
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            if child.is_named() && !child.is_extra() {
                out.push(child);
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    out
}

/// Calls `visit` on every node under `root` (itself included) in document order,
/// stopping after `budget` nodes; `visit` returns false to skip a node's children.
pub(super) fn walk_tree<'t>(
    root: Node<'t>,
    budget: usize,
    mut visit: impl FnMut(Node<'t>) -> bool,
) {
    let mut cursor = root.walk();
    let mut visited = 0;
    loop {
        visited += 1;
        if visited > budget {
            return;
        }
        let descend = visit(cursor.node());
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The arguments of a call or `new` expression (empty for tagged templates).
pub(super) fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    match field(call, "arguments") {
        Some(args) if args.kind() == "arguments" => children(args),
        _ => Vec::new(),
    }
}

/// Strips wrappers that do not change a value: parentheses, TypeScript casts and
/// non-null assertions, `await`, and the `(0, f)` call idiom of compiled code.
pub(super) fn unwrap(node: Node<'_>) -> Node<'_> {
    let mut node = node;
    loop {
        let inner = match node.kind() {
            "parenthesized_expression" | "sequence_expression" => children(node).last().copied(),
            "as_expression" | "satisfies_expression" | "non_null_expression" | "type_assertion" => {
                children(node).first().copied()
            }
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return node,
        }
    }
}

/// True for nodes that are functions.
pub(super) fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "arrow_function"
            | "function_expression"
            | "function"
            | "function_declaration"
            | "generator_function"
            | "generator_function_declaration"
            | "method_definition"
    )
}

/// The parameter nodes of a function, in order (a lone arrow parameter included).
pub(super) fn parameters(function: Node<'_>) -> Vec<Node<'_>> {
    if let Some(single) = field(function, "parameter") {
        return vec![single];
    }
    field(function, "parameters").map_or_else(Vec::new, children)
}

/// The binding pattern of a parameter node: the identifier or destructuring pattern,
/// without a TypeScript annotation or default value.
pub(super) fn parameter_pattern(param: Node<'_>) -> Node<'_> {
    let pattern = match param.kind() {
        "required_parameter" | "optional_parameter" => field(param, "pattern").unwrap_or(param),
        _ => param,
    };
    match pattern.kind() {
        "assignment_pattern" => field(pattern, "left").unwrap_or(pattern),
        _ => pattern,
    }
}

/// The text of a property key: `name`, `"name"`, `'name'`.
pub(super) fn key_text<'a>(key: Node<'_>, text: &'a str) -> &'a str {
    let raw = text_of(key, text);
    if key.kind() == "string" {
        strip_quotes(raw)
    } else {
        raw
    }
}

/// The contents of a quoted literal, quotes removed (escapes are kept as written; the
/// literals this module compares are module names, keys and short command words).
pub(super) fn strip_quotes(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    if bytes.len() >= 2
        && matches!(bytes[0], b'"' | b'\'' | b'`')
        && bytes[bytes.len() - 1] == bytes[0]
    {
        &raw[1..raw.len() - 1]
    } else {
        raw
    }
}

/// The value of a plain string literal (or a template literal without substitutions).
pub(super) fn string_value<'a>(node: Node<'_>, text: &'a str) -> Option<&'a str> {
    let node = unwrap(node);
    match node.kind() {
        "string" => Some(strip_quotes(text_of(node, text))),
        "template_string"
            if !children(node)
                .iter()
                .any(|c| c.kind() == "template_substitution") =>
        {
            Some(strip_quotes(text_of(node, text)))
        }
        _ => None,
    }
}

/// The property name of a member expression (`b` of `a.b`, `a?.b`, `a["b"]`).
pub(super) fn member_property<'a>(node: Node<'_>, text: &'a str) -> Option<&'a str> {
    match node.kind() {
        "member_expression" => field(node, "property").map(|p| text_of(p, text)),
        "subscript_expression" => field(node, "index").and_then(|i| string_value(i, text)),
        _ => None,
    }
}

/// True when every path through a function body ends in a `throw` (a helper such as
/// `function abort(msg) { throw new Error(msg) }`): calling it leaves the caller's branch.
pub(super) fn always_throws(statement: Node<'_>) -> bool {
    match statement.kind() {
        "throw_statement" => true,
        "statement_block" => children(statement)
            .last()
            .is_some_and(|s| always_throws(*s)),
        "if_statement" => {
            let consequence = field(statement, "consequence");
            let alternative =
                field(statement, "alternative").and_then(|a| children(a).first().copied());
            consequence.is_some_and(always_throws) && alternative.is_some_and(always_throws)
        }
        _ => false,
    }
}

/// True when every path through `statement` leaves the enclosing block (return, throw,
/// break, continue), so the code after an `if` with this consequence only runs when the
/// condition was false.
pub(super) fn always_exits(statement: Node<'_>) -> bool {
    match statement.kind() {
        "return_statement" | "throw_statement" | "break_statement" | "continue_statement" => true,
        "statement_block" => children(statement).last().is_some_and(|s| always_exits(*s)),
        "if_statement" => {
            let consequence = field(statement, "consequence");
            let alternative =
                field(statement, "alternative").and_then(|a| children(a).first().copied());
            consequence.is_some_and(always_exits) && alternative.is_some_and(always_exits)
        }
        _ => false,
    }
}
