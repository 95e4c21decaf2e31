//! The TypeScript SDK's low-level `Server`: `server.setRequestHandler(ListToolsRequestSchema,
//! async () => ({ tools: [...] }))` with literal tool objects (inline, in a `const TOOLS`
//! table, as separately declared objects, `Object.values(TABLE)` or `TABLE.map(…)`),
//! and the same for prompts, resources and resource templates.
//!
//! The handler of each item is the branch of the matching dispatch handler
//! (`CallToolRequestSchema`, `GetPromptRequestSchema`, `ReadResourceRequestSchema`) that
//! handles it — a `case "name":`, an `if (name === "name")`, or an entry of a handler
//! table indexed by name — else the dispatch handler itself. In minified code the
//! request schema names are gone; the list handler's result then identifies the kind,
//! and items must carry their kind's required field (`inputSchema`, `uri`, …).

use std::collections::HashMap;

use assay_core::{Location, Prompt, Resource, Tool};
use tree_sitter::Node;

use super::Extractor;
use super::binders::Context;
use super::eval::{Element, Env, Eval, Expr};
use super::patterns::returned_expressions;
use super::prompt_text::template_within;
use super::schema::{argument_list, property_parameters, tool_annotations};
use super::syntax::{
    arguments, call_method, children, field, is_function, last_name, string_literal,
};

/// The `sdk` label of items declared through the low-level server.
const SDK: &str = "ts-sdk-lowlevel";

/// Most nodes visited inside one dispatch handler.
const MAX_DISPATCH_NODES: usize = 200_000;

/// The MCP request a handler is registered for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Request {
    ListTools,
    ListPrompts,
    ListResources,
    ListResourceTemplates,
    CallTool,
    GetPrompt,
    ReadResource,
    /// A name Assay does not know, or one a minifier shortened.
    Unknown,
}

/// The request named by the first argument of `setRequestHandler`.
fn request(eval: &Eval<'_>, schema: Node<'_>) -> Request {
    let name = match schema.kind() {
        "string" => string_literal(schema, eval.text),
        _ => last_name(schema, eval.text).to_string(),
    };
    match name.as_str() {
        "ListToolsRequestSchema" | "tools/list" => Request::ListTools,
        "ListPromptsRequestSchema" | "prompts/list" => Request::ListPrompts,
        "ListResourcesRequestSchema" | "resources/list" => Request::ListResources,
        "ListResourceTemplatesRequestSchema" | "resources/templates/list" => {
            Request::ListResourceTemplates
        }
        "CallToolRequestSchema" | "tools/call" => Request::CallTool,
        "GetPromptRequestSchema" | "prompts/get" => Request::GetPrompt,
        "ReadResourceRequestSchema" | "resources/read" => Request::ReadResource,
        _ => Request::Unknown,
    }
}

/// The dispatch handlers of one kind and the branch handling each name.
#[derive(Default)]
struct Targets<'a> {
    handlers: Vec<Node<'a>>,
    branches: HashMap<String, Node<'a>>,
}

impl<'a> Targets<'a> {
    /// The branch for `key`, else a branch for `key` in a handler of an unknown request
    /// (minified code), else the only dispatch handler.
    fn handler_for(&self, key: &str, unknown: &Targets<'a>) -> Option<Node<'a>> {
        self.branches
            .get(key)
            .or_else(|| unknown.branches.get(key))
            .copied()
            .or_else(|| (self.handlers.len() == 1).then(|| self.handlers[0]))
    }
}

/// The `tools/call`, `prompts/get` and `resources/read` handlers of a file.
#[derive(Default)]
pub(super) struct Dispatch<'a> {
    tools: Targets<'a>,
    prompts: Targets<'a>,
    resources: Targets<'a>,
    /// Handlers registered for requests whose schema name is not visible.
    unknown: Targets<'a>,
}

impl<'a> Dispatch<'a> {
    /// Finds the dispatch handlers among `calls` and the branches inside them.
    pub fn collect(eval: &Eval<'a>, calls: &[Node<'a>]) -> Self {
        let mut dispatch = Dispatch::default();
        for &call in calls {
            if call_method(call, eval.text) != Some("setRequestHandler") {
                continue;
            }
            let args = arguments(call);
            let [schema, handler] = args.as_slice() else {
                continue;
            };
            let targets = match request(eval, *schema) {
                Request::CallTool => &mut dispatch.tools,
                Request::GetPrompt => &mut dispatch.prompts,
                Request::ReadResource => &mut dispatch.resources,
                Request::Unknown => &mut dispatch.unknown,
                _ => continue,
            };
            let Some(function) = eval.function(&Expr::new(*handler, &Env::default())) else {
                continue;
            };
            targets.handlers.push(function.node);
            collect_branches(eval, function.node, &mut targets.branches);
        }
        dispatch
    }
}

