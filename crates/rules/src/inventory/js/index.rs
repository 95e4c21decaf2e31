//! One pass over a JS/TS syntax tree that records everything the extractor looks up later:
//! variable declarations (with the block they are visible in), call sites of named
//! functions (for wrapper helpers), candidate SDK calls and `new` expressions.
//!
//! Collecting this once per file keeps extraction linear in the file size: resolving an
//! identifier is a hash lookup, never a new walk of the tree.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::syntax::{callee_method, field, text_of};

/// Method names whose calls may declare part of the MCP surface.
pub(super) const SDK_METHODS: &[&str] = &[
    "tool",
    "registerTool",
    "prompt",
    "registerPrompt",
    "resource",
    "registerResource",
    "addTool",
    "addPrompt",
    "addResource",
    "addResourceTemplate",
    "setRequestHandler",
];

/// What a declared name stands for.
#[derive(Clone, Copy)]
pub(super) enum DeclValue<'a> {
    /// `const name = value` or `function name() {}` (the value is the function node).
    Node(Node<'a>),
    /// `const { key: name } = source` (and the shorthand `{ name }`, `{ name = d }`).
    Property {
        /// The destructured expression.
        source: Node<'a>,
        /// The property read from it.
        key: &'a str,
        /// The default value, if any.
        default: Option<Node<'a>>,
    },
    /// `const [a, name] = source`.
    Element {
        /// The destructured expression.
        source: Node<'a>,
        /// Position in the array.
        index: usize,
    },
}

/// One declaration of a name.
#[derive(Clone, Copy)]
struct Decl<'a> {
    value: DeclValue<'a>,
    /// Byte range of the block the declaration is visible in.
    scope: (usize, usize),
    /// Where the declaration starts.
    start: usize,
}

/// How a function is called at a call site.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum CalleeForm {
    /// `name(…)`.
    Plain,
    /// `this.name(…)`.
    ThisMethod,
}

/// The declarations of one name: file-level ones, and nested ones sorted by the start
/// of their block (innermost blocks last among those containing a position).
#[derive(Default)]
struct Declarations<'a> {
    top: Vec<Decl<'a>>,
    nested: Vec<Decl<'a>>,
}

/// How many nested declarations of a name are examined before falling back to the
/// file-level ones (minified bundles reuse one-letter names thousands of times).
const MAX_NESTED_SCAN: usize = 256;

/// Everything the extractor needs to know about one file, collected in one walk.
pub(super) struct FileIndex<'a> {
    decls: HashMap<&'a str, Declarations<'a>>,
    file_scope: (usize, usize),
    call_sites: HashMap<&'a str, Vec<(CalleeForm, Node<'a>)>>,
    /// Calls of a method in [`SDK_METHODS`], in document order.
    pub sdk_calls: Vec<Node<'a>>,
    /// `new X(…)` expressions with arguments, in document order.
    pub constructions: Vec<Node<'a>>,
}

/// What the index does with a node kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Ignore,
    /// Opens a block scope for declarations.
    Scope,
    Declarator,
    FunctionDeclaration,
    Call,
    New,
}

/// The role of every node kind of a grammar, indexed by kind id, so the walk compares
/// small integers instead of kind names (aliased kinds share a name, not an id).
fn roles(language: &tree_sitter::Language) -> Vec<Role> {
    (0..language.node_kind_count())
        .map(|id| {
            let id = u16::try_from(id).unwrap_or(u16::MAX);
            match language.node_kind_for_id(id).unwrap_or("") {
                "statement_block" | "class_body" | "switch_body" | "for_statement"
                | "for_in_statement" | "arrow_function" => Role::Scope,
                "variable_declarator" => Role::Declarator,
                "function_declaration" | "generator_function_declaration" => {
                    Role::FunctionDeclaration
                }
                "call_expression" => Role::Call,
                "new_expression" => Role::New,
                _ => Role::Ignore,
            }
        })
        .collect()
}

