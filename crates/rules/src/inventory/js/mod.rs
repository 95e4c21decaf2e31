//! Surface extraction for JavaScript, TypeScript and TSX, source or compiled.
//!
//! | module | declares |
//! |---|---|
//! | [`mcp_server`] | TS SDK `McpServer`: `tool` (every overload), `registerTool`, `prompt`, `registerPrompt`, `resource`, `registerResource` — sdk `ts-sdk` |
//! | [`low_level`] | TS SDK `Server`: `setRequestHandler(ListToolsRequestSchema, …)` returning literal tool/prompt/resource arrays, handlers found in the `CallTool` dispatch — sdk `ts-sdk-lowlevel` |
//! | [`fastmcp`] | FastMCP TS: `addTool`, `addPrompt`, `addResource`, `addResourceTemplate` — sdk `fastmcp-ts` |
//! | [`instructions`] | server `instructions` given to `new Server(…)`, `new McpServer(…)`, `new FastMCP(…)` |
//!
//! The supporting modules: [`index`] walks the tree once and records declarations and
//! call sites; [`eval`] resolves literal data (constants, members, array elements) and
//! [`render`] renders string expressions (template literals, concatenations, joins);
//! [`patterns`] binds parameters and destructuring patterns; [`binders`] evaluates a
//! call once per element of a literal table it loops over, and once per call site of a
//! wrapper function it sits in; [`schema`] reads zod shapes, JSON Schemas and
//! annotations; [`prompt_text`] reads the literal text a prompt callback returns.
//!
//! Calls are recognised by method name and argument shape, never by the receiver's
//! name, so `this.server.tool(…)`, `mcp.tool(…)` and minified `e.tool(…)` all count, and
//! compiled output (`zod_1.z.string()`, `(0, zod_1.z).string()`) reads like the source.
//! An item whose name is not statically known is not reported; unknown parts of a
//! description are kept as `${…}`.

mod binders;
mod eval;
mod fastmcp;
mod index;
mod instructions;
mod low_level;
mod mcp_server;
mod patterns;
mod prompt_text;
mod render;
mod schema;
mod syntax;

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use assay_core::{Inventory, Location};
use tree_sitter::{Node, Tree};

use self::binders::{Context, contexts};
use self::eval::{Eval, Expr};
use self::index::FileIndex;
use self::syntax::{arguments, call_method, is_function};
use super::common::node_location;
use crate::registry::FileContext;

/// Substrings without which a file declares nothing this module recognises.
const PREFILTER: &[&str] = &[
    ".tool",
    ".registerTool",
    ".prompt",
    ".registerPrompt",
    ".resource",
    ".registerResource",
    ".addTool",
    ".addPrompt",
    ".addResource",
    ".setRequestHandler",
    "instructions",
];

/// Whether `text` contains one of the [`PREFILTER`] substrings (one Aho-Corasick pass).
pub fn might_declare(text: &str) -> bool {
    static MARKERS: LazyLock<AhoCorasick> =
        LazyLock::new(|| crate::text::keywords(PREFILTER).expect("valid patterns"));
    MARKERS.is_match(text)
}

/// Extracts the tools, prompts, resources and server instructions declared in `file`.
pub fn extract(file: &FileContext<'_>, tree: &Tree) -> Inventory {
    if !might_declare(file.text) {
        return Inventory::default();
    }
    let index = FileIndex::build(tree, file.text);
    let mut extractor = Extractor {
        path: file.path,
        eval: Eval::new(file.text, &index),
        out: Inventory::default(),
    };
    let dispatch = low_level::Dispatch::collect(&extractor.eval, &index.sdk_calls);
    for &call in &index.sdk_calls {
        let Some(method) = call_method(call, file.text) else {
            continue;
        };
        if !has_call_shape(call, method) {
            continue;
        }
        extractor.eval.begin_call();
        for context in contexts(&extractor.eval, call) {
            match method {
                "setRequestHandler" => {
                    low_level::extract(&mut extractor, call, &context, &dispatch)
                }
                "addTool" | "addPrompt" | "addResource" | "addResourceTemplate" => {
                    fastmcp::extract(&mut extractor, call, method, &context);
                }
                _ => mcp_server::extract(&mut extractor, call, method, &context),
            }
        }
    }
    for &construction in &index.constructions {
        if !instructions::may_declare(&extractor.eval, construction) {
            continue;
        }
        extractor.eval.begin_call();
        for context in contexts(&extractor.eval, construction) {
            instructions::extract(&mut extractor, construction, &context);
        }
    }
    extractor.finish()
}

