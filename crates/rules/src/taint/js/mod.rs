//! Taint analysis for JavaScript and TypeScript (source, compiled CommonJS and bundles).
//!
//! One walk over the file ([`walk`]) evaluates statements in source order with lexical
//! scopes, entering function bodies inline so closures see what they capture:
//!
//! * **Sources**: the parameters of the handlers the inventory found ([`handlers`]) —
//!   destructured arguments, `args.path`, `request.params.arguments` of low-level
//!   `CallTool` dispatch functions (flows are attributed to the `case`/`if` branch of
//!   each tool) — and untrusted remote data: HTTP client responses (`fetch`, `axios`,
//!   `got`, …), their bodies and headers, OAuth metadata fields read from them.
//! * **Propagation** ([`expr`], [`calls`]): assignments and destructuring, concatenation
//!   and template literals, arrays and object literals (per property), spreads, string
//!   methods, `path.join`/`resolve`, `await`, `.then`/`.map` callbacks, and calls into
//!   same-file functions through their summaries (parameter → sink, parameter → return
//!   value, bounded depth, memoised). Every hop is recorded for the flow's path.
//! * **Sinks** ([`sinks`]): shells, processes (`spawn`/`execFile` arguments: shells'
//!   `-c`, openers, leading arguments of option-parsing programs), code evaluation, file
//!   system paths, HTTP URLs (with credentials: credentials sent to the caller's host;
//!   data sent to a fixed host: outbound data), SQL built from strings, templates,
//!   unsafe deserialisation, URL openers.
//! * **Sanitizers** ([`guards`] and [`calls`]): allowlists, equality and anchored regex
//!   checks, `switch` over constants, leading-dash checks, `--`, numeric conversion,
//!   escaping/quoting helpers, `encodeURIComponent` behind a fixed host, host allowlists,
//!   and containment checks: `realpath` plus a separator-aware check clears a path; a
//!   check without `realpath`, on the unresolved path, or the naive `startsWith(root)`
//!   keeps the flow at lower confidence with a note saying why.
//!
//! Exported and module-level functions get a [`FunctionSummary`] and calls to imported
//! functions become [`crate::taint::TaintedCall`]s, for [`crate::taint::link`]. Flows
//! from remote data are reported for every sink kind; the rules choose the pairs they
//! claim (`AS210` takes remote data into commands, code and URL openers).
//!
//! Work is bounded per file (a budget of visits, a cap on origins per value and hops
//! per path), so minified bundles stay fast.

mod calls;
mod effects;
mod expr;
mod guards;
mod handlers;
mod index;
mod locate;
mod names;
mod report;
mod sinks;
mod syntax;
mod value;
mod walk;

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use assay_core::Inventory;
use tree_sitter::Tree;

use self::handlers::within;
use self::index::FileIndex;
use self::walk::Analyzer;
use super::{FileSummary, FunctionSummary, SourceKind, TaintFlow, TaintedCall};
use crate::registry::FileContext;

pub(crate) use self::names::module_of;

/// Words that name a source or sink this module knows. Matches must start at a word
/// boundary, so `prefs.` does not read as `fs.`.
const PREFILTER: &[&str] = &[
    "child_process",
    "execSync",
    "execFile",
    "spawn",
    "execa",
    "shelljs",
    "eval(",
    "Function(",
    "vm.",
    "\"vm\"",
    "'vm'",
    "fs.",
    "\"fs\"",
    "'fs'",
    "fs/promises",
    "fs-extra",
    "fsp.",
    "readFile",
    "writeFile",
    "fetch(",
    "axios",
    "\"got\"",
    "'got'",
    "undici",
    "http.get",
    "https.get",
    "http.request",
    "https.request",
    "query(",
    "raw(",
    "yaml",
    "serialize",
    "open(",
    "\"open\"",
    "'open'",
    "ejs",
    "handlebars",
    "pug",
    "nunjucks",
    "template(",
    "WebSocket",
];

static PATTERNS: LazyLock<AhoCorasick> =
    LazyLock::new(|| crate::text::keywords(PREFILTER).expect("valid prefilter patterns"));

/// How a module imports a sibling module (`from "./api.js"`, `require("../lib")`).
const RELATIVE_IMPORTS: &[&str] = &[
    "from \"./",
    "from './",
    "from \"../",
    "from '../",
    "require(\"./",
    "require('./",
    "require(\"../",
    "require('../",
];

/// How a module exports functions to its siblings.
const EXPORTS: &[&str] = &["export ", "exports."];

static LINKS: LazyLock<(AhoCorasick, AhoCorasick)> = LazyLock::new(|| {
    let automaton = |words: &[&str]| AhoCorasick::new(words).expect("valid link patterns");
    (automaton(RELATIVE_IMPORTS), automaton(EXPORTS))
});

