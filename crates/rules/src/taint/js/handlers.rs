//! The inventory's handlers as syntax nodes: which functions take tool input and in what
//! shape, and which branches of low-level dispatch functions serve which tool.

use std::collections::HashMap;
use std::rc::Rc;

use assay_core::{Inventory, Location, Parameter};
use tree_sitter::Node;

use super::syntax::{field, is_function, text_of};
use super::walk::{HandlerBinding, Shape};

/// The SDK label of low-level `Server` handlers in the inventory.
const LOW_LEVEL_SDK: &str = "ts-sdk-lowlevel";

/// One handler of the inventory.
#[derive(Debug, Clone)]
pub(super) struct Entry<'t> {
    /// Tool, prompt or resource name.
    pub(super) name: String,
    /// The handler location the inventory gives.
    pub(super) location: Location,
    /// The code that handles it: a function, or the branch of a dispatch function.
    pub(super) body: Node<'t>,
}

/// A branch of a dispatch function serving one tool.
#[derive(Debug, Clone)]
pub(super) struct Branch {
    /// The branch's span.
    pub(super) span: Location,
    /// The tool it serves.
    pub(super) tool: String,
}

/// Handlers located in the tree.
#[derive(Default)]
pub(super) struct Handlers<'t> {
    /// Parameter bindings by function node id.
    pub(super) bindings: HashMap<usize, HandlerBinding>,
    /// Branches of dispatch functions.
    pub(super) branches: Vec<Branch>,
    /// Every handler, for effects.
    pub(super) entries: Vec<Entry<'t>>,
    /// Start bytes of dispatch functions.
    pub(super) dispatch: Vec<usize>,
}

struct Item<'i> {
    name: &'i str,
    sdk: &'i str,
    handler: &'i Location,
    known: Vec<String>,
    scalar: Vec<String>,
    resource_template: Option<bool>,
}

/// Parameters that cannot carry text: numbers and booleans of SDKs that validate
/// arguments against their schema before the handler runs (zod in the TypeScript SDK's
/// `McpServer` and FastMCP; the low-level `Server` validates nothing).
fn scalar_parameters(sdk: &str, parameters: &[Parameter]) -> Vec<String> {
    if sdk == LOW_LEVEL_SDK {
        return Vec::new();
    }
    parameters
        .iter()
        .filter(|p| matches!(p.ty.as_deref(), Some("number" | "integer" | "boolean")))
        .map(|p| p.name.clone())
        .collect()
}

impl Handlers<'_> {
    /// Start bytes of every handler function, dispatch function and branch.
    pub(super) fn starts(&self) -> Vec<usize> {
        self.entries
            .iter()
            .map(|e| e.body.start_byte())
            .chain(self.dispatch.iter().copied())
            .collect()
    }
}

