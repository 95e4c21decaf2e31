//! Go taint analysis on fixtures under `fixtures/taint/go/`: every sink kind with
//! vulnerable (`vuln_*` tools) and fixed (`safe_*` tools) handlers for mark3labs/mcp-go
//! and the official Go SDK, sanitizers, remote-data sources, cross-file and cross-package
//! linking, and handler effects.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use assay_core::Confidence;
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::taint::{self, EffectKind, FileSummary, SinkKind, SourceKind, TaintFlow};
use assay_rules::{FileContext, PathContext, inventory};

/// The text of fixture `name` under `tests/fixtures/taint/go/`.
fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/taint/go/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("fixture exists")
}

/// Parses `source` as the snapshot file `path` and summarises it, as the driver does
/// (which parses files that pass the taint prefilter or may declare MCP surface).
fn summarize(path: &str, source: &str) -> FileSummary {
    assert!(
        taint::might_matter(Language::Go, source) || source.contains("mcp"),
        "{path} would not be parsed"
    );
    let tree = lang::parse(Language::Go, source, &ParseBudget::default()).expect("parses");
    let file = FileContext::new(path, source, Language::Go, Some(&tree));
    let inventory = inventory::extract(&file);
    taint::summarize(&file, &inventory)
}

/// The linked flows of fixtures, each given as `(snapshot path, fixture name)`.
fn flows_of(files: &[(&str, &str)]) -> Vec<TaintFlow> {
    let summaries: Vec<FileSummary> = files
        .iter()
        .map(|(path, name)| summarize(path, &fixture(name)))
        .collect();
    taint::link(&summaries)
}

/// The flows of one fixture analysed as `cmd/server/<name>`.
fn flows(name: &str) -> Vec<TaintFlow> {
    flows_of(&[(&format!("cmd/server/{name}"), name)])
}

fn param(flow: &TaintFlow) -> &str {
    match &flow.source {
        SourceKind::ToolParameter { param, .. } => param,
        SourceKind::RemoteData { what } => what,
    }
}

/// Flows as reviewable text: one block per flow with every hop.
fn render(flows: &[TaintFlow]) -> String {
    let mut out = String::new();
    for flow in flows {
        let _ = writeln!(
            out,
            "{:?} from {:?} (tool {:?}) via `{}` [{:?}]",
            flow.sink,
            flow.source,
            flow.tool.as_deref().unwrap_or("-"),
            flow.sink_callee,
            flow.confidence
        );
        for step in &flow.steps {
            let _ = writeln!(
                out,
                "  {}:{}: {}",
                step.location.path, step.location.line, step.message
            );
        }
    }
    out
}

/// `(tool, sink)` pairs of the flows.
fn tool_sinks(flows: &[TaintFlow]) -> BTreeSet<(String, SinkKind)> {
    flows
        .iter()
        .map(|f| (f.tool.clone().unwrap_or_default(), f.sink))
        .collect()
}

/// Asserts the fixture's `vuln_*` tools each have a flow of `kind` and its `safe_*`
/// tools have none of the kinds in `forbidden`.
fn assert_vulnerable_and_fixed(flows: &[TaintFlow], kind: SinkKind, forbidden: &[SinkKind]) {
    for flow in flows {
        let tool = flow.tool.as_deref().unwrap_or("");
        assert!(
            !(tool.starts_with("safe_") && forbidden.contains(&flow.sink)),
            "fixed handler {tool} has a flow:\n{}",
            render(std::slice::from_ref(flow))
        );
    }
    let vulnerable: BTreeSet<&str> = flows
        .iter()
        .filter(|f| f.sink == kind)
        .filter_map(|f| f.tool.as_deref())
        .filter(|t| t.starts_with("vuln_"))
        .collect();
    assert!(
        !vulnerable.is_empty(),
        "no {kind:?} flows:\n{}",
        render(flows)
    );
}