/// Records, for each name a dispatch handler tests for, the branch that handles it.
fn collect_branches<'a>(eval: &Eval<'a>, function: Node<'a>, out: &mut HashMap<String, Node<'a>>) {
    let env = Env::default();
    let mut stack = vec![function];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > MAX_DISPATCH_NODES {
            return;
        }
        match node.kind() {
            "switch_case" => {
                if let Some(value) =
                    field(node, "value").and_then(|v| eval.string(&Expr::new(v, &env)))
                {
                    out.entry(value).or_insert(node);
                }
            }
            "binary_expression" => {
                let is_equality =
                    field(node, "operator").is_some_and(|o| matches!(eval.src(o), "===" | "=="));
                if let (true, Some(branch)) = (is_equality, enclosing_if(node)) {
                    for side in ["left", "right"] {
                        let Some(side) = field(node, side) else {
                            continue;
                        };
                        if matches!(side.kind(), "string" | "template_string")
                            && let Some(value) = eval.string(&Expr::new(side, &env))
                        {
                            out.entry(value).or_insert(branch);
                        }
                    }
                }
            }
            "subscript_expression" => {
                // `handlers[name](args)` over a literal table of handler functions.
                if let Some(object) = field(node, "object") {
                    let table = eval.resolve(&Expr::new(object, &env));
                    if table.node.kind() == "object" {
                        for (key, value) in eval.properties(&table) {
                            if let Some(handler) = eval.function(&value) {
                                out.entry(key).or_insert(handler.node);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        // Children pushed in reverse so the first branch in source order wins.
        stack.extend(children(node).into_iter().rev());
    }
}

/// The `if` statement whose condition contains `node`.
fn enclosing_if(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        if parent.kind() == "if_statement" {
            let condition = field(parent, "condition")?;
            return (condition.start_byte() <= node.start_byte()
                && node.end_byte() <= condition.end_byte())
            .then_some(parent);
        }
        if is_function(parent) || parent.kind() == "statement_block" {
            return None;
        }
        current = parent;
    }
    None
}

/// Extracts what the list handler registered by `call` returns.
pub(super) fn extract<'a>(
    x: &mut Extractor<'a>,
    call: Node<'a>,
    context: &Context<'a>,
    dispatch: &Dispatch<'a>,
) {
    let args = arguments(call);
    let [schema, handler] = args.as_slice() else {
        return;
    };
    let request = request(&x.eval, *schema);
    let Some(function) = x.eval.function(&Expr::new(*handler, &context.env)) else {
        return;
    };
    for returned in returned_expressions(function.node) {
        let result = x.eval.resolve(&function.with(returned));
        if result.node.kind() != "object" {
            continue;
        }
        for (key, list) in x.eval.properties(&result) {
            let kind = match key.as_str() {
                "tools" => Request::ListTools,
                "prompts" => Request::ListPrompts,
                "resources" => Request::ListResources,
                "resourceTemplates" => Request::ListResourceTemplates,
                _ => continue,
            };
            // A visible schema name must agree with the result; a hidden one is inferred.
            let inferred = match request {
                Request::Unknown => true,
                known if known == kind => false,
                _ => continue,
            };
            for element in x.eval.elements(&list) {
                let Element::Value(item) = element else {
                    continue;
                };
                let item = x.eval.resolve(&item);
                if item.node.kind() == "object" {
                    declare(x, kind, &item, inferred, dispatch);
                }
            }
        }
    }
}

/// Declares one listed item.
fn declare<'a>(
    x: &mut Extractor<'a>,
    kind: Request,
    item: &Expr<'a>,
    inferred: bool,
    dispatch: &Dispatch<'a>,
) {
    let eval = &x.eval;
    let Some(name) = eval
        .property(item, "name")
        .and_then(|n| eval.string(&n))
        .filter(|n| !n.is_empty())
    else {
        return;
    };
    let has = |key: &str| eval.property(item, key).is_some();
    let text = |key: &str| eval.property_text(item, key);
    let location = x.location(item.node);
    let branch_location = |targets: &Targets<'a>, key: &str| -> Option<Location> {
        targets
            .handler_for(key, &dispatch.unknown)
            .map(|n| x.location(n))
    };
    match kind {
        Request::ListTools => {
            if inferred && !has("inputSchema") {
                return;
            }
            let hints = tool_annotations(eval, item);
            let tool = Tool {
                description: text("description"),
                parameters: property_parameters(eval, item, "inputSchema"),
                annotations: hints,
                sdk: SDK.to_string(),
                handler: branch_location(&dispatch.tools, &name),
                location,
                name,
            };
            x.out.tools.push(tool);
        }
        Request::ListPrompts => {
            if inferred && !(has("arguments") || has("description")) {
                return;
            }
            let branch = dispatch.prompts.handler_for(&name, &dispatch.unknown);
            let prompt = Prompt {
                description: text("description"),
                arguments: eval
                    .property(item, "arguments")
                    .map(|a| argument_list(eval, &a))
                    .unwrap_or_default(),
                template: branch.and_then(|b| template_within(eval, b)),
                sdk: SDK.to_string(),
                handler: branch.map(|b| x.location(b)),
                location,
                name,
            };
            x.out.prompts.push(prompt);
        }
        Request::ListResources | Request::ListResourceTemplates => {
            let uri_key = if kind == Request::ListResources {
                "uri"
            } else {
                "uriTemplate"
            };
            let Some(uri) = text(uri_key) else {
                return;
            };
            let resource = Resource {
                description: text("description"),
                mime_type: text("mimeType"),
                sdk: SDK.to_string(),
                handler: branch_location(&dispatch.resources, &uri),
                uri: Some(uri),
                location,
                name,
            };
            x.out.resources.push(resource);
        }
        _ => {}
    }
}