/// Locates the handlers of `inventory` in the tree.
pub(super) fn locate<'t>(root: Node<'t>, text: &str, inventory: &Inventory) -> Handlers<'t> {
    let mut items: Vec<Item<'_>> = Vec::new();
    for tool in &inventory.tools {
        if let Some(handler) = &tool.handler {
            items.push(Item {
                name: &tool.name,
                sdk: &tool.sdk,
                handler,
                known: tool.parameters.iter().map(|p| p.name.clone()).collect(),
                scalar: scalar_parameters(&tool.sdk, &tool.parameters),
                resource_template: None,
            });
        }
    }
    for prompt in &inventory.prompts {
        if let Some(handler) = &prompt.handler {
            items.push(Item {
                name: &prompt.name,
                sdk: &prompt.sdk,
                handler,
                known: prompt.arguments.iter().map(|p| p.name.clone()).collect(),
                scalar: Vec::new(),
                resource_template: None,
            });
        }
    }
    for resource in &inventory.resources {
        if let Some(handler) = &resource.handler {
            items.push(Item {
                name: &resource.name,
                sdk: &resource.sdk,
                handler,
                known: Vec::new(),
                scalar: Vec::new(),
                resource_template: Some(resource.uri.as_deref().is_some_and(|u| u.contains('{'))),
            });
        }
    }
    let lines = LineIndex::new(text);
    let mut out = Handlers::default();
    let mut tools_of: HashMap<usize, Vec<String>> = HashMap::new();
    for item in items {
        let Some(node) = lines.node_at(root, text, item.handler) else {
            continue;
        };
        if is_function(node) {
            let low_level = item.sdk == LOW_LEVEL_SDK && is_dispatch_callback(node, text);
            let shape = match item.resource_template {
                _ if low_level => Some(Shape::Request),
                Some(true) => Some(Shape::ResourceTemplate),
                Some(false) => None,
                None => Some(Shape::Args),
            };
            if let Some(shape) = shape {
                tools_of
                    .entry(node.id())
                    .or_default()
                    .push(item.name.to_string());
                out.bindings.entry(node.id()).or_insert(HandlerBinding {
                    tool: None,
                    known: Rc::from(item.known),
                    scalar: Rc::from(item.scalar),
                    shape,
                });
            }
            out.entries.push(Entry {
                name: item.name.to_string(),
                location: item.handler.clone(),
                body: node,
            });
        } else {
            // A branch (`case "x":`, `if (name === "x")`) of a dispatch function.
            let body = branch_body(node);
            if let Some(dispatch) = enclosing_function(node) {
                out.dispatch.push(dispatch.start_byte());
                out.bindings.entry(dispatch.id()).or_insert(HandlerBinding {
                    tool: None,
                    known: Rc::from(Vec::new()),
                    scalar: Rc::from(Vec::new()),
                    shape: Shape::Request,
                });
            }
            out.branches.push(Branch {
                span: span(text, body),
                tool: item.name.to_string(),
            });
            out.entries.push(Entry {
                name: item.name.to_string(),
                location: item.handler.clone(),
                body,
            });
        }
    }
    // A function serving exactly one tool names it on every flow.
    for (id, tools) in tools_of {
        let mut tools = tools;
        tools.dedup();
        if let (1, Some(binding)) = (tools.len(), out.bindings.get_mut(&id)) {
            binding.tool = Some(tools[0].as_str().into());
        }
    }
    out
}

/// Whether a function is registered directly as a request handler
/// (`setRequestHandler(CallToolRequestSchema, async (request) => …)`).
fn is_dispatch_callback(function: Node<'_>, text: &str) -> bool {
    let Some(call) = function.parent().and_then(|args| args.parent()) else {
        return false;
    };
    call.kind() == "call_expression"
        && field(call, "function").is_some_and(|f| text_of(f, text).ends_with("setRequestHandler"))
}

/// The code of a branch: an `if`'s consequence, a `case` itself.
fn branch_body(node: Node<'_>) -> Node<'_> {
    if node.kind() == "if_statement" {
        return field(node, "consequence").unwrap_or(node);
    }
    node
}

fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if is_function(n) {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// The span of a node as a location (1-based lines, character columns).
fn span(text: &str, node: Node<'_>) -> Location {
    Location::from_byte_range("", text, node.start_byte(), node.end_byte())
}

/// Whether location `inner` lies within span `outer` (paths ignored).
pub(super) fn within(outer: &Location, inner: &Location) -> bool {
    (outer.line, outer.column) <= (inner.line, inner.column)
        && (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)
}

/// Byte offsets of line starts, to turn inventory locations back into nodes.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Byte offset of a 1-based line and character column.
    fn offset(&self, text: &str, line: u32, column: u32) -> Option<usize> {
        let start = *self
            .starts
            .get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let rest = text.get(start..)?;
        let skip = usize::try_from(column).ok()?.checked_sub(1)?;
        let within = rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i);
        Some(start + within)
    }

    /// The node spanning exactly `location` (the outermost of equal spans).
    fn node_at<'t>(&self, root: Node<'t>, text: &str, location: &Location) -> Option<Node<'t>> {
        let start = self.offset(text, location.line, location.column)?;
        let end = self.offset(text, location.end_line, location.end_column)?;
        let mut node = root.descendant_for_byte_range(start, end)?;
        let mut best = None;
        loop {
            if node.start_byte() == start && node.end_byte() == end {
                best = Some(node);
            } else if best.is_some() {
                break;
            }
            match node.parent() {
                Some(p) if p.start_byte() <= start && end <= p.end_byte() => node = p,
                _ => break,
            }
        }
        best
    }
}
