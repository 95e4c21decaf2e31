//! Name resolution inside one Python module: module-level constants, functions and
//! classes, function-local assignments, and the bindings of an expanded loop or an
//! inlined helper call.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::inventory::bindings::Bindings;
use crate::inventory::common::LocalsCache;
use crate::lang::node_text;

/// How deep identifier chains, subscripts and string expressions are followed.
pub(super) const MAX_RESOLVE_DEPTH: usize = 16;

/// A value bound to a name by an expanded loop or an inlined call.
#[derive(Debug, Clone)]
pub(super) enum Bound<'t> {
    /// An expression (already dereferenced in the binding's own environment).
    Node(Node<'t>),
    /// A string computed in the caller's environment.
    Text(String),
}

/// Names bound while expanding a loop over a literal table or inlining a helper.
pub(super) type Env<'t> = Bindings<'t, Bound<'t>>;

/// The module's top-level names.
pub(super) struct Scope<'t> {
    /// The file's text.
    pub text: &'t str,
    constants: HashMap<&'t str, Node<'t>>,
    functions: HashMap<&'t str, Node<'t>>,
    classes: HashMap<&'t str, Node<'t>>,
    /// Local names that `from … import X as Y` binds to each imported name `X`.
    imports: HashMap<&'t str, Vec<&'t str>>,
    locals: LocalsCache<'t>,
}

impl<'t> Scope<'t> {
    /// Indexes the top-level statements of `root`.
    pub(super) fn new(text: &'t str, root: Node<'t>) -> Self {
        let mut scope = Scope {
            text,
            constants: HashMap::new(),
            functions: HashMap::new(),
            classes: HashMap::new(),
            imports: HashMap::new(),
            locals: LocalsCache::default(),
        };
        let mut cursor = root.walk();
        for stmt in root.named_children(&mut cursor) {
            scope.index_statement(stmt);
        }
        scope
    }

    fn index_statement(&mut self, stmt: Node<'t>) {
        match stmt.kind() {
            "expression_statement" => {
                if let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment")
                    && let (Some(left), Some(right)) = (
                        assign.child_by_field_name("left"),
                        assign.child_by_field_name("right"),
                    )
                    && left.kind() == "identifier"
                {
                    self.constants.insert(self.text_of(left), right);
                }
            }
            "function_definition" => {
                if let Some(name) = stmt.child_by_field_name("name") {
                    self.functions.insert(self.text_of(name), stmt);
                }
            }
            "class_definition" => {
                if let Some(name) = stmt.child_by_field_name("name") {
                    self.classes.insert(self.text_of(name), stmt);
                }
            }
            "decorated_definition" => {
                if let Some(def) = stmt.child_by_field_name("definition") {
                    self.index_statement(def);
                }
            }
            "import_from_statement" => self.index_import(stmt),
            // Definitions guarded by `if TYPE_CHECKING:` / `try:` still name things.
            "if_statement" | "try_statement" | "block" | "else_clause" | "except_clause" => {
                let mut cursor = stmt.walk();
                let children: Vec<_> = stmt.named_children(&mut cursor).collect();
                for child in children {
                    self.index_statement(child);
                }
            }
            _ => {}
        }
    }

    fn index_import(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        for name in stmt.children_by_field_name("name", &mut cursor) {
            let (imported, local) = match name.kind() {
                "aliased_import" => (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ),
                _ => (Some(name), Some(name)),
            };
            if let (Some(imported), Some(local)) = (imported, local) {
                let imported = last_segment(self.text_of(imported));
                let local = self.text_of(local);
                self.imports.entry(imported).or_default().push(local);
            }
        }
    }

