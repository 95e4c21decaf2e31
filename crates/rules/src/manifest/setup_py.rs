//! `setup.py`: the literal keyword arguments of its `setup(...)` call, read from the
//! syntax tree. The file is never executed; computed values are simply absent.

use assay_core::PackageInfo;
use tree_sitter::Node;

use super::ini;
use super::{package, push_requirements};
use crate::inventory::python::StaticModule;
use crate::lang::{self, Language, ParseBudget};

/// Keyword arguments holding requirement lists, and their scopes.
const REQUIREMENT_KEYWORDS: &[(&str, &str)] = &[
    ("install_requires", "runtime"),
    ("setup_requires", "build"),
    ("tests_require", "dev"),
];

/// Reads a `setup.py`. A file without a `setup(...)` call yields `None`.
pub(super) fn read(path: &str, text: &str) -> Option<PackageInfo> {
    let tree = lang::parse(Language::Python, text, &ParseBudget::default()).ok()?;
    let root = tree.root_node();
    let args = find_setup_call(text, root)?;
    let module = StaticModule::new(text, root);
    let mut info = package("pypi", path);
    info.name = module.keyword(args, "name").and_then(|v| module.string(v));
    info.version = module
        .keyword(args, "version")
        .and_then(|v| module.string(v));
    for (keyword, scope) in REQUIREMENT_KEYWORDS {
        if let Some(list) = module.keyword(args, keyword) {
            let specs = module.strings(list);
            push_requirements(
                &mut info.dependencies,
                specs.iter().map(String::as_str),
                scope,
            );
        }
    }
    if let Some(extras) = module.keyword(args, "extras_require") {
        for (_, list) in module.dict(extras) {
            let specs = module.strings(list);
            push_requirements(
                &mut info.dependencies,
                specs.iter().map(String::as_str),
                "optional",
            );
        }
    }
    if let Some(entry_points) = module.keyword(args, "entry_points") {
        info.entry_points = entry_points_of(&module, entry_points);
    }
    Some(info)
}

/// The `argument_list` of the first `setup(...)` / `setuptools.setup(...)` call.
pub(crate) fn find_setup_call<'t>(text: &str, root: Node<'t>) -> Option<Node<'t>> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && let Some(function) = node.child_by_field_name("function")
            && matches!(function.kind(), "identifier" | "attribute")
            && lang::node_text(function, text).rsplit('.').next() == Some("setup")
        {
            return node.child_by_field_name("arguments");
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    None
}

/// `{"console_scripts": ["name = mod:fn", …]}` or the INI-style string form.
fn entry_points_of<'t>(module: &StaticModule<'t>, node: Node<'t>) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |line: &str| {
        if let Some((name, target)) = line.split_once('=') {
            out.push(format!("{}: {}", name.trim(), target.trim()));
        }
    };
    let groups = module.dict(node);
    if groups.is_empty() {
        if let Some(text) = module.string(node) {
            for entry in ini::parse(&text) {
                if is_script_group(&entry.section) {
                    push(&format!("{} = {}", entry.key, entry.value));
                }
            }
        }
        return out;
    }
    for (group, value) in groups {
        if !is_script_group(&group) {
            continue;
        }
        let lines = module.strings(value);
        if lines.is_empty() {
            if let Some(text) = module.string(value) {
                text.lines().for_each(&mut push);
            }
        } else {
            lines.iter().for_each(|l| push(l));
        }
    }
    out
}

fn is_script_group(group: &str) -> bool {
    matches!(group.trim(), "console_scripts" | "gui_scripts")
}