#[test]
fn command_injection_mcp_go() {
    let flows = flows("command.go");
    assert_vulnerable_and_fixed(
        &flows,
        SinkKind::Command,
        &[SinkKind::Command, SinkKind::Argument],
    );
    let tools: BTreeSet<&str> = flows.iter().filter_map(|f| f.tool.as_deref()).collect();
    assert_eq!(
        tools,
        BTreeSet::from([
            "vuln_helper",
            "vuln_program",
            "vuln_shell",
            "vuln_sprintf_shell"
        ])
    );
    let program = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("vuln_program"))
        .unwrap();
    assert!(
        program
            .steps
            .last()
            .unwrap()
            .message
            .contains("the program itself"),
        "{}",
        render(&flows)
    );
    // Through the same-file helper: source, assignment, call, helper parameter, sink.
    let helper = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("vuln_helper"))
        .unwrap();
    assert_eq!(param(helper), "pattern");
    assert_eq!(helper.sink_callee, "exec.Command");
    assert!(
        helper
            .steps
            .iter()
            .any(|s| s.message == "passed to `runShell`")
    );
    assert!(flows.iter().all(|f| f.confidence == Confidence::High));
    insta::assert_snapshot!("command", render(&flows));
}

#[test]
fn argument_injection_needs_a_separator_or_a_dash_check() {
    let flows = flows("argument.go");
    assert_vulnerable_and_fixed(&flows, SinkKind::Argument, &[SinkKind::Argument]);
    assert_eq!(
        tool_sinks(&flows),
        BTreeSet::from([
            ("vuln_curl".to_string(), SinkKind::Argument),
            ("vuln_git_log".to_string(), SinkKind::Argument),
        ])
    );
    assert!(flows.iter().all(|f| f.sink != SinkKind::Command));
}

#[test]
fn path_traversal_and_containment_checks() {
    let flows = flows("path.go");
    assert_vulnerable_and_fixed(&flows, SinkKind::PathAccess, &[SinkKind::PathAccess]);
    let by_tool = |tool: &str| {
        flows
            .iter()
            .find(|f| f.tool.as_deref() == Some(tool))
            .unwrap_or_else(|| panic!("no flow for {tool}:\n{}", render(&flows)))
    };
    assert_eq!(by_tool("vuln_read").confidence, Confidence::High);
    let naive = by_tool("vuln_naive_prefix");
    assert_eq!(naive.confidence, Confidence::Medium);
    assert!(
        naive
            .steps
            .last()
            .unwrap()
            .message
            .contains("without a trailing separator")
    );
    let no_symlinks = by_tool("vuln_no_symlinks");
    assert_eq!(no_symlinks.confidence, Confidence::Medium);
    assert_eq!(no_symlinks.sink_callee, "os.Remove");
    assert!(
        no_symlinks
            .steps
            .last()
            .unwrap()
            .message
            .contains("EvalSymlinks")
    );
    assert_eq!(flows.len(), 3, "{}", render(&flows));
    insta::assert_snapshot!("path", render(&flows));
}

#[test]
fn ssrf_credentials_and_outbound_data_go_sdk() {
    let flows = flows("url.go");
    assert_vulnerable_and_fixed(
        &flows,
        SinkKind::Url,
        &[SinkKind::Url, SinkKind::CredentialToHost],
    );
    let pairs = tool_sinks(&flows);
    for expected in [
        ("vuln_fetch", SinkKind::Url),
        ("vuln_token_to_host", SinkKind::Url),
        ("vuln_token_to_host", SinkKind::CredentialToHost),
        ("vuln_status", SinkKind::Url),
        ("vuln_dial", SinkKind::Url),
        ("safe_fixed_base", SinkKind::OutboundData),
        ("safe_note", SinkKind::OutboundData),
    ] {
        assert!(
            pairs.contains(&(expected.0.to_string(), expected.1)),
            "missing {expected:?}:\n{}",
            render(&flows)
        );
    }
    // Parameters are named by their JSON tags.
    let fetch = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("vuln_fetch"))
        .unwrap();
    assert_eq!(param(fetch), "url");
    let item = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("safe_fixed_base"))
        .unwrap();
    assert_eq!(param(item), "item_id");
    insta::assert_snapshot!("url", render(&flows));
}

