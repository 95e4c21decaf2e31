//! Name resolution inside one Go file: package-level `const`/`var`, struct types,
//! functions and methods, function-local variables, imported package names, and the
//! rows bound by an expanded `range` loop.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::inventory::bindings::Bindings;
use crate::inventory::common::LocalsCache;
use crate::lang::node_text;

/// How deep identifier chains and string expressions are followed.
pub(super) const MAX_RESOLVE_DEPTH: usize = 16;

/// What a name is bound to while expanding a `range` loop over a literal slice.
#[derive(Debug, Clone, Copy)]
pub(super) enum Bound<'t> {
    /// An expression.
    Node(Node<'t>),
    /// One row of a table: a `literal_value`, with the struct fields that give its
    /// positional elements their names.
    Row {
        value: Node<'t>,
        fields: Option<Node<'t>>,
    },
}

/// Loop bindings.
pub(super) type Env<'t> = Bindings<'t, Bound<'t>>;

/// The file's declarations.
pub(super) struct Scope<'t> {
    /// The file's text.
    pub text: &'t str,
    values: HashMap<&'t str, Node<'t>>,
    structs: HashMap<&'t str, Node<'t>>,
    functions: HashMap<&'t str, Node<'t>>,
    methods: HashMap<&'t str, Node<'t>>,
    /// Local package names of imports whose path mentions MCP, with their paths.
    mcp_imports: HashMap<&'t str, &'t str>,
    locals: LocalsCache<'t>,
}

impl<'t> Scope<'t> {
    /// Indexes the declarations of `root`.
    pub(super) fn new(text: &'t str, root: Node<'t>) -> Self {
        let mut scope = Scope {
            text,
            values: HashMap::new(),
            structs: HashMap::new(),
            functions: HashMap::new(),
            methods: HashMap::new(),
            mcp_imports: HashMap::new(),
            locals: LocalsCache::default(),
        };
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "import_spec" => scope.index_import(node),
                "const_spec" | "var_spec" if is_package_level(node) => scope.index_value(node),
                "type_spec" => {
                    if let (Some(name), Some(ty)) = (
                        node.child_by_field_name("name"),
                        node.child_by_field_name("type"),
                    ) && ty.kind() == "struct_type"
                    {
                        scope.structs.entry(scope.text_of(name)).or_insert(ty);
                    }
                }
                "function_declaration" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        scope.functions.insert(scope.text_of(name), node);
                    }
                }
                "method_declaration" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        scope.methods.entry(scope.text_of(name)).or_insert(node);
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        scope
    }

    fn index_import(&mut self, spec: Node<'t>) {
        let Some(path) = spec.child_by_field_name("path") else {
            return;
        };
        let path = self.text_of(path).trim_matches(['"', '`']);
        if !path.to_ascii_lowercase().contains("mcp") {
            return;
        }
        let local = match spec.child_by_field_name("name") {
            Some(name) if name.kind() == "package_identifier" => self.text_of(name),
            Some(_) => return,
            None => path.rsplit('/').next().unwrap_or(path),
        };
        self.mcp_imports.insert(local, path);
    }

    fn index_value(&mut self, spec: Node<'t>) {
        let mut cursor = spec.walk();
        let names: Vec<_> = spec.children_by_field_name("name", &mut cursor).collect();
        let Some(values) = spec.child_by_field_name("value") else {
            return;
        };
        let mut cursor = values.walk();
        let values: Vec<_> = values.named_children(&mut cursor).collect();
        for (name, value) in names.into_iter().zip(values) {
            self.values.insert(self.text_of(name), value);
        }
    }

    /// The source text of `node`.
    pub(super) fn text_of(&self, node: Node<'_>) -> &'t str {
        node_text(node, self.text)
    }

    /// The import path of the MCP package named `local` here.
    pub(super) fn mcp_import(&self, local: &str) -> Option<&'t str> {
        self.mcp_imports.get(local).copied()
    }

    /// The value last given to `name` before `use_site` in its enclosing function.
    fn local(&self, use_site: Node<'t>, name: &str) -> Option<Node<'t>> {
        self.locals
            .before(use_site, name, self.text, FUNCTION_KINDS, go_assignments)
    }

    /// The struct type named `name` (declared anywhere in the file).
    pub(super) fn struct_type(&self, name: &str) -> Option<Node<'t>> {
        self.structs.get(name).copied()
    }

    /// The function or method named `name`.
    pub(super) fn function(&self, name: &str) -> Option<Node<'t>> {
        self.functions.get(name).copied()
    }

    /// The method named `name` (any receiver).
    pub(super) fn method(&self, name: &str) -> Option<Node<'t>> {
        self.methods.get(name).copied()
    }

    /// Follows parentheses, `&x`, identifiers (loop bindings, locals, package values)
    /// and fields of table rows to the defining expression.
    pub(super) fn deref(&self, node: Node<'t>, env: &Env<'t>) -> Bound<'t> {
        let mut node = node;
        for _ in 0..MAX_RESOLVE_DEPTH {
            let next = match node.kind() {
                "parenthesized_expression" | "literal_element" => node.named_child(0),
                "unary_expression" => node
                    .child_by_field_name("operand")
                    .filter(|_| self.text_of(node).starts_with('&')),
                "identifier" => {
                    let name = self.text_of(node);
                    if let Some(&bound) = env.get(name) {
                        return match bound {
                            Bound::Node(n) => self.deref(n, &Env::default()),
                            row => row,
                        };
                    }
                    self.local(node, name)
                        .or_else(|| self.values.get(name).copied())
                }
                "selector_expression" => self.row_field(node, env),
                _ => None,
            };
            match next {
                Some(next) if next != node => node = next,
                _ => break,
            }
        }
        Bound::Node(node)
    }

    /// `row.Field` where `row` is bound to a table row.
    fn row_field(&self, selector: Node<'t>, env: &Env<'t>) -> Option<Node<'t>> {
        let operand = selector.child_by_field_name("operand")?;
        let field = self.text_of(selector.child_by_field_name("field")?);
        let Bound::Row { value, fields } = self.deref(operand, env) else {
            return None;
        };
        literal_field(self, value, fields, field)
    }
}

