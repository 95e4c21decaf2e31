//! Server-level `instructions`: `new Server(info, { capabilities, instructions })`,
//! `new McpServer(info, { instructions })` and `new FastMCP({ name, version,
//! instructions })`. In minified code the class name is gone, so an options object
//! next to (or merged with) a `{ name, version }` server description counts too.

use assay_core::Instructions;
use tree_sitter::Node;

use super::Extractor;
use super::binders::Context;
use super::eval::{Eval, Expr};
use super::syntax::{arguments, children, field, key_text, last_name};

/// A syntactic check made before any evaluation: the class is named like a server, or
/// an object literal argument has an `instructions` key.
pub(super) fn may_declare(eval: &Eval<'_>, construction: Node<'_>) -> bool {
    let class = field(construction, "constructor").map_or("", |c| last_name(c, eval.text));
    is_server_class(class)
        || arguments(construction).iter().any(|arg| {
            arg.kind() == "object"
                && children(*arg).iter().any(|part| {
                    part.kind() == "pair"
                        && field(*part, "key")
                            .is_some_and(|k| key_text(k, eval.text) == "instructions")
                        || part.kind() == "shorthand_property_identifier"
                            && eval.src(*part) == "instructions"
                })
        })
}

/// `Server`, `McpServer`, `FastMCP` and similarly named classes.
fn is_server_class(class: &str) -> bool {
    class.ends_with("Server") || class == "FastMCP"
}

/// Extracts the instructions given to the constructor call `construction`.
pub(super) fn extract<'a>(x: &mut Extractor<'a>, construction: Node<'a>, context: &Context<'a>) {
    let Some(constructor) = field(construction, "constructor") else {
        return;
    };
    let class = last_name(constructor, x.eval.text);
    let objects: Vec<Expr<'a>> = arguments(construction)
        .into_iter()
        .map(|a| x.eval.resolve(&Expr::new(a, &context.env)))
        .filter(|a| a.node.kind() == "object")
        .collect();
    let describes_server = objects
        .iter()
        .any(|o| x.eval.property(o, "name").is_some() && x.eval.property(o, "version").is_some());
    if !(is_server_class(class) || describes_server) {
        return;
    }
    for object in &objects {
        let Some(value) = x.eval.property(object, "instructions") else {
            continue;
        };
        if matches!(x.eval.resolve(&value).node.kind(), "undefined" | "null") {
            continue;
        }
        let declared = value
            .node
            .parent()
            .filter(|p| p.kind() == "pair")
            .unwrap_or(value.node);
        let instructions = Instructions {
            text: x.eval.text_or_placeholder(&value),
            location: x.location(declared),
        };
        x.out.instructions.push(instructions);
    }
}
