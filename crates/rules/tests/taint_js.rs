//! Taint analysis for JavaScript and TypeScript: fixtures per sink kind with vulnerable
//! and fixed variants, snapshotted as readable flow listings, plus explicit assertions
//! on the properties that matter (which tools flow to which sinks, confidence, notes).

use std::fmt::Write as _;
use std::path::Path;

use assay_core::{Confidence, Inventory};
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::taint::{self, FileSummary, SinkKind, SourceKind, TaintFlow};
use assay_rules::{FileContext, inventory};

/// Summarises `source` as the file at `path`.
fn summarize_source(path: &str, source: &str) -> (Inventory, FileSummary) {
    let language = Language::from_path(path);
    let tree = lang::parse(language, source, &ParseBudget::default()).expect("fixture parses");
    let file = FileContext::new(path, source, language, Some(&tree));
    let inventory = inventory::extract(&file);
    let summary = taint::summarize(&file, &inventory);
    (inventory, summary)
}

fn fixture_text(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taint/js");
    std::fs::read_to_string(dir.join(name)).expect("fixture exists")
}

/// Summarises a fixture under `tests/fixtures/taint/js/`, named by its path there.
fn summarize_fixture(name: &str) -> FileSummary {
    summarize_source(name, &fixture_text(name)).1
}

fn source_name(source: &SourceKind) -> String {
    match source {
        SourceKind::ToolParameter { tool, param } => {
            format!("tool {} param {param}", tool.as_deref().unwrap_or("?"))
        }
        SourceKind::RemoteData { what } => format!("remote {what}"),
    }
}

/// A readable listing of flows: one header line per flow, then its hops.
fn render(flows: &[TaintFlow]) -> String {
    let mut out = String::new();
    for flow in flows {
        let _ = writeln!(
            out,
            "{:?} via `{}` from {} [{:?}]",
            flow.sink,
            flow.sink_callee,
            source_name(&flow.source),
            flow.confidence
        );
        for step in &flow.steps {
            let _ = writeln!(
                out,
                "    {}:{}:{} {}",
                step.location.path, step.location.line, step.location.column, step.message
            );
        }
    }
    out
}

/// (tool, sink kind) of every flow.
fn pairs(flows: &[TaintFlow]) -> Vec<(String, SinkKind)> {
    flows
        .iter()
        .map(|f| (f.tool.clone().unwrap_or_default(), f.sink))
        .collect()
}

fn flows_of<'f>(flows: &'f [TaintFlow], tool: &str) -> Vec<&'f TaintFlow> {
    flows
        .iter()
        .filter(|f| f.tool.as_deref() == Some(tool))
        .collect()
}

#[test]
fn command_injection_and_its_sanitizers() {
    let summary = summarize_fixture("command.ts");
    insta::assert_snapshot!("command", render(&summary.flows));
    let pairs = pairs(&summary.flows);
    for tool in ["git_log", "grep", "run"] {
        assert!(
            pairs.contains(&(tool.to_string(), SinkKind::Command)),
            "{tool} reaches a shell: {pairs:?}"
        );
    }
    for tool in ["git_show", "npm_run", "kill", "checkout"] {
        assert!(
            flows_of(&summary.flows, tool).is_empty(),
            "{tool} is sanitized: {pairs:?}"
        );
    }
    let git_log = flows_of(&summary.flows, "git_log")[0];
    assert_eq!(git_log.confidence, Confidence::High);
    let messages: Vec<&str> = git_log.steps.iter().map(|s| s.message.as_str()).collect();
    assert_eq!(messages[0], "tool parameter `ref`");
    assert!(messages.contains(&"assigned to `command`"));
    assert!(messages.last().unwrap().starts_with("reaches `execAsync"));
}