/// A syntactic check of a call's arity and argument kinds against `method`'s SDK
/// signature, made before any evaluation so that the many unrelated `.prompt(…)` or
/// `.resource(…)` calls of a bundle cost nothing.
fn has_call_shape(call: Node<'_>, method: &str) -> bool {
    let args = arguments(call);
    let count = args.len();
    let callback_like = |node: Option<&Node<'_>>| {
        node.is_some_and(|n| {
            is_function(*n)
                || matches!(
                    n.kind(),
                    "identifier" | "member_expression" | "call_expression" | "subscript_expression"
                )
        })
    };
    let name_like = args.first().is_some_and(|n| {
        matches!(
            n.kind(),
            "string"
                | "template_string"
                | "identifier"
                | "member_expression"
                | "binary_expression"
                | "subscript_expression"
                | "call_expression"
                | "as_expression"
        )
    });
    let last = args.last();
    match method {
        "tool" | "prompt" => (2..=5).contains(&count) && name_like && callback_like(last),
        "resource" => (3..=4).contains(&count) && name_like && callback_like(last),
        "registerTool" | "registerPrompt" => count == 3 && name_like && callback_like(last),
        "registerResource" => count == 4 && name_like && callback_like(last),
        "addTool" | "addPrompt" | "addResource" | "addResourceTemplate" => {
            count == 1
                && matches!(
                    args[0].kind(),
                    "object" | "identifier" | "member_expression"
                )
        }
        "setRequestHandler" => count == 2 && callback_like(last),
        _ => false,
    }
}

/// Extraction state for one file.
struct Extractor<'a> {
    path: &'a str,
    eval: Eval<'a>,
    out: Inventory,
}

/// A statically known item name, with the nodes its value was resolved through.
struct Name<'a> {
    value: String,
    trail: Vec<Node<'a>>,
}

impl<'a> Extractor<'a> {
    fn location(&self, node: Node<'_>) -> Location {
        node_location(self.path, self.eval.text, node)
    }

    /// The fully known name `expr` evaluates to.
    fn name(&self, expr: &Expr<'a>) -> Option<Name<'a>> {
        let value = self.eval.string(expr).filter(|v| !v.is_empty())?;
        let (_, trail) = self.eval.resolve_trail(expr);
        Some(Name { value, trail })
    }

    /// The node that declares an item: of the call and the table elements / wrapper
    /// call sites it was evaluated for, the smallest one that contains the literal the
    /// name came from (or, failing that, an earlier step of its resolution).
    fn declaring_node(&self, call: Node<'a>, context: &Context<'a>, name: &Name<'a>) -> Node<'a> {
        let candidates = || std::iter::once(call).chain(context.origins.iter().copied());
        for step in name.trail.iter().rev() {
            let best = candidates()
                .filter(|c| c.start_byte() <= step.start_byte() && step.end_byte() <= c.end_byte())
                .min_by_key(|c| c.end_byte() - c.start_byte());
            if let Some(best) = best {
                return best;
            }
        }
        call
    }

    /// The location of [`Extractor::declaring_node`].
    fn declared_at(&self, call: Node<'a>, context: &Context<'a>, name: &Name<'a>) -> Location {
        self.location(self.declaring_node(call, context, name))
    }

    /// The location of the function `expr` refers to, if it is one.
    fn handler(&self, expr: Option<Expr<'a>>) -> Option<Location> {
        let function = self.eval.function(&expr?)?;
        Some(self.location(function.node))
    }

    /// Deduplicates (one call evaluated in several contexts can declare the same item
    /// twice) and sorts.
    fn finish(mut self) -> Inventory {
        fn dedup<T>(items: &mut Vec<T>, key: impl Fn(&T) -> (String, Location)) {
            let mut seen = std::collections::HashSet::new();
            items.retain(|item| seen.insert(key(item)));
        }
        dedup(&mut self.out.tools, |t| {
            (t.name.clone(), t.location.clone())
        });
        dedup(&mut self.out.prompts, |p| {
            (p.name.clone(), p.location.clone())
        });
        dedup(&mut self.out.resources, |r| {
            (r.name.clone(), r.location.clone())
        });
        dedup(&mut self.out.instructions, |i| {
            (i.text.clone(), i.location.clone())
        });
        self.out.sort();
        self.out
    }
}
