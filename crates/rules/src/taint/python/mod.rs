//! Python taint analysis.
//!
//! | module | holds |
//! |---|---|
//! | [`index`], [`imports`] | the file's functions, classes, constants and imports (module paths for cross-file calls) |
//! | [`engine`] | the analyser: one memoised [`engine::Summary`] per function, parameters tainted by their index |
//! | [`stmt`], [`eval`], [`calls`] | propagation through statements, expressions and calls (same-file calls replay the callee's summary, bounded depth) |
//! | [`guards`] | sanitising checks: allowlists, strict regexes, dash checks, host allowlists, path containment |
//! | [`sinks`], [`argv`], [`http`] | sinks by kind, argument vectors without a shell, HTTP clients (responses are remote data) |
//! | [`effects`] | side effects of handlers |
//! | [`handlers`], [`convert`] | the inventory's handlers as sources, and the [`FileSummary`] |
//!
//! Decisions worth knowing: local file contents (`open(p).read()`) are not taint (the
//! caller chooses which file, not what it holds); a URL whose constant prefix fixes
//! `scheme://host/` is not an SSRF sink, the tainted path or query is outbound data
//! instead; SQL is a sink only when tainted text is formatted into the query string;
//! remote data is not reported as outbound data.

mod argv;
mod calls;
mod convert;
mod effects;
mod engine;
mod eval;
mod guards;
mod handlers;
mod http;
mod imports;
mod index;
mod sinks;
mod stmt;
mod value;

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use assay_core::Inventory;
use tree_sitter::Tree;

use super::FileSummary;
use crate::registry::FileContext;
use engine::Analyzer;
use index::FileIndex;

/// Text a Python file must contain to hold a sink or a remote-data source.
const PREFILTER: &[&str] = &[
    "subprocess",
    "os.system",
    "os.popen",
    "os.exec",
    "create_subprocess",
    "pty.spawn",
    "eval(",
    "exec(",
    "compile(",
    "open(",
    "pathlib",
    "shutil",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "os.listdir",
    "os.scandir",
    "os.makedirs",
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.walk",
    "os.startfile",
    "glob",
    "requests",
    "httpx",
    "urllib",
    "aiohttp",
    "execute(",
    "executemany(",
    "executescript(",
    "read_sql",
    "pickle",
    "yaml.load",
    "unsafe_load",
    "marshal",
    "dill",
    "jsonpickle",
    "shelve",
    "joblib",
    "torch.load",
    "jinja2",
    "Template(",
    "from_string(",
    "render_template_string",
    "webbrowser",
    "send_file",
    "FileResponse",
    "click.launch",
];

/// Whether the file may hold a source or sink this module knows.
pub fn might_matter(text: &str) -> bool {
    static PATTERNS: LazyLock<AhoCorasick> =
        LazyLock::new(|| crate::text::keywords(PREFILTER).expect("valid patterns"));
    PATTERNS.is_match(text)
}

/// Summarises one file: flows from the inventory's handler parameters and from remote
/// data, tainted calls into other modules, summaries of exported functions, and the
/// effects of the file's handlers.
pub fn summarize(file: &FileContext<'_>, tree: &Tree, inventory: &Inventory) -> FileSummary {
    let root = tree.root_node();
    let index = FileIndex::new(file.path, file.text, root);
    let analyzer = Analyzer::new(&index);
    let handlers = handlers::find(&index, inventory);
    let module = analyzer.module_summary(root);
    convert::file_summary(&analyzer, &handlers, &module)
}