    /// The source text of `node`.
    pub(super) fn text_of(&self, node: Node<'_>) -> &'t str {
        node_text(node, self.text)
    }

    /// True when `callee` (an identifier or dotted attribute) names `class`: the class's
    /// own name, an `x.Class` attribute, or a local alias from `from … import Class as Y`.
    pub(super) fn names_class(&self, callee: Node<'_>, class: &str) -> bool {
        let text = self.text_of(callee);
        if last_segment(text) == class {
            return true;
        }
        callee.kind() == "identifier"
            && self
                .imports
                .get(class)
                .is_some_and(|locals| locals.contains(&text))
    }

    /// The module-level constant named `name`.
    pub(super) fn constant(&self, name: &str) -> Option<Node<'t>> {
        self.constants.get(name).copied()
    }

    /// The value of the last `name = …` before `use_site` in its enclosing function.
    fn local(&self, use_site: Node<'t>, name: &str) -> Option<Node<'t>> {
        self.locals.before(
            use_site,
            name,
            self.text,
            &["function_definition"],
            python_assignments,
        )
    }

    /// The top-level function named `name`.
    pub(super) fn function(&self, name: &str) -> Option<Node<'t>> {
        self.functions.get(name).copied()
    }

    /// The top-level class named `name`.
    pub(super) fn class(&self, name: &str) -> Option<Node<'t>> {
        self.classes.get(name).copied()
    }

    /// Follows `node` through parentheses, names, subscripts with literal keys and
    /// attributes of literal records to the expression that defines it. Function names
    /// resolve to their `function_definition`.
    pub(super) fn deref(&self, node: Node<'t>, env: &Env<'t>) -> Bound<'t> {
        self.deref_at(node, env, 0)
    }

    fn deref_at(&self, node: Node<'t>, env: &Env<'t>, depth: usize) -> Bound<'t> {
        if depth >= MAX_RESOLVE_DEPTH {
            return Bound::Node(node);
        }
        let next = match node.kind() {
            "parenthesized_expression" => node.named_child(0),
            "identifier" => {
                let name = self.text_of(node);
                if let Some(bound) = env.get(name) {
                    return match bound {
                        Bound::Node(n) => self.deref_at(*n, &Env::default(), depth + 1),
                        Bound::Text(_) => bound.clone(),
                    };
                }
                self.local(node, name)
                    .or_else(|| self.constants.get(name).copied())
                    .or_else(|| self.functions.get(name).copied())
            }
            "subscript" => self.subscript(node, env, depth),
            "attribute" => self.record_field(node, env, depth),
            _ => None,
        };
        match next {
            Some(next) if next != node => self.deref_at(next, env, depth + 1),
            _ => Bound::Node(node),
        }
    }

    /// `table["key"]` / `table[0]` on a literal dict, list or tuple.
    fn subscript(&self, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<Node<'t>> {
        let Bound::Node(container) =
            self.deref_at(node.child_by_field_name("value")?, env, depth + 1)
        else {
            return None;
        };
        let key = node.child_by_field_name("subscript")?;
        match container.kind() {
            "dictionary" => {
                let key = self.literal_key(key, env)?;
                dict_pairs(container).find_map(|(k, v)| {
                    (self.literal_key(k, env).as_deref() == Some(key.as_str())).then_some(v)
                })
            }
            "list" | "tuple" => {
                let index: usize = self.text_of(key).parse().ok()?;
                elements(container).nth(index)
            }
            _ => None,
        }
    }

    /// `spec.name` where `spec` is a literal `Record(name=…)` call (a dataclass or
    /// named tuple declared in this file when positional).
    fn record_field(&self, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<Node<'t>> {
        let field = self.text_of(node.child_by_field_name("attribute")?);
        let object = node.child_by_field_name("object")?;
        // `Tools.DIFF` where `class Tools(str, Enum): DIFF = "git_diff"` (any class
        // attribute assigned a value in the class body).
        if object.kind() == "identifier"
            && let Some(class) = self.class(self.text_of(object))
        {
            return class_attribute(class, field, self.text);
        }
        let Bound::Node(record) = self.deref_at(object, env, depth + 1) else {
            return None;
        };
        if record.kind() != "call" {
            return None;
        }
        let args = record.child_by_field_name("arguments")?;
        if let Some(value) = keyword_argument(args, field, self.text) {
            return Some(value);
        }
        let class_name = self.text_of(record.child_by_field_name("function")?);
        let index =
            class_fields(self.class(class_name)?, self.text).position(|(name, _)| name == field)?;
        positional_arguments(args).nth(index)
    }

    /// A dict key or subscript as a plain string (string literals and numbers).
    fn literal_key(&self, node: Node<'t>, env: &Env<'t>) -> Option<String> {
        match node.kind() {
            "integer" => Some(self.text_of(node).to_string()),
            _ => super::strings::resolve(self, node, env),
        }
    }
}

