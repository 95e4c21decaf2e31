//! The literal text a prompt hands to the model: what its callback returns, either
//! `{ messages: [{ role, content: { type: "text", text } }] }` (TS SDK) or a plain string
//! (FastMCP `load`). Arguments stay as `${…}` placeholders.

use tree_sitter::Node;

use super::eval::{Element, Eval, Expr};
use super::patterns::{return_statements_in, returned_expressions};

/// Separator between the texts of several messages.
const MESSAGE_SEPARATOR: &str = "\n\n";

/// The template of the prompt callback `function`, if it returns literal text.
pub(super) fn template<'a>(eval: &Eval<'a>, function: &Expr<'a>) -> Option<String> {
    returned_expressions(function.node)
        .into_iter()
        .find_map(|returned| returned_text(eval, &function.with(returned)))
}

/// The template returned inside `node` (a `case` branch of a low-level dispatch).
pub(super) fn template_within<'a>(eval: &Eval<'a>, node: Node<'a>) -> Option<String> {
    let context = Expr::new(node, &Default::default());
    return_statements_in(node)
        .into_iter()
        .find_map(|returned| returned_text(eval, &context.with(returned)))
}

fn returned_text<'a>(eval: &Eval<'a>, returned: &Expr<'a>) -> Option<String> {
    let value = eval.resolve(returned);
    let text = if value.node.kind() == "object" {
        let messages = eval.property(&value, "messages")?;
        let texts: Vec<String> = eval
            .elements(&messages)
            .iter()
            .filter_map(|message| match message {
                Element::Value(message) => eval.property(message, "content"),
                Element::Entry(..) => None,
            })
            .flat_map(|content| content_texts(eval, &content))
            .collect();
        texts.join(MESSAGE_SEPARATOR)
    } else {
        eval.text(returned)?
    };
    (!text.trim().is_empty()).then_some(text)
}

/// The `text` of a message content, or of each part of a content array.
fn content_texts<'a>(eval: &Eval<'a>, content: &Expr<'a>) -> Vec<String> {
    let content = eval.resolve(content);
    match content.node.kind() {
        "array" => eval
            .elements(&content)
            .iter()
            .filter_map(|part| match part {
                Element::Value(part) => eval.property(part, "text").and_then(|t| eval.text(&t)),
                Element::Entry(..) => None,
            })
            .collect(),
        _ => eval
            .property(&content, "text")
            .and_then(|t| eval.text(&t))
            .into_iter()
            .collect(),
    }
}
