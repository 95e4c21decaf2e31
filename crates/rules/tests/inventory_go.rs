//! Go surface extraction: mark3labs/mcp-go, the official Go SDK and tool tables, on
//! fixtures under `fixtures/inventory/go/`.

use assay_core::{Inventory, Tool};
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::{FileContext, PathContext, inventory};

fn extract_fixture(name: &str) -> Inventory {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/inventory/go/");
    let text = std::fs::read_to_string(format!("{dir}{name}")).expect("fixture exists");
    let path = format!("cmd/{name}");
    let tree = lang::parse(Language::Go, &text, &ParseBudget::default()).expect("parses");
    let file = FileContext {
        path: &path,
        text: &text,
        language: Language::Go,
        context: PathContext::of(&path),
        tree: Some(&tree),
    };
    inventory::extract(&file)
}

fn tool<'a>(inventory: &'a Inventory, name: &str) -> &'a Tool {
    inventory
        .tools
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("tool {name} in {:?}", names(inventory)))
}

fn names(inventory: &Inventory) -> Vec<&str> {
    let mut names: Vec<&str> = inventory.tools.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn mcp_go_options_and_registrations() {
    let inv = extract_fixture("mcpgo_server.go");
    insta::assert_json_snapshot!("mcpgo_server", inv);
    assert_eq!(names(&inv), ["delete_file", "raw", "read_file", "search"]);
    assert!(inv.tools.iter().all(|t| t.sdk == "mcp-go"));

    let read = tool(&inv, "read_file");
    // `s` is not a string: its verb stays as written.
    assert_eq!(
        read.description.as_deref(),
        Some("Read a file from Acme storage (%s)")
    );
    let params: Vec<_> = read
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref().unwrap_or(""), p.required))
        .collect();
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
    let params: Vec<_> = search
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
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
    assert_eq!(names(&inv), ["greet", "hello", "read_file"]);
    assert!(inv.tools.iter().all(|t| t.sdk == "go-sdk"));
    let read = tool(&inv, "read_file");
    let params: Vec<_> = read
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref().unwrap_or(""), p.required))
        .collect();
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
        names(&inv),
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
    let tree = lang::parse(Language::Go, &src, &ParseBudget::default()).expect("parses");
    let file = FileContext {
        path: "big.go",
        text: &src,
        language: Language::Go,
        context: PathContext::of("big.go"),
        tree: Some(&tree),
    };
    let inv = inventory::extract(&file);
    assert_eq!(inv.tools.len(), 3000);
    // `d{i}` is assigned after its use: not resolved.
    assert!(inv.tools.iter().all(|t| t.description.is_none()));
}
