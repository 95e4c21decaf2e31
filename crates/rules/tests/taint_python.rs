//! Python taint analysis on fixtures under `fixtures/taint/python/`: every sink kind with
//! a vulnerable and a fixed variant (FastMCP, standalone fastmcp, the low-level server),
//! remote-data sources, sanitizers, weak containment checks, cross-file linking and
//! handler effects.

use std::fmt::Write as _;

use assay_core::Confidence;
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::taint::{self, EffectKind, FileSummary, SinkKind, SourceKind, TaintFlow};
use assay_rules::{FileContext, PathContext, inventory};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/taint/python/");

fn summarize_source(path: &str, text: &str) -> FileSummary {
    let tree = lang::parse(Language::Python, text, &ParseBudget::default()).expect("parses");
    let file = FileContext::new(path, text, Language::Python, Some(&tree));
    let inventory = inventory::extract(&file);
    taint::summarize(&file, &inventory)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}{name}")).expect("fixture exists")
}

/// Summary of fixture `name` as the file `src/<name>`.
fn summary(name: &str) -> FileSummary {
    let text = fixture(name);
    assert!(
        taint::python::might_matter(&text),
        "{name} passes the prefilter"
    );
    summarize_source(&format!("src/{name}"), &text)
}

fn flows(name: &str) -> Vec<TaintFlow> {
    taint::link(&[summary(name)])
}

/// `(tool, parameter or remote data, sink)` of every flow.
fn triples(flows: &[TaintFlow]) -> Vec<(String, String, SinkKind)> {
    let mut out: Vec<_> = flows
        .iter()
        .map(|f| {
            let source = match &f.source {
                SourceKind::ToolParameter { param, .. } => param.clone(),
                SourceKind::RemoteData { what } => format!("remote: {what}"),
            };
            (f.tool.clone().unwrap_or_default(), source, f.sink)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn triple(tool: &str, source: &str, sink: SinkKind) -> (String, String, SinkKind) {
    (tool.to_string(), source.to_string(), sink)
}

/// A reviewable rendering of flows: sink, confidence, source, tool and every hop.
fn render(flows: &[TaintFlow]) -> String {
    let mut out = String::new();
    for f in flows {
        let source = match &f.source {
            SourceKind::ToolParameter { tool, param } => {
                format!("param {param} of {}", tool.as_deref().unwrap_or("?"))
            }
            SourceKind::RemoteData { what } => format!("remote {what}"),
        };
        let _ = writeln!(
            out,
            "{:?} [{:?}] {source} -> {} | {}",
            f.sink, f.confidence, f.sink_callee, f.sink_snippet
        );
        for step in &f.steps {
            let _ = writeln!(
                out,
                "    {}:{}:{} {}",
                step.location.path, step.location.line, step.location.column, step.message
            );
        }
    }
    out
}

fn assert_no_flows(name: &str) {
    let flows = flows(name);
    assert!(flows.is_empty(), "{name}:\n{}", render(&flows));
}

#[test]
fn prefilter_is_tight() {
    assert!(taint::python::might_matter("import subprocess\n"));
    assert!(taint::python::might_matter("data = yaml.load(x)\n"));
    assert!(taint::python::might_matter("r = httpx.get(u)\n"));
    assert!(!taint::python::might_matter(
        "from dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x: int\n    y: int\n"
    ));
    assert!(!taint::python::might_matter(
        "def add(a, b):\n    return a + b\n"
    ));
}

#[test]
fn command_injection_vulnerable() {
    let flows = flows("command_vulnerable.py");
    insta::assert_snapshot!("command_vulnerable", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("archive", "directory", SinkKind::Command),
            triple("ping", "host", SinkKind::Command),
            triple("run_script", "args", SinkKind::Command),
            triple("run_script", "name", SinkKind::Command),
            triple("split_and_run", "cmdline", SinkKind::Command),
        ]
    );
    assert!(
        flows
            .iter()
            .all(|f| f.confidence == Confidence::High && f.context == PathContext::Production)
    );
    let ping = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("ping"))
        .unwrap();
    assert_eq!(ping.sink_callee, "os.popen");
    assert_eq!(ping.steps[0].message, "tool parameter `host` of `ping`");
    assert_eq!(ping.steps.first().unwrap().location.line, 11);
    assert_eq!(ping.steps.last().unwrap().location.line, 13);
}

#[test]
fn command_injection_fixed() {
    assert_no_flows("command_fixed.py");
}

#[test]
fn argument_injection_vulnerable() {
    let flows = flows("argument_vulnerable.py");
    insta::assert_snapshot!("argument_vulnerable", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("fetch", "url", SinkKind::Argument),
            triple("git_log", "ref", SinkKind::Argument),
            triple("search", "path", SinkKind::Argument),
            triple("search", "pattern", SinkKind::Argument),
        ]
    );
}

