//! Module names: imports and `require`s, the canonical names of package members
//! (`child_process.exec`, `fs.readFile`), and the module paths of relative imports in
//! the normalisation of [`crate::taint::FunctionSummary::module`].

use tree_sitter::Node;

use super::syntax::{arguments, children, field, string_value, text_of, unwrap};

/// What an imported name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Alias {
    /// A package or one of its members, canonically named (`fs.readFile`).
    Package(String),
    /// A module of this package (`src/tools/git`) or one of its exports.
    Local {
        /// Candidate module paths (`./x` may be `x` or `x/index`).
        modules: Vec<String>,
        /// The export, or `None` for the module namespace.
        name: Option<String>,
    },
}

impl Alias {
    /// The alias of property `prop` of this one.
    pub(super) fn member(&self, prop: &str) -> Option<Alias> {
        match self {
            Alias::Package(base) => Some(Alias::Package(join(base, prop))),
            Alias::Local {
                modules,
                name: None,
            } => Some(Alias::Local {
                modules: modules.clone(),
                name: Some(prop.to_string()),
            }),
            Alias::Local { name: Some(_), .. } if prop == "default" => Some(self.clone()),
            Alias::Local { .. } => None,
        }
    }

    /// The canonical package name, if this is a package member.
    pub(super) fn package(&self) -> Option<&str> {
        match self {
            Alias::Package(name) => Some(name),
            Alias::Local { .. } => None,
        }
    }
}

/// The canonical name of member `prop` of `base`: `default` and `fs.promises` vanish so
/// that every spelling of an API reads the same.
fn join(base: &str, prop: &str) -> String {
    if prop == "default" || (base == "fs" && prop == "promises") {
        return base.to_string();
    }
    format!("{base}.{prop}")
}

/// The canonical name of a package import specifier.
pub(super) fn package_name(spec: &str) -> String {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    match spec {
        "fs/promises" | "fs-extra" | "graceful-fs" | "fs-extra/esm" | "mz/fs" => "fs".into(),
        "node-fetch" | "cross-fetch" | "isomorphic-fetch" => "fetch".into(),
        "cross-spawn" => "child_process.spawn".into(),
        "child_process/promises" => "child_process".into(),
        "lodash-es" | "underscore" => "lodash".into(),
        "opn" => "open".into(),
        "yaml" | "js-yaml" => "js-yaml".into(),
        other => other.to_string(),
    }
}