#[test]
fn sql_and_template_injection() {
    let flows = flows("sql_template.go");
    assert_vulnerable_and_fixed(&flows, SinkKind::Sql, &[SinkKind::Sql, SinkKind::Template]);
    assert_eq!(
        tool_sinks(&flows),
        BTreeSet::from([
            ("vuln_find_user".to_string(), SinkKind::Sql),
            ("vuln_render".to_string(), SinkKind::Template),
        ])
    );
    let sql: Vec<&str> = flows
        .iter()
        .filter(|f| f.sink == SinkKind::Sql)
        .map(|f| f.sink_callee.as_str())
        .collect();
    assert_eq!(sql, ["db.Query", "db.QueryRowContext"]);
}

#[test]
fn code_evaluation_and_deserialization() {
    let flows = flows("eval_deserialize.go");
    assert_vulnerable_and_fixed(&flows, SinkKind::CodeEval, &[SinkKind::CodeEval]);
    assert_eq!(
        tool_sinks(&flows),
        BTreeSet::from([
            ("vuln_eval".to_string(), SinkKind::CodeEval),
            ("vuln_gob".to_string(), SinkKind::Deserialize),
            ("vuln_plugin".to_string(), SinkKind::CodeEval),
        ])
    );
}

#[test]
fn remote_data_reaches_execution_unless_checked() {
    let flows = flows_of(&[("internal/auth/auth.go", "remote.go")]);
    let remote: Vec<(&str, SinkKind, Confidence)> = flows
        .iter()
        .map(|f| (param(f), f.sink, f.confidence))
        .collect();
    assert_eq!(
        remote,
        [
            (
                "OAuth metadata `authorization_endpoint`",
                SinkKind::Command,
                Confidence::High
            ),
            (
                "HTTP response header `WWW-Authenticate`",
                SinkKind::Command,
                Confidence::High
            ),
            ("HTTP response body", SinkKind::Deserialize, Confidence::Low),
        ],
        "{}",
        render(&flows)
    );
    // The https-only twin opens nothing unchecked, and following a URL from a response
    // is not a flow.
    assert!(flows.iter().all(|f| f.sink != SinkKind::OpenExternal));
    assert!(flows.iter().all(|f| f.sink != SinkKind::Url));
    insta::assert_snapshot!("remote", render(&flows));
}

#[test]
fn cross_file_and_cross_package_flows_link() {
    let files = [
        ("server/main.go", "crossfile/server/main.go"),
        ("server/handlers.go", "crossfile/server/handlers.go"),
        (
            "internal/shell/shell.go",
            "crossfile/internal/shell/shell.go",
        ),
    ];
    let flows = flows_of(&files);
    // The handler registered in main.go but declared in handlers.go.
    let delete = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("delete_path"))
        .unwrap_or_else(|| panic!("{}", render(&flows)));
    assert_eq!(delete.sink, SinkKind::PathAccess);
    assert_eq!(
        delete.steps.first().unwrap().location.path,
        "server/main.go"
    );
    assert_eq!(
        delete.steps.last().unwrap().location.path,
        "server/handlers.go"
    );
    // A same-package helper calling another package of the snapshot by import path.
    let grep = flows
        .iter()
        .find(|f| f.sink == SinkKind::Command)
        .unwrap_or_else(|| panic!("{}", render(&flows)));
    assert_eq!(param(grep), "pattern");
    assert_eq!(
        grep.steps.last().unwrap().location.path,
        "internal/shell/shell.go"
    );
    assert!(
        flows
            .iter()
            .all(|f| matches!(f.sink, SinkKind::PathAccess | SinkKind::Command))
    );
    insta::assert_snapshot!("crossfile", render(&flows));

    // Without the package of the sink there is nothing to link.
    let partial = flows_of(&files[..2]);
    assert!(partial.iter().all(|f| f.sink != SinkKind::Command));
}

#[test]
fn handler_effects_include_same_file_callees() {
    let summary = summarize("cmd/ops/main.go", &fixture("effects.go"));
    let effects = |tool: &str| -> Vec<EffectKind> {
        summary
            .handlers
            .iter()
            .find(|h| h.tool == tool)
            .unwrap_or_else(|| panic!("no handler {tool}"))
            .effects
            .iter()
            .map(|e| e.kind)
            .collect()
    };
    assert_eq!(
        effects("deploy"),
        [
            EffectKind::FileWrite,
            EffectKind::Execute,
            EffectKind::Network,
            EffectKind::FileDelete,
        ]
    );
    assert_eq!(effects("status"), [EffectKind::FileRead]);
    let deploy = summary
        .handlers
        .iter()
        .find(|h| h.tool == "deploy")
        .unwrap();
    assert_eq!(deploy.effects[3].callee, "os.RemoveAll");
    assert!(summary.flows.is_empty(), "constant arguments are not flows");
}