/// Whether the file may hold a source or sink this module knows, or may pass data from
/// one module of the package on to another (it exports functions and imports a sibling
/// module: `operations/issues.js` between the handlers and `common/client.js`), so it
/// must be parsed for the cross-file flows to be complete.
pub fn might_matter(text: &str) -> bool {
    let bytes = text.as_bytes();
    let names_a_sink = PATTERNS.find_iter(text).any(|m| {
        m.start() == 0 || {
            let before = bytes[m.start() - 1];
            !(before.is_ascii_alphanumeric() || before == b'_' || before == b'$')
        }
    });
    let (imports, exports) = &*LINKS;
    names_a_sink || (imports.is_match(text) && exports.is_match(text))
}

/// Summarises one file: its flows, function summaries, tainted calls to other modules,
/// and the effects of its handlers.
pub fn summarize(file: &FileContext<'_>, tree: &Tree, inventory: &Inventory) -> FileSummary {
    syntax::use_language(file.language);
    let root = tree.root_node();
    let text = file.text;
    let handlers = handlers::locate(root, text, inventory);
    let index = FileIndex::build(root, text, file.path, handlers.starts());
    let mut analyzer = Analyzer::new(root, text, file.path, index, handlers.bindings.clone());
    analyzer.walk_program(root);

    let module = module_of(file.path);
    let mut functions = Vec::new();
    for (name, function) in &analyzer.index.exports {
        let Some(summary) = analyzer.summaries.get(&function.id()) else {
            continue;
        };
        if summary.flows.is_empty() && summary.forwards.is_empty() {
            continue;
        }
        functions.push(FunctionSummary {
            module: module.clone(),
            name: name.clone(),
            flows: summary.flows.clone(),
            forwards: summary.forwards.clone(),
        });
    }

    let found = std::mem::take(&mut analyzer.found);
    let mut flows = found.flows;
    let mut calls = found.calls;
    for flow in &mut flows {
        attribute(
            &handlers.branches,
            &flow.steps,
            &mut flow.tool,
            &mut flow.source,
        );
    }
    for call in &mut calls {
        attribute(
            &handlers.branches,
            &call.steps,
            &mut call.tool,
            &mut call.source,
        );
    }
    dedup_flows(&mut flows);
    dedup_calls(&mut calls);

    FileSummary {
        handlers: effects::handler_effects(&handlers.entries, &analyzer.index, text, file.path),
        flows,
        functions,
        calls,
    }
}

/// Names the tool of a flow from a low-level dispatch function by the innermost branch
/// one of its hops lies in.
fn attribute(
    branches: &[handlers::Branch],
    steps: &[assay_core::FlowStep],
    tool: &mut Option<String>,
    source: &mut SourceKind,
) {
    if tool.is_some() || branches.is_empty() {
        return;
    }
    let SourceKind::ToolParameter {
        tool: source_tool, ..
    } = source
    else {
        return;
    };
    let found = steps.iter().rev().find_map(|step| {
        branches
            .iter()
            .filter(|b| within(&b.span, &step.location))
            .min_by_key(|b| (b.span.end_line - b.span.line, b.span.end_column))
    });
    let name = match found {
        Some(branch) => Some(branch.tool.clone()),
        None => {
            let mut names: Vec<&str> = branches.iter().map(|b| b.tool.as_str()).collect();
            names.dedup();
            (names.len() == 1).then(|| names[0].to_string())
        }
    };
    if let Some(name) = name {
        *source_tool = Some(name.clone());
        *tool = Some(name);
    }
}

/// One flow per (sink, source, kind): the one naming a tool, then the most confident,
/// then the shortest path.
fn dedup_flows(flows: &mut Vec<TaintFlow>) {
    flows.sort_by_cached_key(|f| {
        (
            f.steps.last().map(|s| s.location.clone()),
            f.sink,
            format!("{:?}", f.source),
            f.tool.is_none(),
            std::cmp::Reverse(f.confidence),
            f.steps.len(),
            f.steps
                .iter()
                .map(|s| s.message.clone())
                .collect::<Vec<_>>(),
        )
    });
    flows.dedup_by(|b, a| {
        a.steps.last().map(|s| &s.location) == b.steps.last().map(|s| &s.location)
            && a.sink == b.sink
            && a.source == b.source
    });
}

/// One tainted call per (call site, target, source).
fn dedup_calls(calls: &mut Vec<TaintedCall>) {
    calls.sort_by_cached_key(|c| {
        (
            c.steps.last().map(|s| s.location.clone()),
            format!("{:?}{:?}", c.call, c.source),
            c.tool.is_none(),
            std::cmp::Reverse(c.confidence),
            c.steps.len(),
        )
    });
    calls.dedup_by(|b, a| {
        a.steps.last().map(|s| &s.location) == b.steps.last().map(|s| &s.location)
            && a.call == b.call
            && a.source == b.source
    });
}

#[cfg(test)]
mod tests {
    use super::might_matter;

    #[test]
    fn prefilter_is_tight() {
        assert!(might_matter("import { exec } from 'child_process';"));
        assert!(might_matter("const r = await fetch(url);"));
        assert!(might_matter("await fs.readFile(p)"));
        assert!(!might_matter("const prefs.x = 1; refetch(a); reopen(b);"));
        assert!(!might_matter("export const add = (a, b) => a + b;"));
    }
}
