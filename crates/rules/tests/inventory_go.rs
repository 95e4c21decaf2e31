//! Go surface extraction: mark3labs/mcp-go, the official Go SDK and tool tables, on
//! fixtures under `fixtures/inventory/go/`.

mod common;

use assay_core::Inventory;
use common::{extract_source, fixture, required_params, sorted_tool_names, tool, typed_params};

fn extract_fixture(name: &str) -> Inventory {
    extract_source(&format!("cmd/{name}"), &fixture("go", name))
}

#[test]
fn mcp_go_options_and_registrations() {
    let inv = extract_fixture("mcpgo_server.go");
    insta::assert_json_snapshot!("mcpgo_server", inv);
    assert_eq!(
        sorted_tool_names(&inv),
        ["delete_file", "raw", "read_file", "search"]
    );
    assert!(inv.tools.iter().all(|t| t.sdk == "mcp-go"));

    let read = tool(&inv, "read_file");
    // `s` is not a string: its verb stays as written.
    assert_eq!(
        read.description.as_deref(),
        Some("Read a file from Acme storage (%s)")
    );
    let params = typed_params(read);
    assert_eq!(
        params,
        [
            ("path", "string", true),
            ("encoding", "string", false),
            ("offset", "number", false),
            ("limit", "integer", false),
            ("follow", "boolean", false),
            ("tags", "array", false),
            ("meta", "object", false),
        ]
    );
    assert_eq!(read.parameters[1].enum_values, ["utf-8", "latin-1"]);
    assert_eq!(read.parameters[1].default.as_deref(), Some("\"utf-8\""));
    assert_eq!(
        read.parameters[5].description, None,
        "item options are not the property's"
    );
    assert_eq!(read.annotations.title.as_deref(), Some("Read file"));
    assert_eq!(read.annotations.read_only_hint, Some(true));
    assert_eq!(read.annotations.destructive_hint, Some(false));
    assert_eq!(read.annotations.idempotent_hint, Some(true));
    assert_eq!(read.annotations.open_world_hint, Some(false));
    // Declared at the NewTool call, handled by the named function.
    assert_eq!(read.location.line, 40);
    assert_eq!(read.handler.as_ref().map(|h| h.line), Some(29));

    let delete = tool(&inv, "delete_file");
    assert_eq!(delete.annotations.destructive_hint, Some(true));
    assert_eq!(delete.handler.as_ref().map(|h| h.line), Some(25), "method");

    let search = tool(&inv, "search");
    let params = required_params(search);
    assert_eq!(params, [("query", true), ("limit", false), ("mode", false)]);
    assert_eq!(
        search.parameters[0].description.as_deref(),
        Some("Text to find")
    );
    assert_eq!(search.parameters[1].default.as_deref(), Some("10"));
    assert_eq!(search.parameters[2].enum_values, ["fast", "full"]);
    assert_eq!(
        search.handler.as_ref().map(|h| h.line),
        Some(63),
        "func literal"
    );

    assert_eq!(
        tool(&inv, "raw").description.as_deref(),
        Some("Raw schema tool")
    );

    let prompt = &inv.prompts[0];
    assert_eq!(prompt.description.as_deref(), Some("Summarize a document"));
    assert_eq!(prompt.arguments.len(), 2);
    assert!(prompt.arguments[0].required && !prompt.arguments[1].required);
    assert!(prompt.handler.is_some());
    assert_eq!(inv.resources.len(), 2);
    assert_eq!(
        inv.resources[1].uri.as_deref(),
        Some("users://{id}/profile")
    );
    assert_eq!(
        inv.instructions[0].text,
        "Welcome to Acme. Files are read-only.\nAsk before deleting."
    );
}

#[test]
fn go_sdk_structs_and_typed_inputs() {
    let inv = extract_fixture("gosdk_server.go");
    insta::assert_json_snapshot!("gosdk_server", inv);
    assert_eq!(sorted_tool_names(&inv), ["greet", "hello", "read_file"]);
    assert!(inv.tools.iter().all(|t| t.sdk == "go-sdk"));
    let read = tool(&inv, "read_file");
    let params = typed_params(read);
    assert_eq!(
        params,
        [
            ("path", "string", true),
            ("max_bytes", "integer", false),
            ("globs", "array", false)
        ]
    );
    assert_eq!(
        read.parameters[0].description.as_deref(),
        Some("the path to read, relative to the root")
    );
    assert_eq!(read.annotations.read_only_hint, Some(true));
    assert_eq!(read.annotations.open_world_hint, Some(false));
    assert_eq!(read.annotations.title.as_deref(), Some("Reader"));
    assert_eq!(read.handler.as_ref().map(|h| h.line), Some(23));
    // The older `*mcp.CallToolParamsFor[HiParams]` signature.
    assert_eq!(tool(&inv, "greet").parameters[0].name, "name");
    // A struct type declared inside the function.
    assert_eq!(
        tool(&inv, "hello").parameters[0].description.as_deref(),
        Some("the person to greet")
    );
    assert_eq!(inv.prompts[0].arguments.len(), 2);
    assert!(inv.prompts[0].arguments[0].required);
    let uris: Vec<_> = inv
        .resources
        .iter()
        .filter_map(|r| r.uri.as_deref())
        .collect();
    assert_eq!(uris, ["file:///etc/app.conf", "logs://{day}"]);
    assert_eq!(inv.instructions[0].text, "Use read_file for files.");
}

#[test]
fn range_loops_over_tool_tables() {
    let inv = extract_fixture("tool_table.go");
    insta::assert_json_snapshot!("tool_table", inv);
    assert_eq!(
        sorted_tool_names(&inv),
        ["hostname", "kill_proc", "list_procs", "uptime"]
    );
    assert_eq!(
        tool(&inv, "list_procs").description.as_deref(),
        Some("[ops] List processes")
    );
    assert_eq!(
        tool(&inv, "kill_proc").description.as_deref(),
        Some("[ops] Kill a process")
    );
    // Handlers come from each row.
    assert_eq!(
        tool(&inv, "kill_proc").handler.as_ref().map(|h| h.line),
        Some(23)
    );
    assert_eq!(
        tool(&inv, "list_procs").handler.as_ref().map(|h| h.line),
        Some(19)
    );
    assert_eq!(
        tool(&inv, "hostname").description.as_deref(),
        Some("Show the host name")
    );
    assert!(tool(&inv, "uptime").handler.is_some());
}

#[test]
fn look_alike_apis_of_other_packages_are_ignored() {
    let inv = extract_fixture("not_mcp.go");
    assert!(inv.is_empty(), "{inv:?}");
}

#[test]
fn large_generated_servers_are_extracted_whole() {
    let mut src =
        String::from("package main\nimport \"github.com/mark3labs/mcp-go/mcp\"\nfunc main() {\n");
    for i in 0..3000 {
        src.push_str(&format!(
            "\tt{i} := mcp.NewTool(\"t{i}\", mcp.WithDescription(d{i}))\n\td{i} := \"x\"\n\ts.AddTool(t{i}, h)\n"
        ));
    }
    src.push_str("}\n");
    let inv = extract_source("big.go", &src);
    assert_eq!(inv.tools.len(), 3000);
    // `d{i}` is assigned after its use: not resolved.
    assert!(inv.tools.iter().all(|t| t.description.is_none()));
}
