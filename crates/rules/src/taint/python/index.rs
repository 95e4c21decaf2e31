//! The file's functions (module-level, methods and nested), its imports and its
//! constants, indexed once per file.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::imports::{Imports, module_of_file};
use crate::inventory::python::StaticModule;
use crate::lang::node_text;

/// Statements that may hold definitions in their blocks.
const CONTAINERS: &[&str] = &[
    "function_definition",
    "class_definition",
    "if_statement",
    "elif_clause",
    "else_clause",
    "for_statement",
    "while_statement",
    "try_statement",
    "except_clause",
    "except_group_clause",
    "finally_clause",
    "with_statement",
    "match_statement",
    "case_clause",
];

/// Functions indexed per file; the rest of a generated file is not analysed.
const MAX_FUNCTIONS: usize = 4_000;

/// A parameter of a function.
#[derive(Debug, Clone, Copy)]
pub(super) struct Param<'t> {
    /// Its name.
    pub name: &'t str,
    /// The parameter node (for locations).
    pub node: Node<'t>,
    /// Annotated with a `…Context` type: injected by the framework, not caller data.
    pub injected: bool,
    /// `*args`: takes every remaining positional argument.
    pub variadic: bool,
}

/// A function definition.
#[derive(Debug)]
pub(super) struct Function<'t> {
    /// The `function_definition` node.
    pub node: Node<'t>,
    /// Its name.
    pub name: &'t str,
    /// The class it is a method of.
    pub class: Option<&'t str>,
    /// Parameters, `self`/`cls` of methods left out (indices match call arguments).
    pub params: Vec<Param<'t>>,
    /// Module-level function or method of a module-level class: callable from other files.
    pub exported: bool,
}

