//! Python surface extraction: FastMCP (official and standalone), the low-level server,
//! and tool tables, on fixtures under `fixtures/inventory/python/`.

mod common;

use assay_core::Inventory;
use common::{extract_source, fixture, required_params, sorted_tool_names, tool};

fn extract_fixture(name: &str) -> Inventory {
    extract_source(&format!("server/{name}"), &fixture("python", name))
}

#[test]
fn fastmcp_decorators_docstrings_and_fields() {
    let inv = extract_fixture("fastmcp_server.py");
    insta::assert_json_snapshot!("fastmcp_server", inv);

    let read = tool(&inv, "read_file");
    assert_eq!(
        read.description.as_deref(),
        Some(
            "Read a file from the workspace.\n\nArgs:\n    path: Ignored here, Field wins.\n    limit: Maximum number of bytes\n        to return."
        )
    );
    let params: Vec<_> = read.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        params,
        ["path", "encoding", "limit"],
        "ctx: Context is injected"
    );
    assert_eq!(
        read.parameters[0].description.as_deref(),
        Some("File to read")
    );
    assert!(read.parameters[0].required);
    assert_eq!(read.parameters[1].enum_values, ["utf-8", "latin-1"]);
    assert_eq!(read.parameters[1].ty.as_deref(), Some("string"));
    assert_eq!(read.parameters[2].ty.as_deref(), Some("integer"));
    assert_eq!(
        read.parameters[2].description.as_deref(),
        Some("Maximum number of bytes to return.")
    );
    assert_eq!(read.handler.as_ref().map(|h| h.line), Some(25));
    assert_eq!(read.location.line, 24);

    let search = tool(&inv, "search");
    assert_eq!(
        search.description.as_deref(),
        Some("Search files Acme Files")
    );
    assert_eq!(search.annotations.read_only_hint, Some(true));
    assert_eq!(search.annotations.open_world_hint, Some(false));
    let query = &search.parameters[0];
    assert!(query.required, "Field() without a default is required");
    let max = &search.parameters[1];
    assert!(!max.required);
    assert_eq!(max.default.as_deref(), Some("10"));
    assert_eq!(search.parameters[2].ty.as_deref(), Some("array"));
    assert_eq!(search.parameters[3].ty.as_deref(), Some("integer"));

    let delete = tool(&inv, "delete");
    assert_eq!(delete.annotations.destructive_hint, Some(true));
    assert_eq!(delete.annotations.title.as_deref(), Some("Delete"));
    assert_eq!(
        delete.parameters[0].description.as_deref(),
        Some("What to delete.")
    );

    assert_eq!(
        tool(&inv, "summarize_text").description.as_deref(),
        Some("Summarize for Acme Files")
    );
    assert_eq!(
        inv.instructions[0].text,
        "\nYou are connected to Acme Files.\n  Paths are relative to the workspace root.\n"
    );
    assert_eq!(
        inv.prompts[0].template.as_deref(),
        Some("Please review this code in {style} style:\n\n{code}")
    );
    assert_eq!(
        inv.resources[0].uri.as_deref(),
        Some("config://app/{section}")
    );
    assert_eq!(
        inv.resources[0].mime_type.as_deref(),
        Some("application/json")
    );
}

#[test]
fn standalone_fastmcp_forms() {
    let inv = extract_fixture("fastmcp_standalone.py");
    insta::assert_json_snapshot!("fastmcp_standalone", inv);
    let found = sorted_tool_names(&inv);
    assert_eq!(found, ["add", "div", "multiply_numbers", "neg", "square"]);
    let add = tool(&inv, "add");
    assert_eq!(
        add.parameters[0].description.as_deref(),
        Some("The first addend.")
    );
    assert_eq!(add.parameters[1].ty.as_deref(), Some("number"));
    assert_eq!(add.parameters[1].default.as_deref(), Some("1.5"));
    assert_eq!(
        tool(&inv, "neg").description.as_deref(),
        Some("Flip the sign")
    );
    assert_eq!(
        tool(&inv, "div").description.as_deref(),
        Some("Divide x by y.")
    );
    assert!(
        tool(&inv, "square").handler.is_none(),
        "lambdas have no def"
    );
    assert_eq!(inv.instructions[0].text, "Only arithmetic.");
    assert!(inv.tools.iter().all(|t| t.sdk == "fastmcp-py"));
}

#[test]
fn lowlevel_server_lists_and_dispatch_branches() {
    let inv = extract_fixture("lowlevel_server.py");
    insta::assert_json_snapshot!("lowlevel_server", inv);
    let found = sorted_tool_names(&inv);
    assert_eq!(found, ["git_commit", "git_push", "git_status"]);
    let status = tool(&inv, "git_status");
    assert_eq!(status.sdk, "python-lowlevel");
    assert_eq!(status.annotations.read_only_hint, Some(true));
    let repo = &status.parameters[0];
    assert_eq!((repo.name.as_str(), repo.required), ("repo", true));
    assert_eq!(status.parameters[1].enum_values, ["short", "long"]);
    assert_eq!(status.parameters[1].default.as_deref(), Some("\"short\""));
    assert_eq!(status.parameters[2].ty.as_deref(), Some("integer | null"));
    // The handler is the `if name == "git_status":` branch, not the whole dispatcher.
    let branch = status.handler.as_ref().expect("handler");
    assert_eq!((branch.line, branch.end_line), (50, 51));
    let commit = tool(&inv, "git_commit");
    assert_eq!(commit.handler.as_ref().map(|h| h.line), Some(52));
    let commit_params = required_params(commit);
    assert_eq!(
        commit_params,
        [("repo", true), ("message", true), ("amend", false)]
    );
    // No branch for git_push: the dispatcher itself.
    assert_eq!(
        tool(&inv, "git_push").handler.as_ref().map(|h| h.line),
        Some(49)
    );
    let prompt = &inv.prompts[0];
    assert_eq!(prompt.arguments.len(), 2);
    assert!(prompt.arguments[0].required && !prompt.arguments[1].required);
    assert_eq!(prompt.handler.as_ref().map(|h| h.line), Some(74));
    assert_eq!(
        inv.resources[0].uri.as_deref(),
        Some("file:///repo/README.md")
    );
    assert_eq!(inv.instructions[0].text, "Use with care.");
}