#[test]
fn argument_injection_needs_a_leading_position() {
    let summary = summarize_fixture("argument.ts");
    insta::assert_snapshot!("argument", render(&summary.flows));
    let pairs = pairs(&summary.flows);
    assert!(pairs.contains(&("clone".to_string(), SinkKind::Argument)));
    assert!(pairs.contains(&("download".to_string(), SinkKind::Argument)));
    for tool in ["clone_safe", "diff", "log"] {
        assert!(
            flows_of(&summary.flows, tool).is_empty(),
            "{tool} is safe: {pairs:?}"
        );
    }
    // `git clone <url> <dir>`: both positional values are caller-chosen.
    let clone = flows_of(&summary.flows, "clone");
    assert_eq!(clone.len(), 2, "{}", render(&summary.flows));
}

#[test]
fn path_traversal_and_containment_checks() {
    let summary = summarize_fixture("paths.ts");
    insta::assert_snapshot!("paths", render(&summary.flows));
    let only = |tool: &str| {
        let flows = flows_of(&summary.flows, tool);
        assert_eq!(flows.len(), 1, "{tool}: {}", render(&summary.flows));
        assert_eq!(flows[0].sink, SinkKind::PathAccess);
        flows[0].clone()
    };
    assert_eq!(only("read").confidence, Confidence::High);
    let naive = only("read_naive");
    assert_eq!(naive.confidence, Confidence::Medium);
    assert!(naive.steps.last().unwrap().message.contains("naive"));
    let write = only("write");
    assert_eq!(write.confidence, Confidence::Low);
    assert!(write.steps.last().unwrap().message.contains("symlinks"));
    let list = only("list");
    assert_eq!(list.confidence, Confidence::Medium);
    assert!(
        list.steps
            .iter()
            .any(|s| s.message == "passed to `validatePath(…)`")
            || list
                .steps
                .iter()
                .any(|s| s.message == "returned from `validatePath(…)`"),
        "{}",
        render(&summary.flows)
    );
    for tool in ["stat", "delete", "open_note"] {
        assert!(
            flows_of(&summary.flows, tool).is_empty(),
            "{tool} is contained: {}",
            render(&summary.flows)
        );
    }
}

#[test]
fn request_forgery_credentials_and_outbound_data() {
    let summary = summarize_fixture("ssrf.ts");
    insta::assert_snapshot!("ssrf", render(&summary.flows));
    let pairs = pairs(&summary.flows);
    assert!(pairs.contains(&("fetch_url".into(), SinkKind::Url)));
    assert!(pairs.contains(&("api_get".into(), SinkKind::Url)));
    assert!(pairs.contains(&("api_get".into(), SinkKind::CredentialToHost)));
    assert!(pairs.contains(&("share".into(), SinkKind::OutboundData)));
    let repo: Vec<SinkKind> = flows_of(&summary.flows, "repo")
        .iter()
        .map(|f| f.sink)
        .collect();
    assert_eq!(repo, vec![SinkKind::OutboundData], "fixed host: data only");
    assert!(
        flows_of(&summary.flows, "fetch_allowed").is_empty(),
        "{pairs:?}"
    );
    assert!(!pairs.contains(&("fetch_url".into(), SinkKind::CredentialToHost)));
}

#[test]
fn sql_template_deserialization_and_code_evaluation() {
    let summary = summarize_fixture("sinks_misc.ts");
    insta::assert_snapshot!("sinks_misc", render(&summary.flows));
    let pairs = pairs(&summary.flows);
    assert!(pairs.contains(&("find_user".into(), SinkKind::Sql)));
    assert!(pairs.contains(&("render".into(), SinkKind::Template)));
    assert!(pairs.contains(&("load".into(), SinkKind::Deserialize)));
    let load = flows_of(&summary.flows, "load");
    assert_eq!(
        load.len(),
        2,
        "yaml.load with the full schema and unserialize"
    );
    let calc = flows_of(&summary.flows, "calc");
    assert_eq!(
        calc.len(),
        3,
        "eval, new Function, vm: {}",
        render(&summary.flows)
    );
    assert!(calc.iter().all(|f| f.sink == SinkKind::CodeEval));
    for tool in ["find_user_safe", "greet", "load_safe", "calc_safe"] {
        assert!(
            flows_of(&summary.flows, tool).is_empty(),
            "{tool}: {pairs:?}"
        );
    }
}