/// Module path of a snapshot file: the path without its extension.
pub(crate) fn module_of(path: &str) -> String {
    for ext in [
        ".d.ts", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs",
    ] {
        if let Some(stem) = path.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    path.to_string()
}

/// The module paths a relative specifier from file `from` may name (`./x.js` from
/// `src/a.ts` is `src/x`; `./dir` is `src/dir` or `src/dir/index`). `None` for packages.
pub(super) fn relative_modules(from: &str, spec: &str) -> Option<Vec<String>> {
    if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in spec.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let stem = module_of(&joined);
    Some(if stem == joined {
        vec![format!("{joined}/index"), joined]
    } else {
        vec![stem]
    })
}

/// The alias of an import specifier string.
pub(super) fn spec_alias(from: &str, spec: &str) -> Alias {
    match relative_modules(from, spec) {
        Some(modules) => Alias::Local {
            modules,
            name: None,
        },
        None => Alias::Package(package_name(spec)),
    }
}

/// Wrapper helpers compiled and bundled code puts around `require` (and `promisify`).
fn is_wrapper(name: &str) -> bool {
    matches!(
        name,
        "__importDefault"
            | "__importStar"
            | "_interopRequireDefault"
            | "_interopRequireWildcard"
            | "__toESM"
            | "__toCommonJS"
            | "promisify"
    )
}

/// The alias a `require(…)` expression (possibly wrapped, or a member of one) evaluates to.
pub(super) fn require_alias(node: Node<'_>, text: &str, path: &str) -> Option<Alias> {
    let node = unwrap(node);
    match node.kind() {
        "call_expression" => {
            let callee = unwrap(field(node, "function")?);
            let name = match callee.kind() {
                "identifier" => text_of(callee, text),
                "member_expression" => field(callee, "property").map_or("", |p| text_of(p, text)),
                _ => return None,
            };
            let args = arguments(node);
            let first = *args.first()?;
            if name == "require" {
                return Some(spec_alias(path, string_value(first, text)?));
            }
            if is_wrapper(name) {
                return require_alias(first, text, path);
            }
            None
        }
        "member_expression" => {
            let object = require_alias(field(node, "object")?, text, path)?;
            object.member(text_of(field(node, "property")?, text))
        }
        _ => None,
    }
}

/// The bindings an `import` statement creates: (local name, alias).
pub(super) fn import_bindings<'a>(
    import: Node<'_>,
    text: &'a str,
    path: &str,
) -> Vec<(&'a str, Alias)> {
    let mut out = Vec::new();
    let Some(spec) = field(import, "source").and_then(|s| string_value(s, text)) else {
        return out;
    };
    let module = spec_alias(path, spec);
    let Some(clause) = children(import)
        .into_iter()
        .find(|c| c.kind() == "import_clause")
    else {
        return out;
    };
    for part in children(clause) {
        match part.kind() {
            "identifier" => {
                if let Some(alias) = module.member("default") {
                    out.push((text_of(part, text), alias));
                }
            }
            "namespace_import" => {
                if let Some(id) = children(part).first() {
                    out.push((text_of(*id, text), module.clone()));
                }
            }
            "named_imports" => {
                for spec in children(part)
                    .into_iter()
                    .filter(|s| s.kind() == "import_specifier")
                {
                    let Some(name) = field(spec, "name") else {
                        continue;
                    };
                    let local = field(spec, "alias").unwrap_or(name);
                    if let Some(alias) = module.member(key(name, text)) {
                        out.push((text_of(local, text), alias));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn key<'a>(node: Node<'_>, text: &'a str) -> &'a str {
    string_value(node, text).unwrap_or_else(|| text_of(node, text))
}

/// The aliases a binding pattern takes from a value with alias `alias`.
pub(super) fn pattern_aliases<'a>(
    pattern: Node<'_>,
    alias: &Alias,
    text: &'a str,
) -> Vec<(&'a str, Alias)> {
    match pattern.kind() {
        "identifier" | "shorthand_property_identifier_pattern" => {
            vec![(text_of(pattern, text), alias.clone())]
        }
        "object_pattern" => {
            let mut out = Vec::new();
            for prop in children(pattern) {
                let (key_node, target) = match prop.kind() {
                    "shorthand_property_identifier_pattern" => (prop, prop),
                    "pair_pattern" => match (field(prop, "key"), field(prop, "value")) {
                        (Some(k), Some(v)) => (k, v),
                        _ => continue,
                    },
                    _ => continue,
                };
                if let Some(member) = alias.member(key(key_node, text)) {
                    out.extend(pattern_aliases(target, &member, text));
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_specifiers_become_module_paths() {
        assert_eq!(
            relative_modules("src/a.ts", "./x.js"),
            Some(vec!["src/x".to_string()])
        );
        assert_eq!(
            relative_modules("src/tools/a.ts", "../util/exec"),
            Some(vec![
                "src/util/exec/index".to_string(),
                "src/util/exec".to_string()
            ])
        );
        assert_eq!(relative_modules("a.ts", "../../x"), None);
        assert_eq!(relative_modules("src/a.ts", "fs"), None);
        assert_eq!(module_of("dist/tools/git.js"), "dist/tools/git");
    }

    #[test]
    fn package_members_have_one_canonical_name() {
        let fs = Alias::Package(package_name("node:fs/promises"));
        assert_eq!(
            fs.member("readFile")
                .and_then(|a| a.package().map(String::from)),
            Some("fs.readFile".to_string())
        );
        let fs = Alias::Package(package_name("fs"));
        let promises = fs.member("promises").expect("member");
        assert_eq!(promises.package(), Some("fs"));
        assert_eq!(
            Alias::Package("open".into()).member("default"),
            Some(Alias::Package("open".into()))
        );
    }
}