#[test]
fn prefilter_is_tight() {
    assert!(taint::might_matter(
        Language::Go,
        "import \"os/exec\"\nfunc f() { exec.Command(\"ls\") }"
    ));
    assert!(!taint::might_matter(
        Language::Go,
        "package util\n\nimport \"strings\"\n\nfunc Upper(s string) string { return strings.ToUpper(s) }\n"
    ));
    assert!(!taint::might_matter(
        Language::Go,
        "package model\n\ntype User struct {\n\tName string `json:\"name\"`\n}\n"
    ));
}

#[test]
fn test_files_carry_their_context() {
    let source = fixture("command.go");
    let summary = summarize("cmd/server/command_test.go", &source);
    assert!(!summary.flows.is_empty());
    assert!(summary.flows.iter().all(|f| f.context == PathContext::Test));
}

#[test]
fn sanitizers_stop_flows_and_weak_checks_lower_confidence() {
    let flows = flows("sanitizers.go");
    let found: BTreeSet<(String, SinkKind, Confidence)> = flows
        .iter()
        .map(|f| (f.tool.clone().unwrap_or_default(), f.sink, f.confidence))
        .collect();
    let expected = BTreeSet::from([
        (
            "weak_unanchored_regex".to_string(),
            SinkKind::Command,
            Confidence::Medium,
        ),
        (
            "weak_dotdot_only".to_string(),
            SinkKind::PathAccess,
            Confidence::Medium,
        ),
        (
            "weak_is_local".to_string(),
            SinkKind::PathAccess,
            Confidence::Medium,
        ),
        (
            "weak_url_prefix".to_string(),
            SinkKind::Url,
            Confidence::Medium,
        ),
        (
            "vuln_open".to_string(),
            SinkKind::OpenExternal,
            Confidence::High,
        ),
    ]);
    assert_eq!(found, expected, "{}", render(&flows));
    let unanchored = flows
        .iter()
        .find(|f| f.tool.as_deref() == Some("weak_unanchored_regex"))
        .unwrap();
    assert!(
        unanchored
            .steps
            .last()
            .unwrap()
            .message
            .contains("not anchored")
    );
    let opens: BTreeSet<&str> = flows
        .iter()
        .filter(|f| f.sink == SinkKind::OpenExternal)
        .map(|f| f.sink_callee.as_str())
        .collect();
    assert_eq!(opens, BTreeSet::from(["browser.OpenURL", "exec.Command"]));
}

#[test]
fn generated_servers_stay_linear() {
    let mut source = String::from(
        "package main\n\nimport (\n\t\"context\"\n\t\"os/exec\"\n\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\n",
    );
    let handlers = 1500;
    for i in 0..handlers {
        source.push_str(&format!(
            "func handle{i}(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {{\n\tc := req.GetString(\"c\", \"\")\n\tif c == \"\" {{\n\t\treturn nil, nil\n\t}}\n\texec.Command(\"sh\", \"-c\", c).Run()\n\treturn nil, nil\n}}\n\n"
        ));
    }
    source.push_str("func main() {\n\ts := server.NewMCPServer(\"gen\", \"1.0.0\")\n");
    for i in 0..handlers {
        source.push_str(&format!(
            "\ts.AddTool(mcp.NewTool(\"t{i}\", mcp.WithString(\"c\")), handle{i})\n"
        ));
    }
    // Deeply nested conditionals copy the environment at every level.
    source.push_str("\tx := 0\n");
    for _ in 0..300 {
        source.push_str("\tif x > 0 {\n");
    }
    source.push_str("\t\tx++\n");
    for _ in 0..300 {
        source.push_str("\t}\n");
    }
    source.push_str("}\n");
    let summary = summarize("cmd/gen/main.go", &source);
    assert_eq!(summary.flows.len(), handlers);
    assert_eq!(summary.handlers.len(), handlers);
    assert!(summary.flows.iter().all(|f| f.sink == SinkKind::Command));
}