/// The remote-data flows of a summary: (what, sink kind).
fn remote_flows(summary: &FileSummary) -> Vec<(&str, SinkKind)> {
    summary
        .flows
        .iter()
        .filter_map(|f| match &f.source {
            SourceKind::RemoteData { what } => Some((what.as_str(), f.sink)),
            SourceKind::ToolParameter { .. } => None,
        })
        .collect()
}

/// `provider.redirectToAuthorization(url)` on an interface-typed parameter resolves to the
/// file's only method of that name, so fetched OAuth metadata reaches its opener; a scheme
/// check in that method clears it.
#[test]
fn calls_on_untyped_objects_resolve_to_the_unique_method() {
    let vulnerable = summarize_fixture("oauth_provider.ts");
    insta::assert_snapshot!("oauth_provider", render(&vulnerable.flows));
    assert_eq!(
        remote_flows(&vulnerable),
        vec![("HTTP response body", SinkKind::OpenExternal)]
    );
    let fixed = summarize_fixture("oauth_provider_fixed.ts");
    assert_eq!(remote_flows(&fixed), vec![], "{}", render(&fixed.flows));
}

#[test]
fn remote_oauth_metadata_reaches_url_openers() {
    let summary = summarize_fixture("oauth.ts");
    insta::assert_snapshot!("oauth", render(&summary.flows));
    let remote: Vec<(&str, SinkKind)> = summary
        .flows
        .iter()
        .filter_map(|f| match &f.source {
            SourceKind::RemoteData { what } => Some((what.as_str(), f.sink)),
            SourceKind::ToolParameter { .. } => None,
        })
        .collect();
    assert!(
        remote.contains(&(
            "OAuth metadata `authorization_endpoint`",
            SinkKind::OpenExternal
        )),
        "{remote:?}"
    );
    assert!(
        remote.contains(&("`www-authenticate` response header", SinkKind::Command)),
        "{remote:?}"
    );
    assert!(
        !summary
            .flows
            .iter()
            .any(|f| f.sink_snippet.contains("notify-send")),
        "the status code is not data"
    );
}

#[test]
fn low_level_dispatch_branches_name_their_tools() {
    let summary = summarize_fixture("low_level.ts");
    insta::assert_snapshot!("low_level", render(&summary.flows));
    assert_eq!(
        pairs(&summary.flows),
        vec![
            ("read_log".to_string(), SinkKind::PathAccess),
            ("restart".to_string(), SinkKind::Command),
        ]
    );
    for flow in &summary.flows {
        let SourceKind::ToolParameter { tool, .. } = &flow.source else {
            panic!("tool input expected");
        };
        assert_eq!(tool, &flow.tool);
    }
}

#[test]
fn compiled_commonjs_reads_like_the_source() {
    let summary = summarize_fixture("compiled.js");
    insta::assert_snapshot!("compiled", render(&summary.flows));
    let pairs = pairs(&summary.flows);
    assert!(
        pairs.contains(&("exec".into(), SinkKind::Command)),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("cat".into(), SinkKind::PathAccess)),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("search".into(), SinkKind::Sql)),
        "{pairs:?}"
    );
    // `runQuery` is exported: callers in other modules can link to it.
    let run_query = summary
        .functions
        .iter()
        .find(|f| f.name == "runQuery")
        .expect("runQuery summarised");
    assert_eq!(run_query.module, "compiled");
    assert_eq!(run_query.flows.len(), 1);
    assert_eq!(run_query.flows[0].param_index, 1);
    assert_eq!(run_query.flows[0].sink, SinkKind::Sql);
}

#[test]
fn same_file_helpers_and_methods_carry_taint() {
    let summary = summarize_fixture("helpers.ts");
    insta::assert_snapshot!("helpers", render(&summary.flows));
    let flows = flows_of(&summary.flows, "git_op");
    assert_eq!(flows.len(), 1, "{}", render(&summary.flows));
    let flow = flows[0];
    assert_eq!(flow.sink, SinkKind::Command);
    assert_eq!(
        flow.source,
        SourceKind::ToolParameter {
            tool: Some("git_op".into()),
            param: "target".into()
        },
        "`op` is not used"
    );
    let messages: Vec<&str> = flow.steps.iter().map(|s| s.message.as_str()).collect();
    assert!(messages.contains(&"passed to `run(…)`"), "{messages:?}");
    assert!(
        messages.contains(&"passed to `runCommand(…)`"),
        "{messages:?}"
    );
}