#[test]
fn argument_injection_fixed() {
    assert_no_flows("argument_fixed.py");
}

#[test]
fn code_evaluation() {
    let flows = flows("codeeval_vulnerable.py");
    insta::assert_snapshot!("codeeval_vulnerable", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("calculate", "expression", SinkKind::CodeEval),
            triple("run_python", "code", SinkKind::CodeEval),
            triple("transform", "expr", SinkKind::CodeEval),
        ]
    );
    let restricted = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("calculate"))
        .unwrap();
    assert_eq!(
        restricted.confidence,
        Confidence::Medium,
        "restricted globals are still a finding, at medium confidence"
    );
    assert_eq!(
        flows
            .iter()
            .filter(|f| f.tool.as_deref() == Some("run_python"))
            .count(),
        1,
        "exec(compile(code)) is one root cause"
    );
    assert_no_flows("codeeval_fixed.py");
}

#[test]
fn path_traversal_and_weak_containment() {
    let flows = flows("path_vulnerable.py");
    insta::assert_snapshot!("path_vulnerable", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("delete", "path", SinkKind::PathAccess),
            triple("read_checked", "name", SinkKind::PathAccess),
            triple("read_file", "name", SinkKind::PathAccess),
            triple("read_note", "note", SinkKind::PathAccess),
            triple("write_checked", "name", SinkKind::PathAccess),
        ]
    );
    let confidence = |tool: &str| {
        flows
            .iter()
            .filter(|f| f.tool.as_deref() == Some(tool))
            .map(|f| f.confidence)
            .collect::<Vec<_>>()
    };
    assert_eq!(confidence("read_file"), [Confidence::High]);
    assert_eq!(confidence("delete"), [Confidence::High, Confidence::High]);
    assert_eq!(confidence("read_checked"), [Confidence::Medium]);
    assert_eq!(confidence("write_checked"), [Confidence::Medium]);
    let says = |tool: &str, words: &str| {
        flows
            .iter()
            .filter(|f| f.tool.as_deref() == Some(tool))
            .any(|f| f.steps.iter().any(|s| s.message.contains(words)))
    };
    assert!(says("read_checked", "no trailing separator"));
    assert!(says("write_checked", "without `realpath`"));
}

#[test]
fn path_traversal_fixed() {
    assert_no_flows("path_fixed.py");
}

#[test]
fn ssrf_credentials_and_outbound_data_in_a_lowlevel_server() {
    let flows = flows("ssrf_vulnerable.py");
    insta::assert_snapshot!("ssrf_vulnerable", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("api_get", "endpoint", SinkKind::Url),
            triple("api_get", "endpoint", SinkKind::CredentialToHost),
            triple("fetch", "url", SinkKind::Url),
            triple("raw", "address", SinkKind::Url),
            triple("save_note", "text", SinkKind::OutboundData),
        ]
    );
    let fetch = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("fetch"))
        .unwrap();
    assert!(
        fetch
            .steps
            .iter()
            .any(|s| s.message.contains("arguments[\"url\"]")),
        "the argument read is a hop"
    );
}