/// Field `field` of a struct `literal_value`: keyed, or positional by the order of
/// `fields` (a `struct_type`).
pub(super) fn literal_field<'t>(
    scope: &Scope<'t>,
    value: Node<'t>,
    fields: Option<Node<'t>>,
    field: &str,
) -> Option<Node<'t>> {
    let mut cursor = value.walk();
    let elements: Vec<_> = value
        .named_children(&mut cursor)
        .filter(|e| e.kind() != "comment")
        .collect();
    if let Some(keyed) = elements.iter().find(|e| {
        e.kind() == "keyed_element"
            && e.child_by_field_name("key")
                .is_some_and(|k| scope.text_of(k) == field)
    }) {
        return keyed.child_by_field_name("value");
    }
    let index = struct_field_names(scope, fields?).position(|n| n == field)?;
    elements
        .get(index)
        .filter(|e| e.kind() == "literal_element")
        .copied()
}

/// Field names of a `struct_type`, in declaration order.
pub(super) fn struct_field_names<'t>(
    scope: &Scope<'t>,
    struct_type: Node<'t>,
) -> impl Iterator<Item = &'t str> {
    let mut names = Vec::new();
    let mut stack = vec![struct_type];
    while let Some(node) = stack.pop() {
        if node.kind() == "field_declaration" {
            let mut cursor = node.walk();
            names.extend(
                node.children_by_field_name("name", &mut cursor)
                    .map(|n| scope.text_of(n)),
            );
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    names.into_iter()
}

fn is_package_level(spec: Node<'_>) -> bool {
    let mut parent = spec.parent();
    while let Some(p) = parent {
        match p.kind() {
            "source_file" => return true,
            "block" | "function_declaration" | "method_declaration" | "func_literal" => {
                return false;
            }
            _ => parent = p.parent(),
        }
    }
    false
}

/// Node kinds that open a function body (declarations, methods and literals).
pub(crate) const FUNCTION_KINDS: &[&str] =
    &["function_declaration", "method_declaration", "func_literal"];

/// `(name, value)` pairs of `x := …`, `x = …` and `var x = …`.
pub(crate) fn go_assignments(node: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    let (names, values): (Vec<Node<'_>>, Node<'_>) = match node.kind() {
        "short_var_declaration" | "assignment_statement" => {
            let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return Vec::new();
            };
            let mut cursor = left.walk();
            (left.named_children(&mut cursor).collect(), right)
        }
        "var_spec" => {
            let Some(values) = node.child_by_field_name("value") else {
                return Vec::new();
            };
            let mut cursor = node.walk();
            (
                node.children_by_field_name("name", &mut cursor).collect(),
                values,
            )
        }
        _ => return Vec::new(),
    };
    let mut cursor = values.walk();
    names
        .into_iter()
        .zip(values.named_children(&mut cursor))
        .filter(|(name, _)| name.kind() == "identifier")
        .collect()
}

/// The arguments of a call's `argument_list`.
pub(super) fn arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .collect()
}