#[test]
fn flows_link_across_modules() {
    let summaries: Vec<FileSummary> = [
        "cross/src/index.ts",
        "cross/src/git.ts",
        "cross/src/util/exec.ts",
        "cross/src/util/files.ts",
    ]
    .iter()
    .map(|p| summarize_fixture(p))
    .collect();
    // The handler's calls and the library functions' summaries.
    let git = &summaries[1];
    let status = git
        .functions
        .iter()
        .find(|f| f.name == "gitStatus")
        .expect("gitStatus");
    assert_eq!(status.module, "cross/src/git");
    assert_eq!(status.forwards.len(), 1);
    assert_eq!(
        status.forwards[0].call.module.as_deref(),
        Some("cross/src/util/exec")
    );
    assert_eq!(status.forwards[0].call.name, "execInRepo");
    assert!(
        git.functions.iter().all(|f| f.name != "safeStatus"),
        "the allowlist stops the forward"
    );
    let flows = taint::link(&summaries);
    insta::assert_snapshot!("cross_module", render(&flows));
    assert_eq!(
        pairs(&flows),
        vec![
            ("status".to_string(), SinkKind::Command),
            ("show".to_string(), SinkKind::PathAccess),
        ]
    );
    let status = &flows[0];
    let files: Vec<&str> = status
        .steps
        .iter()
        .map(|s| s.location.path.as_str())
        .collect();
    assert_eq!(files.first(), Some(&"cross/src/index.ts"));
    assert!(files.contains(&"cross/src/git.ts"));
    assert_eq!(files.last(), Some(&"cross/src/util/exec.ts"));
    assert_eq!(
        status.source,
        SourceKind::ToolParameter {
            tool: Some("status".into()),
            param: "repo".into()
        }
    );
}

#[test]
fn handler_effects_include_called_helpers() {
    let summary = summarize_fixture("effects.ts");
    let effects: Vec<(String, Vec<(taint::EffectKind, String)>)> = summary
        .handlers
        .iter()
        .map(|h| {
            (
                h.tool.clone(),
                h.effects
                    .iter()
                    .map(|e| (e.kind, e.callee.clone()))
                    .collect(),
            )
        })
        .collect();
    use taint::EffectKind::{Execute, FileDelete, FileRead, FileWrite, Network};
    assert_eq!(
        effects,
        vec![
            (
                "save_note".to_string(),
                vec![
                    (FileRead, "fs.readFile".to_string()),
                    (Network, "fetch".to_string()),
                    (FileWrite, "fs.writeFile".to_string()),
                ]
            ),
            (
                "purge".to_string(),
                vec![
                    (FileDelete, "fs.rm".to_string()),
                    (Execute, "execFile".to_string())
                ]
            ),
            ("count".to_string(), vec![]),
        ]
    );
    let save = &summary.handlers[0];
    assert_eq!(save.handler.path, "effects.ts");
    // The note's text is sent off-host (outbound data) and its name reaches a path.
    let pairs = pairs(&summary.flows);
    assert!(
        pairs.contains(&("save_note".into(), SinkKind::PathAccess)),
        "{pairs:?}"
    );
}

#[test]
fn fastmcp_execute_arguments_are_sources() {
    let summary = summarize_fixture("fastmcp.ts");
    insta::assert_snapshot!("fastmcp", render(&summary.flows));
    let sources: Vec<String> = summary
        .flows
        .iter()
        .map(|f| source_name(&f.source))
        .collect();
    // `count` is validated as a number by the schema: it carries no text.
    assert_eq!(sources, vec!["tool ping_host param host".to_string()]);
    assert!(summary.flows.iter().all(|f| f.sink == SinkKind::Command));
}