/// The last dotted segment of `text` (`types.Tool` → `Tool`).
pub(super) fn last_segment(text: &str) -> &str {
    text.rsplit('.').next().unwrap_or(text).trim()
}

/// `name = value` pairs a node assigns.
fn python_assignments(node: Node<'_>) -> Vec<(Node<'_>, Node<'_>)> {
    if node.kind() != "assignment" {
        return Vec::new();
    }
    match (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) {
        (Some(left), Some(right)) if left.kind() == "identifier" => vec![(left, right)],
        _ => Vec::new(),
    }
}

/// The `(key, value)` pairs of a dict literal.
pub(super) fn dict_pairs<'t>(dict: Node<'t>) -> impl Iterator<Item = (Node<'t>, Node<'t>)> {
    let mut cursor = dict.walk();
    let pairs: Vec<_> = dict
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "pair")
        .filter_map(|p| {
            Some((
                p.child_by_field_name("key")?,
                p.child_by_field_name("value")?,
            ))
        })
        .collect();
    pairs.into_iter()
}

/// The elements of a list, tuple or set literal (comments skipped).
pub(super) fn elements<'t>(container: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = container.walk();
    let items: Vec<_> = container
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    items.into_iter()
}

/// The value of keyword argument `name` in an `argument_list`.
pub(super) fn keyword_argument<'t>(args: Node<'t>, name: &str, text: &str) -> Option<Node<'t>> {
    let mut cursor = args.walk();
    let found = args
        .named_children(&mut cursor)
        .filter(|a| a.kind() == "keyword_argument")
        .find(|a| {
            a.child_by_field_name("name")
                .is_some_and(|n| node_text(n, text) == name)
        })?;
    found.child_by_field_name("value")
}

/// The positional arguments of an `argument_list`.
pub(super) fn positional_arguments<'t>(args: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = args.walk();
    let items: Vec<_> = args
        .named_children(&mut cursor)
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat" | "comment"
            )
        })
        .collect();
    items.into_iter()
}

/// The value assigned to `name` in `class`'s body (`NAME = value` or `NAME: T = value`).
fn class_attribute<'t>(class: Node<'t>, name: &str, text: &'t str) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter_map(|stmt| stmt.named_child(0).filter(|n| n.kind() == "assignment"))
        .find(|assign| {
            assign
                .child_by_field_name("left")
                .is_some_and(|left| left.kind() == "identifier" && node_text(left, text) == name)
        })
        .and_then(|assign| assign.child_by_field_name("right"))
}

/// The annotated fields of a class body (`name: T = default`), in order — the shape of
/// dataclasses, named tuples and pydantic models.
pub(super) fn class_fields<'t>(
    class: Node<'t>,
    text: &'t str,
) -> impl Iterator<Item = (&'t str, Node<'t>)> {
    let mut fields = Vec::new();
    if let Some(body) = class.child_by_field_name("body") {
        let mut cursor = body.walk();
        for stmt in body.named_children(&mut cursor) {
            if let Some(assign) = stmt.named_child(0).filter(|n| n.kind() == "assignment")
                && assign.child_by_field_name("type").is_some()
                && let Some(left) = assign.child_by_field_name("left")
                && left.kind() == "identifier"
            {
                fields.push((node_text(left, text), assign));
            }
        }
    }
    fields.into_iter()
}