#[test]
fn ssrf_fixed() {
    assert_no_flows("ssrf_fixed.py");
}

#[test]
fn sql_template_and_deserialization() {
    let sql = flows("sql_vulnerable.py");
    let template = flows("template_vulnerable.py");
    let deserialize = flows("deserialize_vulnerable.py");
    insta::assert_snapshot!("sql_vulnerable", render(&sql));
    insta::assert_snapshot!("template_vulnerable", render(&template));
    insta::assert_snapshot!("deserialize_vulnerable", render(&deserialize));
    assert_eq!(
        triples(&sql),
        vec![
            triple("count_orders", "status", SinkKind::Sql),
            triple("find_user", "name", SinkKind::Sql),
            triple("run_migration", "table", SinkKind::Sql),
        ]
    );
    assert_eq!(
        triples(&template),
        vec![
            triple("page", "title", SinkKind::Template),
            triple("render", "template", SinkKind::Template),
            triple("render_env", "source", SinkKind::Template),
        ]
    );
    assert_eq!(
        triples(&deserialize),
        vec![
            triple("load_code", "blob", SinkKind::Deserialize),
            triple("load_config", "document", SinkKind::Deserialize),
            triple("load_default", "document", SinkKind::Deserialize),
            triple("load_state", "blob", SinkKind::Deserialize),
        ]
    );
    assert_no_flows("sql_fixed.py");
    assert_no_flows("template_fixed.py");
    assert_no_flows("deserialize_fixed.py");
}

#[test]
fn remote_data_sources() {
    let summary = summary("remote_data.py");
    let flows = taint::link(std::slice::from_ref(&summary));
    insta::assert_snapshot!("remote_data", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("", "remote: HTTP response body", SinkKind::CodeEval),
            triple(
                "",
                "remote: `WWW-Authenticate` response header",
                SinkKind::Command
            ),
            triple("login", "issuer", SinkKind::Url),
            triple(
                "login",
                "remote: OAuth metadata `authorization_endpoint`",
                SinkKind::OpenExternal
            ),
        ]
    );
    // Functions no handler calls are summarised for callers in other files.
    let open_docs = summary
        .functions
        .iter()
        .find(|f| f.name == "open_docs")
        .expect("open_docs summarised");
    assert_eq!(open_docs.module, "src/remote_data");
    assert_eq!(open_docs.flows.len(), 1);
    assert_eq!(open_docs.flows[0].sink, SinkKind::OpenExternal);
    assert_eq!(open_docs.flows[0].param_index, 0);
}

#[test]
fn helpers_are_judged_on_what_their_callers_pass() {
    let flows = flows("helpers.py");
    insta::assert_snapshot!("helpers", render(&flows));
    // `--` and option values in the caller's list, a fixed program with `--`, a
    // sandboxed jinja2 environment and a containment helper leave no flow; a leading
    // revision and a caller-chosen program do.
    assert_eq!(
        triples(&flows),
        vec![
            triple("log", "rev", SinkKind::Argument),
            triple("version", "program", SinkKind::Command),
        ]
    );
}

#[test]
fn sanitizers_leave_no_flows() {
    assert_no_flows("sanitizers.py");
}

#[test]
fn cross_file_flows_link_through_imports() {
    let dir = "crossfile/pkg/";
    let summaries: Vec<FileSummary> = ["server", "git_ops", "files", "util", "archive"]
        .iter()
        .map(|m| {
            summarize_source(
                &format!("src/pkg/{m}.py"),
                &fixture(&format!("{dir}{m}.py")),
            )
        })
        .collect();
    let flows = taint::link(&summaries);
    insta::assert_snapshot!("crossfile", render(&flows));
    assert_eq!(
        triples(&flows),
        vec![
            triple("document", "name", SinkKind::PathAccess),
            triple("pack", "target", SinkKind::Command),
            triple("remove", "name", SinkKind::PathAccess),
            triple("show", "ref", SinkKind::Argument),
        ]
    );
    for flow in &flows {
        let first = &flow.steps[0].location.path;
        let last = &flow.steps.last().unwrap().location.path;
        assert_eq!(first, "src/pkg/server.py");
        assert_ne!(last, "src/pkg/server.py", "the sink is in another module");
    }
    let remove = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("remove"))
        .unwrap();
    assert_eq!(
        remove.confidence,
        Confidence::Medium,
        "the path passes through a function of another module whose result is not followed"
    );
    // Without the callee modules nothing links.
    assert!(taint::link(&summaries[..1]).is_empty());
}

