//! Imports: local names to dotted names (`sp` → `subprocess`, `run` →
//! `subprocess.run`), and imported project functions to the module paths other files'
//! [`FunctionSummary`](crate::taint::FunctionSummary)s are filed under.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::lang::node_text;

/// Top-level modules of the standard library and common dependencies: calls into them
/// are never calls to another file of the package.
const EXTERNAL_MODULES: &[&str] = &[
    "abc",
    "aiofiles",
    "aiohttp",
    "anyio",
    "argparse",
    "ast",
    "asyncio",
    "base64",
    "boto3",
    "builtins",
    "click",
    "codecs",
    "collections",
    "contextlib",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "dill",
    "django",
    "enum",
    "fastapi",
    "fastmcp",
    "flask",
    "functools",
    "glob",
    "hashlib",
    "hmac",
    "html",
    "http",
    "httpx",
    "importlib",
    "inspect",
    "io",
    "itertools",
    "jinja2",
    "json",
    "jsonpickle",
    "logging",
    "mako",
    "marshal",
    "math",
    "mcp",
    "os",
    "pandas",
    "pathlib",
    "pickle",
    "platform",
    "pydantic",
    "random",
    "re",
    "requests",
    "shelve",
    "shlex",
    "shutil",
    "socket",
    "sqlalchemy",
    "sqlite3",
    "starlette",
    "string",
    "subprocess",
    "sys",
    "tempfile",
    "textwrap",
    "threading",
    "time",
    "traceback",
    "typing",
    "typing_extensions",
    "urllib",
    "urllib3",
    "uuid",
    "uvicorn",
    "webbrowser",
    "yaml",
    "zipfile",
];

/// What an import binds a local name to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    /// `import a.b` (binds `a` → `a`) or `import a.b as m` (binds `m` → `a.b`).
    Module(String),
    /// `from module import name [as local]`; `module` keeps its leading dots.
    From { module: String, name: String },
}

impl Binding {
    fn dotted(&self) -> String {
        match self {
            Binding::Module(m) => m.clone(),
            Binding::From { module, name } if module.ends_with('.') => format!("{module}{name}"),
            Binding::From { module, name } => format!("{module}.{name}"),
        }
    }
}

/// The imports of one module (every `import` statement, wherever it is).
#[derive(Debug, Default)]
pub(super) struct Imports<'t> {
    bindings: HashMap<&'t str, Binding>,
}

impl<'t> Imports<'t> {
    /// Indexes the import statements under `root`.
    pub(super) fn new(text: &'t str, root: Node<'t>) -> Self {
        let mut imports = Imports::default();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "import_statement" => imports.plain(text, node),
                "import_from_statement" => imports.from(text, node),
                "function_definition"
                | "class_definition"
                | "module"
                | "block"
                | "decorated_definition"
                | "if_statement"
                | "try_statement"
                | "else_clause"
                | "except_clause"
                | "finally_clause"
                | "elif_clause" => {
                    let mut cursor = node.walk();
                    stack.extend(node.named_children(&mut cursor));
                }
                _ => {}
            }
        }
        imports
    }

    fn plain(&mut self, text: &'t str, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        for name in stmt.children_by_field_name("name", &mut cursor) {
            if name.kind() == "aliased_import" {
                if let (Some(module), Some(alias)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    let module = node_text(module, text).to_string();
                    self.bindings
                        .insert(node_text(alias, text), Binding::Module(module));
                }
            } else {
                let dotted = node_text(name, text);
                let first = dotted.split('.').next().unwrap_or(dotted);
                self.bindings
                    .insert(first, Binding::Module(first.to_string()));
            }
        }
    }

    fn from(&mut self, text: &'t str, stmt: Node<'t>) {
        let Some(module) = stmt.child_by_field_name("module_name") else {
            return;
        };
        let module = node_text(module, text).to_string();
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
                self.bindings.insert(
                    node_text(local, text),
                    Binding::From {
                        module: module.clone(),
                        name: node_text(imported, text).to_string(),
                    },
                );
            }
        }
    }

    /// Whether `name` is bound by an import.
    pub(super) fn binds(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }

    /// `dotted` (`sp.run`, `run`, `path.join`) with its first segment replaced by what it
    /// was imported as (`subprocess.run`, `subprocess.run`, `os.path.join`).
    pub(super) fn canonical(&self, dotted: &str) -> String {
        let (first, rest) = match dotted.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (dotted, None),
        };
        match (self.bindings.get(first), rest) {
            (Some(binding), Some(rest)) => format!("{}.{rest}", binding.dotted()),
            (Some(binding), None) => binding.dotted(),
            (None, _) => dotted.to_string(),
        }
    }

    /// The package module and function name a call of `dotted` resolves to, when its first
    /// segment is an import of a module of this package. `file` is the importing file.
    pub(super) fn project_target(&self, dotted: &str, file: &str) -> Option<(String, String)> {
        let (first, rest) = match dotted.split_once('.') {
            Some((first, rest)) => (first, rest),
            None => (dotted, ""),
        };
        let (module, name) = match self.bindings.get(first)? {
            Binding::Module(module) => split_module(module.clone(), rest)?,
            Binding::From { module, name } if rest.is_empty() => (module.clone(), name.clone()),
            Binding::From { module, name } if starts_lowercase(name) => {
                let joined = if module.ends_with('.') {
                    format!("{module}{name}")
                } else {
                    format!("{module}.{name}")
                };
                split_module(joined, rest)?
            }
            Binding::From { module, name } => (module.clone(), format!("{name}.{rest}")),
        };
        let top = module.split('.').next().unwrap_or("");
        if !module.starts_with('.') && EXTERNAL_MODULES.contains(&top) {
            return None;
        }
        Some((resolve_module(&module, file), name))
    }
}