impl Function<'_> {
    /// The name other modules call it by (`run`, `Runner.run`).
    pub(super) fn qualified_name(&self) -> String {
        match self.class {
            Some(class) => format!("{class}.{}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// Everything indexed about one file.
pub(super) struct FileIndex<'t> {
    /// Snapshot path.
    pub path: &'t str,
    /// The text.
    pub text: &'t str,
    /// The module path other files import it by.
    pub module: String,
    /// Constants and static strings.
    pub statics: StaticModule<'t>,
    /// Imports.
    pub imports: Imports<'t>,
    /// Every function, in source order.
    pub functions: Vec<Function<'t>>,
    by_name: HashMap<&'t str, Vec<usize>>,
    methods: HashMap<(&'t str, &'t str), usize>,
    classes: HashSet<&'t str>,
    constants: HashSet<&'t str>,
}

impl<'t> FileIndex<'t> {
    /// Indexes the module rooted at `root`.
    pub(super) fn new(path: &'t str, text: &'t str, root: Node<'t>) -> Self {
        let mut index = FileIndex {
            path,
            text,
            module: module_of_file(path),
            statics: StaticModule::new(text, root),
            imports: Imports::new(text, root),
            functions: Vec::new(),
            by_name: HashMap::new(),
            methods: HashMap::new(),
            classes: HashSet::new(),
            constants: HashSet::new(),
        };
        index.collect(root);
        index
    }

    fn collect(&mut self, root: Node<'t>) {
        // (node, enclosing class, module level)
        let mut stack = vec![(root, None, true)];
        while let Some((node, class, top)) = stack.pop() {
            if self.functions.len() >= MAX_FUNCTIONS {
                break;
            }
            let (child_class, child_top) = match node.kind() {
                "function_definition" => {
                    self.add_function(node, class, top);
                    (None, false)
                }
                "class_definition" => {
                    let name = node.child_by_field_name("name").map(|n| self.text_of(n));
                    if let Some(name) = name.filter(|_| top) {
                        self.classes.insert(name);
                    }
                    (name, top)
                }
                "block" | "decorated_definition" | "module" => (class, top),
                "expression_statement" => {
                    if top {
                        self.index_constant(node);
                    }
                    continue;
                }
                kind if CONTAINERS.contains(&kind) => (None, top),
                // Definitions only sit in statements, never in expressions.
                _ => continue,
            };
            let mut cursor = node.walk();
            let children: Vec<_> = node.named_children(&mut cursor).collect();
            for child in children.into_iter().rev() {
                stack.push((child, child_class, child_top));
            }
        }
        self.functions.sort_by_key(|f| f.node.start_byte());
        for (i, function) in self.functions.iter().enumerate() {
            self.by_name.entry(function.name).or_default().push(i);
            if let Some(class) = function.class {
                self.methods.insert((class, function.name), i);
            }
        }
        for list in self.by_name.values_mut() {
            let functions = &self.functions;
            list.sort_by_key(|&i| (!functions[i].exported, functions[i].class.is_some(), i));
        }
    }

    /// `NAME = …` at module level.
    fn index_constant(&mut self, statement: Node<'t>) {
        if let Some(assign) = statement
            .named_child(0)
            .filter(|n| n.kind() == "assignment")
            && let Some(left) = assign
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")
        {
            self.constants.insert(self.text_of(left));
        }
    }

    fn add_function(&mut self, node: Node<'t>, class: Option<&'t str>, top: bool) {
        let Some(name) = node.child_by_field_name("name").map(|n| self.text_of(n)) else {
            return;
        };
        let params = self.params(node, class.is_some());
        self.functions.push(Function {
            node,
            name,
            class,
            params,
            exported: top,
        });
    }

    fn params(&self, function: Node<'t>, method: bool) -> Vec<Param<'t>> {
        let Some(list) = function.child_by_field_name("parameters") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut cursor = list.walk();
        for (position, param) in list.named_children(&mut cursor).enumerate() {
            let splat = |n: Node<'t>| match n.kind() {
                "identifier" => Some(n),
                "list_splat_pattern" => n.named_child(0).filter(|i| i.kind() == "identifier"),
                _ => None,
            };
            let (name, annotation) = match param.kind() {
                "identifier" => (Some(param), None),
                "list_splat_pattern" => (splat(param), None),
                "typed_parameter" => (
                    param.named_child(0).and_then(splat),
                    param.child_by_field_name("type"),
                ),
                "default_parameter" | "typed_default_parameter" => (
                    param.child_by_field_name("name"),
                    param.child_by_field_name("type"),
                ),
                _ => continue,
            };
            let Some(name) = name.map(|n| self.text_of(n)) else {
                continue;
            };
            if method && position == 0 && matches!(name, "self" | "cls") {
                continue;
            }
            let injected = annotation.is_some_and(|a| {
                let text = self.text_of(a);
                text.rsplit('.').next().unwrap_or(text).contains("Context")
            });
            let variadic = param.kind() == "list_splat_pattern"
                || param
                    .named_child(0)
                    .is_some_and(|n| n.kind() == "list_splat_pattern");
            out.push(Param {
                name,
                node: param,
                injected,
                variadic,
            });
        }
        out
    }

    /// The source text of `node`.
    pub(super) fn text_of(&self, node: Node<'_>) -> &'t str {
        node_text(node, self.text)
    }

    /// The function named `name` (module-level first).
    pub(super) fn function_named(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).and_then(|l| l.first()).copied()
    }

    /// Method `name` of class `class` of this file.
    pub(super) fn method(&self, class: &str, name: &str) -> Option<usize> {
        self.methods.get(&(class, name)).copied()
    }

    /// Whether `name` is a module-level class of this file.
    pub(super) fn is_class(&self, name: &str) -> bool {
        self.classes.contains(name)
    }

    /// Whether `name` is assigned at module level.
    pub(super) fn is_constant(&self, name: &str) -> bool {
        self.constants.contains(name)
    }

    /// The static string `node` stands for, when it is a literal without interpolation
    /// (followed through constants and local assignments).
    pub(super) fn const_str(&self, node: Node<'t>) -> Option<String> {
        let value = self.statics.value(node);
        let literal = match value.kind() {
            "string" => !has_interpolation(value),
            "concatenated_string" => {
                let mut cursor = value.walk();
                value
                    .named_children(&mut cursor)
                    .all(|s| !has_interpolation(s))
            }
            _ => false,
        };
        literal.then(|| self.statics.string(value)).flatten()
    }
}

/// Whether an f-string has `{…}` parts.
pub(super) fn has_interpolation(string: Node<'_>) -> bool {
    let mut cursor = string.walk();
    string
        .named_children(&mut cursor)
        .any(|c| c.kind() == "interpolation")
}
