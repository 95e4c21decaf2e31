//! FastMCP for TypeScript: `addTool({ name, description, parameters, annotations,
//! execute })`, `addPrompt({ name, description, arguments, load })`,
//! `addResource({ uri, name, description, mimeType, load })` and
//! `addResourceTemplate({ uriTemplate, name, description, mimeType, arguments, load })`.
//! The definition object must carry a known name and its callback (`execute` / `load`),
//! which keeps unrelated `addTool(…)` methods out.

use assay_core::{Prompt, Resource, Tool};
use tree_sitter::Node;

use super::Extractor;
use super::binders::Context;
use super::eval::Expr;
use super::prompt_text::template;
use super::schema::{annotations, argument_list, property_parameters};
use super::syntax::arguments;

/// The `sdk` label of items declared through FastMCP.
const SDK: &str = "fastmcp-ts";

/// Extracts what the FastMCP call `call` (method `method`) declares in `context`.
pub(super) fn extract<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    method: &str,
    context: &Context<'a>,
) {
    let args = arguments(call);
    let [definition] = args.as_slice() else {
        return;
    };
    let definition = x.eval.resolve(&Expr::new(*definition, &context.env));
    if definition.node.kind() != "object" {
        return;
    }
    let callback_key = if method == "addTool" {
        "execute"
    } else {
        "load"
    };
    let Some(callback) = x
        .eval
        .property(&definition, callback_key)
        .and_then(|c| x.eval.function(&c))
    else {
        return;
    };
    let Some(name) = x
        .eval
        .property(&definition, "name")
        .and_then(|n| x.name(&n))
    else {
        return;
    };
    let eval = &x.eval;
    let text = |key: &str| eval.property_text(&definition, key);
    let location = x.declared_at(call, context, &name);
    let handler = Some(x.location(callback.node));
    match method {
        "addTool" => {
            let tool = Tool {
                description: text("description"),
                parameters: property_parameters(eval, &definition, "parameters"),
                annotations: eval
                    .property(&definition, "annotations")
                    .map(|a| annotations(eval, &a))
                    .unwrap_or_default(),
                sdk: SDK.to_string(),
                location,
                handler,
                name: name.value,
            };
            x.out.tools.push(tool);
        }
        "addPrompt" => {
            let prompt = Prompt {
                description: text("description"),
                arguments: eval
                    .property(&definition, "arguments")
                    .map(|a| argument_list(eval, &a))
                    .unwrap_or_default(),
                template: template(eval, &callback),
                sdk: SDK.to_string(),
                location,
                handler,
                name: name.value,
            };
            x.out.prompts.push(prompt);
        }
        _ => {
            let uri_key = if method == "addResourceTemplate" {
                "uriTemplate"
            } else {
                "uri"
            };
            let Some(uri) = text(uri_key) else {
                return;
            };
            let resource = Resource {
                uri: Some(uri),
                description: text("description"),
                mime_type: text("mimeType"),
                sdk: SDK.to_string(),
                location,
                handler,
                name: name.value,
            };
            x.out.resources.push(resource);
        }
    }
}