/// Splits `module` + `.rest` into (module, name): leading lowercase segments of `rest`
/// that are followed by more segments are submodules (`pkg` + `mod.run` → `pkg.mod`,
/// `run`); a capitalised segment starts a `Class.method` name.
fn split_module(mut module: String, rest: &str) -> Option<(String, String)> {
    if rest.is_empty() {
        return None;
    }
    let mut segments: Vec<&str> = rest.split('.').collect();
    while segments.len() > 1 && starts_lowercase(segments[0]) {
        if !module.ends_with('.') {
            module.push('.');
        }
        module.push_str(segments.remove(0));
    }
    Some((module, segments.join(".")))
}

fn starts_lowercase(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c == '_')
}

/// The module path of a file, as [`FunctionSummary::module`](crate::taint::FunctionSummary)
/// names it: the path without its extension, a package's `__init__` standing for its
/// directory (`src/pkg/__init__.py` → `src/pkg`).
pub(super) fn module_of_file(path: &str) -> String {
    let stem = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".pyi"))
        .unwrap_or(path);
    match stem.strip_suffix("/__init__") {
        Some(dir) => dir.to_string(),
        None if stem == "__init__" => String::new(),
        None => stem.to_string(),
    }
}

/// The module path of dotted module `module` imported from `file`. Relative imports
/// climb from the file's directory; absolute ones are rooted where their first segment
/// appears among the file's directories (`src/pkg/server.py` importing `pkg.tools` →
/// `src/pkg/tools`), else next to the file.
pub(super) fn resolve_module(module: &str, file: &str) -> String {
    let mut dirs: Vec<&str> = file.split('/').collect();
    dirs.pop();
    let dots = module.chars().take_while(|c| *c == '.').count();
    let rest: Vec<&str> = module[dots..]
        .split('.')
        .filter(|s| !s.is_empty())
        .collect();
    let mut base: Vec<&str> = if dots > 0 {
        let keep = dirs.len().saturating_sub(dots - 1);
        dirs[..keep].to_vec()
    } else {
        match rest
            .first()
            .and_then(|first| dirs.iter().position(|d| d == first))
        {
            Some(root) => dirs[..root].to_vec(),
            None => dirs,
        }
    };
    base.extend(rest);
    base.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{self, Language, ParseBudget};

    fn imports_of(source: &str, f: impl FnOnce(&Imports<'_>)) {
        let tree = lang::parse(Language::Python, source, &ParseBudget::default()).unwrap();
        f(&Imports::new(source, tree.root_node()));
    }

    #[test]
    fn canonical_names_follow_aliases() {
        let source = "import subprocess as sp\nimport os.path\nfrom os import path as p\nfrom subprocess import run\n";
        imports_of(source, |imports| {
            assert_eq!(imports.canonical("sp.run"), "subprocess.run");
            assert_eq!(imports.canonical("run"), "subprocess.run");
            assert_eq!(imports.canonical("p.join"), "os.path.join");
            assert_eq!(imports.canonical("os.path.join"), "os.path.join");
            assert_eq!(imports.canonical("eval"), "eval");
        });
    }

    #[test]
    fn project_imports_resolve_to_module_paths() {
        let source = "from .helpers import run_cmd\nfrom . import shell\nfrom pkg.tools import fs as files\nimport pkg.net as net\nfrom ..util import Runner\nimport requests\n";
        imports_of(source, |imports| {
            let file = "src/pkg/server.py";
            let target = |d: &str| imports.project_target(d, file);
            assert_eq!(
                target("run_cmd"),
                Some(("src/pkg/helpers".into(), "run_cmd".into()))
            );
            assert_eq!(
                target("shell.run"),
                Some(("src/pkg/shell".into(), "run".into()))
            );
            assert_eq!(
                target("files.read"),
                Some(("src/pkg/tools/fs".into(), "read".into()))
            );
            assert_eq!(
                target("net.fetch"),
                Some(("src/pkg/net".into(), "fetch".into()))
            );
            assert_eq!(
                target("Runner.run"),
                Some(("src/util".into(), "Runner.run".into()))
            );
            assert_eq!(target("requests.get"), None);
            assert_eq!(target("unknown"), None);
        });
    }

    #[test]
    fn file_modules_drop_extension_and_init() {
        assert_eq!(module_of_file("src/pkg/mod.py"), "src/pkg/mod");
        assert_eq!(module_of_file("src/pkg/__init__.py"), "src/pkg");
        assert_eq!(resolve_module("util", "server.py"), "util");
        assert_eq!(resolve_module(".", "src/pkg/server.py"), "src/pkg");
    }
}
