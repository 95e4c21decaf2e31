//! `ToolAnnotations(readOnlyHint=True, …)` calls and `{"readOnlyHint": True}` dicts.

use assay_core::Annotations;
use tree_sitter::Node;

use super::scope::{Bound, Env, Scope, dict_pairs};
use super::strings::resolve;

/// Reads declared annotations from a call or dict expression.
pub(super) fn annotations<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>) -> Annotations {
    let mut out = Annotations::default();
    let Bound::Node(node) = scope.deref(node, env) else {
        return out;
    };
    match node.kind() {
        "call" => {
            if let Some(args) = node.child_by_field_name("arguments") {
                let mut cursor = args.walk();
                for arg in args.named_children(&mut cursor) {
                    if arg.kind() == "keyword_argument"
                        && let (Some(k), Some(v)) = (
                            arg.child_by_field_name("name"),
                            arg.child_by_field_name("value"),
                        )
                    {
                        set(scope, &mut out, scope.text_of(k), v, env);
                    }
                }
            }
        }
        "dictionary" => {
            for (k, v) in dict_pairs(node) {
                if let Some(key) = resolve(scope, k, env) {
                    set(scope, &mut out, &key, v, env);
                }
            }
        }
        _ => {}
    }
    out
}

fn set<'t>(scope: &Scope<'t>, out: &mut Annotations, key: &str, value: Node<'t>, env: &Env<'t>) {
    let flag = || match scope.deref(value, env) {
        Bound::Node(n) if n.kind() == "true" => Some(true),
        Bound::Node(n) if n.kind() == "false" => Some(false),
        _ => None,
    };
    match key {
        "title" => out.title = resolve(scope, value, env),
        "readOnlyHint" | "read_only_hint" => out.read_only_hint = flag(),
        "destructiveHint" | "destructive_hint" => out.destructive_hint = flag(),
        "idempotentHint" | "idempotent_hint" => out.idempotent_hint = flag(),
        "openWorldHint" | "open_world_hint" => out.open_world_hint = flag(),
        _ => {}
    }
}