impl<'a> FileIndex<'a> {
    /// Walks `tree` (of `text`) once.
    pub fn build(tree: &'a Tree, text: &'a str) -> Self {
        let mut index = FileIndex {
            decls: HashMap::new(),
            file_scope: (0, text.len()),
            call_sites: HashMap::new(),
            sdk_calls: Vec::new(),
            constructions: Vec::new(),
        };
        let roles = roles(&tree.language());
        let mut scopes: Vec<(usize, usize)> = vec![index.file_scope];
        let mut cursor = tree.root_node().walk();
        loop {
            let node = cursor.node();
            let role = roles
                .get(usize::from(node.kind_id()))
                .copied()
                .unwrap_or(Role::Ignore);
            if role != Role::Ignore {
                while scopes.len() > 1 && scopes.last().is_some_and(|s| s.1 <= node.start_byte()) {
                    scopes.pop();
                }
                let scope = *scopes.last().unwrap_or(&index.file_scope);
                match role {
                    Role::Scope => scopes.push((node.start_byte(), node.end_byte())),
                    Role::Declarator => index.visit_declarator(node, scope, text),
                    Role::FunctionDeclaration => {
                        if let Some(name) = field(node, "name") {
                            index.declare(text_of(name, text), DeclValue::Node(node), scope, node);
                        }
                    }
                    Role::Call => index.visit_call(node, text),
                    Role::New => {
                        if field(node, "arguments").is_some_and(|a| a.named_child_count() > 0) {
                            index.constructions.push(node);
                        }
                    }
                    Role::Ignore => {}
                }
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    for names in index.decls.values_mut() {
                        names
                            .nested
                            .sort_by_key(|d| (d.scope.0, std::cmp::Reverse(d.scope.1), d.start));
                    }
                    return index;
                }
            }
        }
    }

    fn visit_declarator(&mut self, node: Node<'a>, scope: (usize, usize), text: &'a str) {
        if let (Some(name), Some(value)) = (field(node, "name"), field(node, "value")) {
            self.declare_pattern(name, value, scope, text);
        }
    }

    fn visit_call(&mut self, node: Node<'a>, text: &'a str) {
        let Some(callee) = field(node, "function") else {
            return;
        };
        match callee.kind() {
            "identifier" => self
                .call_sites
                .entry(text_of(callee, text))
                .or_default()
                .push((CalleeForm::Plain, node)),
            "member_expression" => {
                let Some((object, method)) = callee_method(callee, text) else {
                    return;
                };
                if object.kind() == "this" {
                    self.call_sites
                        .entry(method)
                        .or_default()
                        .push((CalleeForm::ThisMethod, node));
                }
                if SDK_METHODS.contains(&method) {
                    self.sdk_calls.push(node);
                }
            }
            _ => {}
        }
    }

    /// Records the names bound by the declaration pattern `pattern = value`.
    fn declare_pattern(
        &mut self,
        pattern: Node<'a>,
        value: Node<'a>,
        scope: (usize, usize),
        text: &'a str,
    ) {
        match pattern.kind() {
            "identifier" => self.declare(
                text_of(pattern, text),
                DeclValue::Node(value),
                scope,
                pattern,
            ),
            "object_pattern" => {
                let mut cursor = pattern.walk();
                for part in pattern.named_children(&mut cursor) {
                    let (name, key, default) = match part.kind() {
                        "shorthand_property_identifier_pattern" => {
                            (part, text_of(part, text), None)
                        }
                        "object_assignment_pattern" => {
                            let Some(left) = field(part, "left") else {
                                continue;
                            };
                            if left.kind() != "shorthand_property_identifier_pattern" {
                                continue;
                            }
                            (left, text_of(left, text), field(part, "right"))
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(v)) = (field(part, "key"), field(part, "value"))
                            else {
                                continue;
                            };
                            if v.kind() != "identifier" {
                                continue;
                            }
                            (v, super::syntax::key_text(k, text), None)
                        }
                        _ => continue,
                    };
                    let value = DeclValue::Property {
                        source: value,
                        key,
                        default,
                    };
                    self.declare(text_of(name, text), value, scope, name);
                }
            }
            "array_pattern" => {
                let mut cursor = pattern.walk();
                for (position, part) in pattern.named_children(&mut cursor).enumerate() {
                    if part.kind() == "identifier" {
                        let value = DeclValue::Element {
                            source: value,
                            index: position,
                        };
                        self.declare(text_of(part, text), value, scope, part);
                    }
                }
            }
            _ => {}
        }
    }

    fn declare(
        &mut self,
        name: &'a str,
        value: DeclValue<'a>,
        scope: (usize, usize),
        at: Node<'a>,
    ) {
        let decl = Decl {
            value,
            scope,
            start: at.start_byte(),
        };
        let names = self.decls.entry(name).or_default();
        if scope == self.file_scope {
            names.top.push(decl);
        } else {
            names.nested.push(decl);
        }
    }

    /// The declaration of `name` visible at byte `position`: the one in the innermost
    /// block containing `position`, preferring the last one declared before it.
    pub fn lookup(&self, name: &str, position: usize) -> Option<DeclValue<'a>> {
        let names = self.decls.get(name)?;
        let before = names.nested.partition_point(|d| d.scope.0 <= position);
        let innermost = names.nested[..before]
            .iter()
            .rev()
            .take(MAX_NESTED_SCAN)
            .find(|d| position < d.scope.1)
            .map(|d| d.scope);
        let group: Vec<&Decl<'a>> = match innermost {
            Some(scope) => names.nested[..before]
                .iter()
                .rev()
                .take(MAX_NESTED_SCAN * 4)
                .take_while(|d| d.scope.0 >= scope.0)
                .filter(|d| d.scope == scope)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect(),
            None => names.top.iter().collect(),
        };
        group
            .iter()
            .rev()
            .find(|d| d.start <= position)
            .or_else(|| group.first())
            .map(|d| d.value)
    }

    /// Calls of the function `name` written in `form`.
    pub fn call_sites(&self, name: &str, form: CalleeForm) -> impl Iterator<Item = Node<'a>> + '_ {
        self.call_sites
            .get(name)
            .into_iter()
            .flatten()
            .filter(move |(f, _)| *f == form)
            .map(|&(_, node)| node)
    }
}
