//! Go taint analysis: tool parameters (mcp-go request getters, the official SDK's typed
//! inputs) and untrusted remote data flowing into dangerous sinks.
//!
//! | module | holds |
//! |---|---|
//! | [`index`] | the file's imports, functions, methods, structs (JSON field names) and package values |
//! | [`value`] | abstract values: labels (origin, hops, sanitizer state) and object shapes |
//! | [`interp`] | the statement walk, branch joins, function summaries (memoised, bounded) |
//! | [`expr`] | expressions and assignments |
//! | [`calls`] | builtins, package functions, methods, same-file and cross-file calls |
//! | [`stdlib`] | what standard-library functions do to taint; literal helpers |
//! | [`sources`] | MCP arguments, parameters of summarised functions, remote data |
//! | [`sinks`] | the sinks, per [`SinkKind`](crate::taint::SinkKind) |
//! | [`guards`] | sanitizer guards in `if`/`switch` conditions |
//! | [`effects`] | side effects of calls (for [`HandlerEffects`]) |
//! | [`handlers`] | the inventory's handlers and registrations of handlers in other files |
//!
//! Calls resolve by name: same-package functions (bare names, module = the file's
//! directory), methods of the package's types (`Type.method`), and functions of other
//! packages of the snapshot through their import path (the last one to four segments are
//! tried as directories). Work per file is bounded.

mod calls;
mod effects;
mod expr;
mod guards;
mod handlers;
mod index;
mod interp;
mod sinks;
mod sources;
mod stdlib;
mod value;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use assay_core::Inventory;
use tree_sitter::Tree;

use super::{FileSummary, FunctionSummary, HandlerEffects, TaintFlow};
use crate::registry::FileContext;
use index::FileIndex;
use interp::Interp;

/// Text that a Go file with a source or sink this module knows must contain.
const CUES: &[&str] = &[
    "os/exec",
    "syscall.Exec",
    "os.StartProcess",
    "os.Open",
    "os.ReadFile",
    "os.WriteFile",
    "os.Create",
    "os.Remove",
    "os.Mkdir",
    "os.ReadDir",
    "os.Rename",
    "os.Symlink",
    "os.DirFS",
    "ioutil",
    "filepath.Walk",
    "http.Get",
    "http.Post",
    "http.Head",
    "http.NewRequest",
    "http.Client",
    "http.DefaultClient",
    "http.ServeFile",
    "net.Dial",
    "database/sql",
    "sqlx",
    "pgx",
    "gorm",
    "text/template",
    "html/template",
    "encoding/gob",
    "yaml",
    "traefik/yaegi",
    "dop251/goja",
    "robertkrimen/otto",
    "plugin.Open",
    "browser.Open",
    "CallToolRequest",
    "GetPromptRequest",
    "ReadResourceRequest",
];

/// Whether the file may hold a source or sink this module knows.
pub fn might_matter(text: &str) -> bool {
    static CUE_MATCHER: LazyLock<AhoCorasick> =
        LazyLock::new(|| crate::text::keywords(CUES).expect("valid patterns"));
    CUE_MATCHER.is_match(text)
}

/// Summarises one file: flows complete in the file, summaries of its functions for
/// callers elsewhere, tainted calls to functions elsewhere, and the effects of its
/// handlers.
pub fn summarize(file: &FileContext<'_>, tree: &Tree, inventory: &Inventory) -> FileSummary {
    let root = tree.root_node();
    let ix = FileIndex::new(file.path, file.text, root);
    let mut interp = Interp::new(&ix);
    let mut out = FileSummary::default();

    let found = handlers::handlers(&ix, root, inventory);
    let handler_ids: HashSet<usize> = found.iter().map(|h| h.function.id()).collect();
    for handler in &found {
        let mut frame = interp.frame(handler.function, Some(handler.tool.clone()));
        interp.seed_handler(&mut frame, Some(&handler.tool), &handler.params);
        let frame = interp.run(frame);
        out.handlers.push(HandlerEffects {
            tool: handler.tool.clone(),
            handler: handler.location.clone(),
            effects: frame.effects,
        });
    }
    for function in ix.declarations() {
        // Handler-shaped functions registered elsewhere (or through wrappers the
        // inventory cannot follow) still read tool parameters.
        if !handler_ids.contains(&function.id()) && interp.takes_request(function) {
            let mut frame = interp.frame(function, None);
            interp.seed_handler(&mut frame, None, &[]);
            interp.run(frame);
        }
        let (Some(summary), Some(name)) = (interp.summary(function), ix.summary_name(function))
        else {
            continue;
        };
        if !summary.flows.is_empty() || !summary.forwards.is_empty() {
            out.functions.push(FunctionSummary {
                module: ix.dir.clone(),
                name,
                flows: summary.flows.clone(),
                forwards: summary.forwards.clone(),
            });
        }
    }
    out.flows = dedup_flows(std::mem::take(&mut interp.flows));
    out.calls = std::mem::take(&mut interp.calls);
    out.calls
        .extend(handlers::registrations(&ix, root, inventory));
    out
}

/// Drops repeated flows and flows without a tool that are also found with one (a
/// handler's remote-data flows are seen both in its handler walk and in its summary).
fn dedup_flows(flows: Vec<TaintFlow>) -> Vec<TaintFlow> {
    let mut out: Vec<TaintFlow> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for flow in flows {
        let key = format!(
            "{:?}|{:?}|{}|{:?}",
            flow.sink,
            flow.source,
            flow.sink_callee,
            flow.steps
                .iter()
                .map(|s| (&s.location, &s.message))
                .collect::<Vec<_>>()
        );
        match seen.get(&key) {
            Some(&i) => {
                if out[i].tool.is_none() {
                    out[i].tool = flow.tool;
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(flow);
            }
        }
    }
    out
}