/// A webpack-style bundle of copies of a module mixing helpers, sinks and remote data,
/// minified onto few lines, of at least `bytes` bytes; with `handlers`, every copy
/// registers a tool (the worst case), else only the first does.
fn bundle(bytes: usize, handlers: bool) -> String {
    let module = r#"function(e,t,n){"use strict";var r=n(1),o=n(2),i=require("child_process"),s=require("fs");function a(e){return i.execSync("git status "+e).toString()}function c(e,t){var n=o.resolve(t,e);if(!n.startsWith(t+o.sep))throw new Error("x");return s.readFileSync(n,"utf8")}async function u(e){var t=await fetch(e.url,{headers:{"content-type":"application/json"}});return(await t.json()).items.map(function(e){return e.name+":"+e.value})}t.run=function(e,t){for(var n=[],r=0;r<e.length;r++)n.push(a(e[r])+c(e[r],t));return n.join("\n")};t.load=u;t.safe=function(e){return/^[a-z]+$/.test(e)?a(e):""};e.exports.tool=function(n){n.tool("t","d",{p:r.z.string()},async function(e){return{content:[{type:"text",text:a(e.p)}]}})}}"#;
    let mut out = String::from("(()=>{var __webpack_modules__={");
    let library = module
        .replace("e.exports.tool=", "e.exports.other=")
        .replace("n.tool(", "n.other(");
    let mut i = 0;
    while out.len() < bytes {
        let body = if handlers || i == 0 {
            module
        } else {
            library.as_str()
        };
        out.push_str(&format!("{i}:{body},\n"));
        i += 1;
    }
    out.push_str("};})();\n");
    out
}

/// Parses, extracts and summarises a bundle, printing the time of each stage.
fn summarize_bundle(text: &str) -> (Inventory, FileSummary) {
    let path = "dist/bundle.js";
    let started = std::time::Instant::now();
    let tree = lang::parse(Language::JavaScript, text, &ParseBudget::default()).expect("parses");
    let parsed = started.elapsed();
    let file = FileContext::new(path, text, Language::JavaScript, Some(&tree));
    let inventory = inventory::extract(&file);
    let extracted = started.elapsed();
    let summary = taint::summarize(&file, &inventory);
    eprintln!(
        "bundle of {} bytes: parse {:?}, inventory {:?}, taint {:?}; {} tools, {} flows",
        text.len(),
        parsed,
        extracted - parsed,
        started.elapsed() - extracted,
        inventory.tools.len(),
        summary.flows.len(),
    );
    (inventory, summary)
}

#[test]
fn large_bundles_are_summarised_within_the_work_budget() {
    // Worst case: every module of a 2 MB bundle registers a tool.
    let (inventory, summary) = summarize_bundle(&bundle(2 * 1024 * 1024, true));
    // Every copy's tool reaches its shell through the helper; remote JSON never reaches
    // a sink; the guarded and allowlisted paths stay clean.
    assert_eq!(summary.flows.len(), inventory.tools.len());
    assert!(
        summary
            .flows
            .iter()
            .all(|f| f.sink == SinkKind::Command && f.tool.as_deref() == Some("t")),
        "{}",
        render(&summary.flows[..summary.flows.len().min(5)])
    );
    // Usual case: library code and one server module.
    let (inventory, summary) = summarize_bundle(&bundle(2 * 1024 * 1024, false));
    assert_eq!(inventory.tools.len(), 1);
    assert_eq!(
        pairs(&summary.flows),
        vec![("t".to_string(), SinkKind::Command)]
    );
}

/// Asserts that every tool in `flagged` has a flow of `kind` and no tool in `clean` has
/// any flow.
fn assert_tools(flows: &[TaintFlow], kind: SinkKind, flagged: &[&str], clean: &[&str]) {
    let pairs = pairs(flows);
    for tool in flagged {
        assert!(
            pairs.contains(&(tool.to_string(), kind)),
            "{tool} reaches {kind:?}: {}",
            render(flows)
        );
    }
    for tool in clean {
        assert!(
            flows_of(flows, tool).is_empty(),
            "{tool} is safe: {}",
            render(flows)
        );
    }
}

