//! What one Go file declares, indexed once: imports (local name → path), functions and
//! methods, struct types with their fields' JSON names and types, and package-level
//! values.

use std::collections::HashMap;

use assay_core::Location;
use tree_sitter::Node;

use crate::inventory::common::{LocalsCache, node_location};
use crate::inventory::go::scope::{FUNCTION_KINDS, go_assignments};
use crate::inventory::go::structs::{json_name, tag_text};
use crate::lang::node_text;

/// Roots of the standard library's import paths (a path whose first segment is one of
/// these and has no dot is not part of the snapshot).
const STDLIB_ROOTS: &[&str] = &[
    "archive",
    "bufio",
    "bytes",
    "cmp",
    "compress",
    "container",
    "context",
    "crypto",
    "database",
    "debug",
    "embed",
    "encoding",
    "errors",
    "expvar",
    "flag",
    "fmt",
    "go",
    "hash",
    "html",
    "image",
    "index",
    "io",
    "iter",
    "log",
    "maps",
    "math",
    "mime",
    "net",
    "os",
    "path",
    "plugin",
    "reflect",
    "regexp",
    "runtime",
    "slices",
    "sort",
    "strconv",
    "strings",
    "sync",
    "syscall",
    "testing",
    "text",
    "time",
    "unicode",
    "unique",
    "unsafe",
    "weak",
];

/// One field of a struct type.
#[derive(Debug, Clone)]
pub(super) struct Field<'t> {
    /// The JSON name (the tool parameter name for argument structs).
    pub json: String,
    /// The declared type.
    pub ty: Option<Node<'t>>,
}

/// The file's declarations.
pub(super) struct FileIndex<'t> {
    /// The file's text.
    pub text: &'t str,
    /// The file's snapshot path.
    pub path: &'t str,
    /// The file's directory: its Go package, the module of its function summaries.
    pub dir: String,
    imports: HashMap<&'t str, &'t str>,
    functions: HashMap<&'t str, Node<'t>>,
    methods: HashMap<(&'t str, &'t str), Node<'t>>,
    structs: HashMap<&'t str, HashMap<&'t str, Field<'t>>>,
    values: HashMap<&'t str, Node<'t>>,
    locals: LocalsCache<'t>,
}