#[test]
fn handler_effects() {
    let summary = summary("effects_server.py");
    let effects = |tool: &str| {
        let handler = summary
            .handlers
            .iter()
            .find(|h| h.tool == tool)
            .unwrap_or_else(|| panic!("handler {tool}"));
        let mut kinds: Vec<EffectKind> = handler.effects.iter().map(|e| e.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    };
    assert_eq!(effects("status"), [EffectKind::Execute]);
    assert_eq!(effects("list_data"), [EffectKind::FileRead]);
    assert_eq!(
        effects("save"),
        [EffectKind::FileWrite, EffectKind::FileDelete]
    );
    assert_eq!(effects("report"), [EffectKind::Network]);
    let status = summary
        .handlers
        .iter()
        .find(|h| h.tool == "status")
        .unwrap();
    assert_eq!(status.effects[0].callee, "subprocess.run");
    assert_eq!(status.effects[0].location.line, 19, "found in the helper");
}

#[test]
fn lowlevel_handler_effects_are_per_branch() {
    let summary = summary("ssrf_vulnerable.py");
    let kinds = |tool: &str| {
        summary
            .handlers
            .iter()
            .find(|h| h.tool == tool)
            .map(|h| {
                h.effects
                    .iter()
                    .map(|e| e.location.line)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|| panic!("handler {tool}"))
    };
    assert_eq!(kinds("fetch"), [43]);
    assert_eq!(kinds("api_get"), [48]);
    assert_eq!(kinds("save_note"), [51]);
    assert_eq!(kinds("raw"), [54]);
}

#[test]
fn tests_and_examples_keep_their_context() {
    let text = fixture("command_vulnerable.py");
    let flows = taint::link(&[summarize_source("examples/server.py", &text)]);
    assert!(!flows.is_empty());
    assert!(flows.iter().all(|f| f.context == PathContext::Example));
}

#[test]
fn recursion_and_large_files_stay_bounded() {
    let mut text =
        String::from("import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n");
    text.push_str("def ping(a):\n    return pong(a)\n\ndef pong(a):\n    os.system(a)\n    return ping(a)\n\n");
    text.push_str("@mcp.tool()\ndef run(cmd: str) -> str:\n    return ping(cmd)\n\n");
    for i in 0..3000 {
        let _ = writeln!(text, "def f{i}(x):\n    return f{}(x + 'a')\n", i + 1);
    }
    let flows = taint::link(&[summarize_source("src/big.py", &text)]);
    assert_eq!(
        triples(&flows),
        vec![triple("run", "cmd", SinkKind::Command)]
    );
}

#[test]
fn gitpython_commands_expose_leading_arguments_as_options() {
    let text = r#"import git
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("git")


@mcp.tool()
def git_diff(repo_path: str, target: str) -> str:
    """Shows the diff against a target."""
    repo = git.Repo("/srv/repo")
    return repo.git.diff(target)


@mcp.tool()
def git_show(repo_path: str, revision: str) -> str:
    """Shows a revision."""
    repo = git.Repo("/srv/repo")
    return repo.git.show("--", revision)
"#;
    let flows = taint::link(&[summarize_source("server.py", text)]);
    let found = triples(&flows);
    assert!(
        found.contains(&triple("git_diff", "target", SinkKind::Argument)),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(tool, _, _)| tool == "git_show"),
        "arguments after `--` are never options: {found:?}"
    );
}