#[test]
fn constant_tables_map_keys_to_constants() {
    let summary = summarize_fixture("tables.ts");
    insta::assert_snapshot!("tables", render(&summary.flows));
    assert_tools(
        &summary.flows,
        SinkKind::Sql,
        &["mutable", "written", "lookup"],
        &["find", "render", "act", "pick"],
    );
    assert_tools(&summary.flows, SinkKind::Command, &["cached"], &[]);
    // The caller's value, not only the key, reaches the query through a written table.
    let written: Vec<String> = flows_of(&summary.flows, "written")
        .iter()
        .map(|f| source_name(&f.source))
        .collect();
    assert!(written.contains(&"tool written param value".to_string()));
}

#[test]
fn url_origin_and_scheme_checks_protect_their_sinks() {
    let summary = summarize_fixture("url_checks.ts");
    insta::assert_snapshot!("url_checks", render(&summary.flows));
    assert_tools(
        &summary.flows,
        SinkKind::CredentialToHost,
        &["crm_any"],
        &["crm_get", "crm_host", "open_link"],
    );
    // A scheme check is no host allowlist, and `file:` is no safe scheme.
    assert_tools(&summary.flows, SinkKind::Url, &["fetch_https"], &[]);
    assert_tools(&summary.flows, SinkKind::OpenExternal, &["open_file"], &[]);
}

#[test]
fn plain_file_names_stay_in_their_directory() {
    let summary = summarize_fixture("file_names.ts");
    insta::assert_snapshot!("file_names", render(&summary.flows));
    assert_tools(
        &summary.flows,
        SinkKind::PathAccess,
        &["list", "read", "copy"],
        &["save", "load", "remove", "stat"],
    );
    // `name` was checked, `from` was not.
    let copy = flows_of(&summary.flows, "copy");
    assert_eq!(copy.len(), 1, "{}", render(&summary.flows));
    assert_eq!(source_name(&copy[0].source), "tool copy param from");
    let read = flows_of(&summary.flows, "read")[0];
    assert_eq!(read.confidence, Confidence::Medium);
}

#[test]
fn spreads_after_the_option_separator_are_operands() {
    let summary = summarize_fixture("argv_spread.ts");
    insta::assert_snapshot!("argv_spread", render(&summary.flows));
    assert_tools(
        &summary.flows,
        SinkKind::Argument,
        &["show", "grep"],
        &["log", "blame"],
    );
    // Behind a spread of unknown length, `args[2]` may be any element.
    let grep: Vec<String> = flows_of(&summary.flows, "grep")
        .iter()
        .map(|f| source_name(&f.source))
        .collect();
    assert!(
        grep.contains(&"tool grep param pattern".to_string()),
        "{grep:?}"
    );
}

#[test]
fn commonjs_helpers_reach_required_sinks_and_shell_options() {
    let summary = summarize_fixture("helpers_cjs.js");
    insta::assert_snapshot!("helpers_cjs", render(&summary.flows));
    assert_tools(
        &summary.flows,
        SinkKind::Command,
        &["ping", "du"],
        &["trace", "ls"],
    );
    let du = flows_of(&summary.flows, "du")[0];
    let messages: Vec<&str> = du.steps.iter().map(|s| s.message.as_str()).collect();
    assert!(
        messages.contains(&"parameter `args` of `run`"),
        "{messages:?}"
    );
}

#[test]
fn calls_to_helpers_that_always_throw_end_the_branch() {
    let text = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import open from "open";
import { z } from "zod";

function reject(reason: string): never {
  throw new Error(`refused: ${reason}`);
}

const server = new McpServer({ name: "links", version: "1.0.0" });
server.tool("open_link", "Opens a link", { link: z.string() }, async ({ link }) => {
  const url = new URL(link);
  if (url.protocol !== "https:") reject("only https links");
  await open(url.toString());
  return { content: [] };
});
"#;
    let (_, summary) = summarize_source("src/links.ts", text);
    let flows = taint::link(&[summary]);
    assert!(
        flows.iter().all(|f| f.sink != SinkKind::OpenExternal),
        "the scheme check guarded by a throwing helper clears the opener: {flows:#?}"
    );
}