impl<'t> FileIndex<'t> {
    /// Indexes `root`, the tree of the file at `path`.
    pub(super) fn new(path: &'t str, text: &'t str, root: Node<'t>) -> Self {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let mut ix = FileIndex {
            text,
            path,
            dir,
            imports: HashMap::new(),
            functions: HashMap::new(),
            methods: HashMap::new(),
            structs: HashMap::new(),
            values: HashMap::new(),
            locals: LocalsCache::default(),
        };
        let mut cursor = root.walk();
        let top: Vec<_> = root.named_children(&mut cursor).collect();
        for node in top {
            match node.kind() {
                "import_declaration" => ix.index_imports(node),
                "function_declaration" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        ix.functions.insert(ix.text_of(name), node);
                    }
                }
                "method_declaration" => {
                    if let (Some(name), Some(ty)) =
                        (node.child_by_field_name("name"), receiver_type(&ix, node))
                    {
                        ix.methods.insert((ty, ix.text_of(name)), node);
                    }
                }
                "type_declaration" => ix.index_types(node),
                "var_declaration" | "const_declaration" => ix.index_values(node),
                _ => {}
            }
        }
        ix
    }

    fn index_imports(&mut self, node: Node<'t>) {
        for spec in descendants(node, "import_spec") {
            let Some(path) = spec.child_by_field_name("path") else {
                continue;
            };
            let path = self.text_of(path).trim_matches(['"', '`']);
            let local = match spec.child_by_field_name("name") {
                Some(name) if name.kind() == "package_identifier" => self.text_of(name),
                Some(_) => continue,
                None => import_name(path),
            };
            self.imports.insert(local, path);
        }
    }

    fn index_types(&mut self, node: Node<'t>) {
        for spec in descendants(node, "type_spec") {
            let (Some(name), Some(ty)) = (
                spec.child_by_field_name("name"),
                spec.child_by_field_name("type"),
            ) else {
                continue;
            };
            if ty.kind() != "struct_type" {
                continue;
            }
            let mut fields = HashMap::new();
            for field in descendants(ty, "field_declaration") {
                let tag = field
                    .child_by_field_name("tag")
                    .map(|t| tag_text(self.text_of(t)))
                    .unwrap_or_default();
                let ty = field.child_by_field_name("type");
                let mut cursor = field.walk();
                for name in field.children_by_field_name("name", &mut cursor) {
                    let name = self.text_of(name);
                    if let Some(json) = json_name(name, &tag) {
                        fields.insert(name, Field { json, ty });
                    }
                }
            }
            self.structs.insert(self.text_of(name), fields);
        }
    }

    fn index_values(&mut self, node: Node<'t>) {
        for spec in descendants(node, "var_spec")
            .into_iter()
            .chain(descendants(node, "const_spec"))
        {
            let Some(values) = spec.child_by_field_name("value") else {
                continue;
            };
            let mut cursor = spec.walk();
            let names: Vec<_> = spec.children_by_field_name("name", &mut cursor).collect();
            let mut cursor = values.walk();
            for (name, value) in names.into_iter().zip(values.named_children(&mut cursor)) {
                self.values.insert(self.text_of(name), value);
            }
        }
    }

    /// The source text of `node`.
    pub(super) fn text_of(&self, node: Node<'_>) -> &'t str {
        node_text(node, self.text)
    }

    /// The location of `node`.
    pub(super) fn location(&self, node: Node<'_>) -> Location {
        node_location(self.path, self.text, node)
    }

    /// The first line of `node`, trimmed and bounded (a snippet).
    pub(super) fn snippet(&self, node: Node<'_>) -> String {
        let start = node.start_byte();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line = self.text[line_start..line_end].trim();
        bounded(line, 200)
    }

    /// The import path of package `local`, if `local` names an import.
    pub(super) fn import(&self, local: &str) -> Option<&'t str> {
        self.imports.get(local).copied()
    }

    /// Whether some import path contains `needle`.
    pub(super) fn imports_containing(&self, needle: &str) -> bool {
        self.imports.values().any(|p| p.contains(needle))
    }

    /// The function named `name` declared in this file.
    pub(super) fn function(&self, name: &str) -> Option<Node<'t>> {
        self.functions.get(name).copied()
    }

    /// The method `name` of type `ty` declared in this file.
    pub(super) fn method(&self, ty: &str, name: &str) -> Option<Node<'t>> {
        self.methods.get(&(ty, name)).copied()
    }

    /// Every function and method declared at the top level, in source order.
    pub(super) fn declarations(&self) -> Vec<Node<'t>> {
        let mut all: Vec<_> = self
            .functions
            .values()
            .chain(self.methods.values())
            .copied()
            .collect();
        all.sort_by_key(|n| n.start_byte());
        all
    }

    /// The fields of struct type `name` declared in this file.
    pub(super) fn struct_fields(&self, name: &str) -> Option<&HashMap<&'t str, Field<'t>>> {
        self.structs.get(name)
    }

    /// The value of package-level `var`/`const` `name`.
    pub(super) fn value(&self, name: &str) -> Option<Node<'t>> {
        self.values.get(name).copied()
    }

    /// The value last assigned to identifier `node` before it in its function, else the
    /// package-level value of that name (each function is indexed once).
    pub(super) fn local_value(&self, node: Node<'t>) -> Option<Node<'t>> {
        let name = self.text_of(node);
        self.locals
            .before(node, name, self.text, FUNCTION_KINDS, go_assignments)
            .or_else(|| self.value(name))
    }

    /// The name a summary of `function` is published under: `F`, or `T.M` for methods.
    pub(super) fn summary_name(&self, function: Node<'t>) -> Option<String> {
        let name = self.text_of(function.child_by_field_name("name")?);
        match function.kind() {
            "method_declaration" => Some(format!("{}.{name}", receiver_type(self, function)?)),
            _ => Some(name.to_string()),
        }
    }
}

/// Whether `path` names a standard-library package.
pub(super) fn is_stdlib(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or(path);
    !first.contains('.') && STDLIB_ROOTS.contains(&first)
}

/// The package name an import path gets by default: its last segment, without a major
/// version suffix (`yaml.v3` → `yaml`, `…/v2` → the segment before).
fn import_name(path: &str) -> &str {
    let mut segments = path.rsplit('/');
    let last = segments.next().unwrap_or(path);
    let last =
        if last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit())
        {
            segments.next().unwrap_or(last)
        } else {
            last
        };
    last.split_once(".v").map_or(last, |(name, _)| name)
}

/// The receiver type name of a method (`T` for `(s *T)` and `(s T[K])`).
pub(super) fn receiver_type<'t>(ix: &FileIndex<'t>, method: Node<'t>) -> Option<&'t str> {
    let receiver = method.child_by_field_name("receiver")?;
    descendants(receiver, "type_identifier")
        .first()
        .map(|t| ix.text_of(*t))
}

/// Every descendant of `node` (itself included) of kind `kind`, in source order.
pub(super) fn descendants<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == kind {
            out.push(n);
        }
        let mut cursor = n.walk();
        let children: Vec<_> = n.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// `text` cut to at most `max` characters (with an ellipsis when cut).
pub(super) fn bounded(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_import_names_drop_version_suffixes() {
        assert_eq!(import_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(import_name("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(import_name("os/exec"), "exec");
        assert!(is_stdlib("net/http"));
        assert!(!is_stdlib("github.com/acme/srv/tools"));
        assert!(!is_stdlib("acme/internal/tools"));
    }
}