#[test]
fn loops_over_literal_tables_and_registering_helpers() {
    let inv = extract_fixture("tool_tables.py");
    insta::assert_json_snapshot!("tool_tables", inv);
    let found = sorted_tool_names(&inv);
    assert_eq!(found, ["chmod", "list", "read", "stat", "write"]);
    assert_eq!(
        tool(&inv, "read").description.as_deref(),
        Some("[tables] Read a file")
    );
    assert_eq!(
        tool(&inv, "stat").description.as_deref(),
        Some("[tables] Stat a file")
    );
    assert_eq!(
        tool(&inv, "write").description.as_deref(),
        Some("Write a file")
    );
    assert_eq!(
        tool(&inv, "chmod").description.as_deref(),
        Some("Change mode")
    );
    // Parameters and handlers come from the function each row names.
    let write = tool(&inv, "write");
    assert_eq!(write.parameters.len(), 2);
    assert_eq!(write.handler.as_ref().map(|h| h.line), Some(18));
    assert_eq!(
        tool(&inv, "list").description.as_deref(),
        Some("List a directory")
    );
}

#[test]
fn unrelated_decorators_declare_nothing() {
    let inv = extract_fixture("not_mcp.py");
    assert!(inv.is_empty(), "{inv:?}");
}

#[test]
fn files_without_mcp_are_skipped_and_odd_strings_resolve() {
    assert!(extract_source("a.py", "@x.tool()\ndef f(): pass\n").is_empty());
    let src = r#"
import mcp
A = "x" + B
B = A
server = mcp.server.fastmcp.FastMCP("s")
@server.tool(description="tab\there \x41 {} %s".format(1) )
def t(): pass
@server.tool(description=A)
def loop(): pass
@server.tool(description=f"{undefined!r} and {1 + 2}")
def unresolved(): pass
"#;
    let inv = extract_source("s.py", src);
    assert_eq!(
        tool(&inv, "t").description.as_deref(),
        Some("tab\there A {} %s")
    );
    // A self-referential constant ends at the depth bound without panicking.
    assert!(tool(&inv, "loop").description.is_some());
    assert_eq!(
        tool(&inv, "unresolved").description.as_deref(),
        Some("{undefined!r} and {1 + 2}")
    );
}

#[test]
fn large_generated_servers_are_extracted_whole() {
    let mut src = String::from("from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('big')\n");
    for i in 0..3000 {
        src.push_str(&format!(
            "@mcp.tool()\ndef t{i}(x: str) -> str:\n    \"\"\"Tool {i}.\"\"\"\n    return x\n"
        ));
    }
    // A low-level server with as many tools and dispatch branches, and a long `or`
    // chain in one condition.
    src.push_str("@server.list_tools()\nasync def tools():\n    return [\n");
    for i in 0..3000 {
        src.push_str(&format!("        Tool(name='n{i}', inputSchema={{}}),\n"));
    }
    src.push_str("    ]\n@server.call_tool()\nasync def call(name, args):\n");
    for i in 0..3000 {
        src.push_str(&format!("    if name == 'n{i}':\n        return {i}\n"));
    }
    src.push_str("    if ");
    src.push_str(
        &(0..20_000)
            .map(|i| format!("name == 'n{i}'"))
            .collect::<Vec<_>>()
            .join(" or "),
    );
    src.push_str(":\n        pass\n");
    let inv = extract_source("big.py", &src);
    assert_eq!(inv.tools.len(), 6000);
    let last = tool(&inv, "n2999");
    let branch_line = src
        .lines()
        .position(|l| l.contains("if name == 'n2999':"))
        .map(|i| i as u32 + 1);
    assert_eq!(last.handler.as_ref().map(|h| h.line), branch_line);
}

#[test]
fn enum_members_name_low_level_tools() {
    let inv = extract_source(
        "server.py",
        r#"from enum import Enum

from mcp.server import Server
from mcp.types import Tool

server = Server("git")


class GitTools(str, Enum):
    STATUS = "git_status"
    DIFF = "git_diff"


@server.list_tools()
async def list_tools() -> list[Tool]:
    return [
        Tool(name=GitTools.STATUS, description="Shows the status", inputSchema={"type": "object"}),
        Tool(name=GitTools.DIFF, description="Shows a diff", inputSchema={"type": "object"}),
    ]
"#,
    );
    assert_eq!(sorted_tool_names(&inv), ["git_diff", "git_status"]);
}
