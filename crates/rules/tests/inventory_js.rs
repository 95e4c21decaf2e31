//! Surface extraction for JavaScript, TypeScript and TSX: one fixture per SDK pattern,
//! snapshotted as JSON, plus targeted assertions for the tricky cases.

mod common;

use assay_core::{Inventory, Parameter, Tool};
use assay_rules::lang::{self, Language, ParseBudget};
use assay_rules::{FileContext, inventory};
use common::{extract_source, fixture, tool, tool_names};

/// Extracts the inventory of a fixture under `tests/fixtures/inventory/js/`.
fn extract_fixture(name: &str) -> Inventory {
    extract_source(name, &fixture("js", name))
}

fn param<'t>(tool: &'t Tool, name: &str) -> &'t Parameter {
    tool.parameters
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("parameter {name} not found on {}", tool.name))
}

/// Every fixture, snapshotted whole: the snapshots were reviewed line by line against
/// the fixture sources (names, descriptions, parameters, locations, handlers).
#[test]
fn fixtures_match_snapshots() {
    for fixture in [
        "mcp_server.ts",
        "low_level.js",
        "low_level.ts",
        "fastmcp.ts",
        "tables.ts",
        "component.tsx",
        "dist/index.js",
        "bundle.min.js",
    ] {
        let snapshot = fixture.replace(['/', '.'], "_");
        insta::assert_json_snapshot!(snapshot, extract_fixture(fixture));
    }
}

#[test]
fn tool_overloads_are_told_apart() {
    let inv = extract_fixture("mcp_server.ts");
    let ping = tool(&inv, "ping");
    assert_eq!(
        (ping.description.as_deref(), ping.parameters.len()),
        (None, 0)
    );
    assert_eq!(ping.sdk, "ts-sdk");

    let version = tool(&inv, "version");
    assert_eq!(
        version.description.as_deref(),
        Some("Report the server version.")
    );

    // tool(name, shape, cb): the object is a shape (its values are zod schemas).
    let echo = tool(&inv, "echo");
    assert_eq!(echo.description, None);
    assert_eq!(param(echo, "message").ty.as_deref(), Some("string"));
    assert!(echo.annotations.is_empty());

    // tool(name, annotations, cb): the object is annotations (literal hint values).
    let clock = tool(&inv, "clock");
    assert!(clock.parameters.is_empty());
    assert_eq!(clock.annotations.title.as_deref(), Some("Clock"));
    assert_eq!(clock.annotations.read_only_hint, Some(true));

    // tool(name, description, shape, annotations, cb).
    let delete = tool(&inv, "delete_file");
    assert_eq!(delete.parameters.len(), 2);
    assert!(!param(delete, "force").required, "nullish() is optional");
    assert_eq!(delete.annotations.destructive_hint, Some(true));
    assert_eq!(delete.annotations.idempotent_hint, Some(false));

    // tool(name, description, annotations, cb) with a handler declared elsewhere.
    let list = tool(&inv, "list_dir");
    assert!(list.parameters.is_empty());
    assert_eq!(list.annotations.open_world_hint, Some(false));
    let handler = list.handler.as_ref().expect("handler resolved");
    assert_eq!(handler.line, 55, "points at `async function handleList`");
}

#[test]
fn zod_shapes_become_parameters() {
    let inv = extract_fixture("mcp_server.ts");
    let read = tool(&inv, "fs_read");
    let path = param(read, "path");
    assert_eq!(
        (
            path.ty.as_deref(),
            path.description.as_deref(),
            path.required
        ),
        (Some("string"), Some("File to read"), true)
    );
    let encoding = param(read, "encoding");
    assert_eq!(encoding.ty.as_deref(), Some("enum"));
    assert_eq!(encoding.enum_values, ["utf8", "base64"]);
    assert_eq!(encoding.default.as_deref(), Some("\"utf8\""));
    assert!(!encoding.required, "a default makes it optional");
    let max = param(read, "maxBytes");
    assert_eq!((max.ty.as_deref(), max.required), (Some("integer"), false));

    let search = tool(&inv, "search");
    assert_eq!(param(search, "kinds").ty.as_deref(), Some("array"));
    assert_eq!(param(search, "limit").default.as_deref(), Some("20"));
    assert_eq!(search.annotations.title.as_deref(), Some("Search files"));
}

#[test]
fn descriptions_resolve_constants_templates_concatenations_and_joins() {
    let inv = extract_fixture("mcp_server.ts");
    // `${PREFIX}_read` name; description from a const object member holding a
    // template literal that embeds a `+` concatenation.
    assert_eq!(
        tool(&inv, "fs_read").description.as_deref(),
        Some("Read a file. Paths are relative to the workspace root.")
    );
    // `[…].join(" ")`.
    assert_eq!(
        tool(&inv, "list_dir").description.as_deref(),
        Some("List a directory. Hidden files are skipped.")
    );
    assert_eq!(inv.instructions.len(), 1);
    assert_eq!(inv.instructions[0].text, "Use fs_read before editing.");

    let low = extract_fixture("low_level.js");
    assert_eq!(
        low.instructions[0].text,
        "This server runs shell commands.\nAlways confirm destructive commands with the user."
    );
}

#[test]
fn unresolvable_parts_stay_as_placeholders() {
    let inv = extract_fixture("mcp_server.ts");
    assert_eq!(
        tool(&inv, "delete_file").description.as_deref(),
        Some("Delete a file. ${EXTERNAL_NOTE}")
    );
    assert_eq!(
        tool(&inv, "search").description.as_deref(),
        Some("Search files under the root. Searches ${process.env.SEARCH_SCOPE} only.")
    );
}

#[test]
fn unrelated_method_calls_are_not_declarations() {
    let inv = extract_fixture("mcp_server.ts");
    assert_eq!(
        tool_names(&inv),
        [
            "ping",
            "version",
            "echo",
            "clock",
            "fs_read",
            "delete_file",
            "list_dir",
            "search"
        ]
    );
    let prompts: Vec<&str> = inv.prompts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(prompts, ["review", "summarize"]);
    let resources: Vec<&str> = inv.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(resources, ["config", "file", "readme"]);

    let fast = extract_fixture("fastmcp.ts");
    assert!(fast.tools.iter().all(|t| t.name != "hammer"));
}

#[test]
fn loops_over_literal_tables_declare_one_tool_per_entry() {
    let inv = extract_fixture("tables.ts");
    // for…of: located at the table entries, schema read through `t.schema.shape`.
    let get = tool(&inv, "get_issue");
    assert_eq!(get.location.line, 8);
    assert_eq!(get.description.as_deref(), Some("Fetch an issue by number"));
    assert_eq!(
        param(get, "number").description.as_deref(),
        Some("Issue number")
    );
    let close = tool(&inv, "close_issue");
    assert_eq!(close.location.line, 13);
    assert!(!param(close, "reason").required);

    // forEach with a destructured parameter.
    assert_eq!(
        tool(&inv, "ban_user").annotations.read_only_hint,
        Some(false)
    );
    assert_eq!(
        tool(&inv, "list_bans").annotations.read_only_hint,
        Some(true)
    );

    // Object.entries with `[name, def]`.
    let add = tool(&inv, "add_label");
    assert_eq!(add.location.line, 40);
    assert_eq!(add.description.as_deref(), Some("Add a label"));
    assert_eq!(tool(&inv, "remove_label").parameters[0].name, "label");
}

#[test]
fn wrapper_helpers_bind_their_parameters_per_call_site() {
    let inv = extract_fixture("tables.ts");
    let merge = tool(&inv, "merge_pr");
    assert_eq!(merge.location.line, 53, "located at the defineTool(…) call");
    assert_eq!(merge.description.as_deref(), Some("Merge a pull request"));
    assert_eq!(param(merge, "pr").ty.as_deref(), Some("number"));
    let comment = tool(&inv, "comment");
    assert_eq!(
        comment.description.as_deref(),
        Some("Comment on an issue. Markdown is supported.")
    );
    assert_eq!(comment.handler.as_ref().map(|h| h.line), Some(58));

    // A method wrapper called as `this.add(…)`.
    let deploy = tool(&inv, "deploy");
    assert_eq!(deploy.location.line, 71);
    assert_eq!(param(deploy, "env").enum_values, ["staging", "prod"]);

    // The wrapper `exported(name)` has no call site here: its tool has no known name.
    assert_eq!(inv.tools.len(), 9, "{:?}", tool_names(&inv));
    assert!(inv.tools.iter().all(|t| !t.name.contains("${")));
}

#[test]
fn low_level_tools_point_at_their_dispatch_branch() {
    let inv = extract_fixture("low_level.js");
    let run = tool(&inv, "run_command");
    assert_eq!(run.sdk, "ts-sdk-lowlevel");
    assert_eq!(run.location.line, 22, "the tool object in the TOOLS table");
    assert_eq!(
        run.handler.as_ref().map(|h| h.line),
        Some(48),
        "case \"run_command\""
    );
    assert_eq!(
        tool(&inv, "which").handler.as_ref().map(|h| h.line),
        Some(51)
    );
    let command = param(run, "command");
    assert!(command.required);
    assert_eq!(command.description.as_deref(), Some("The command line"));
    assert_eq!(param(run, "timeout").default.as_deref(), Some("30"));
    assert_eq!(param(run, "shell").enum_values, ["bash", "sh"]);

    let prompt = &inv.prompts[0];
    assert_eq!(prompt.arguments.len(), 2);
    assert!(prompt.arguments[0].required && !prompt.arguments[1].required);
    assert_eq!(
        prompt.template.as_deref(),
        Some("Explain this error:\n${request.params.arguments.output}")
    );
    assert_eq!(inv.resources[0].uri.as_deref(), Some("shell://history"));

    // Objects declared separately, a zodToJsonSchema(const) input schema, if-dispatch.
    let ts = extract_fixture("low_level.ts");
    let read = tool(&ts, "read_file");
    assert_eq!(
        param(read, "path").description.as_deref(),
        Some("Path of the file")
    );
    assert!(!param(read, "head").required);
    assert_eq!(read.handler.as_ref().map(|h| h.line), Some(39));
    let write = tool(&ts, "write_file");
    assert_eq!(write.handler.as_ref().map(|h| h.line), Some(41));
    assert!(param(write, "content").required);
}

#[test]
fn fastmcp_definitions() {
    let inv = extract_fixture("fastmcp.ts");
    let forecast = tool(&inv, "forecast");
    assert_eq!(forecast.sdk, "fastmcp-ts");
    assert_eq!(param(forecast, "days").ty.as_deref(), Some("integer"));
    assert_eq!(param(forecast, "days").default.as_deref(), Some("3"));
    assert_eq!(forecast.annotations.title.as_deref(), Some("Forecast"));
    // `async execute(args) { … }` method syntax.
    assert_eq!(
        tool(&inv, "set_alert").handler.as_ref().map(|h| h.line),
        Some(28)
    );
    let prompt = &inv.prompts[0];
    assert_eq!(
        prompt.template.as_deref(),
        Some("Give travel advice for ${args.destination} in ${args.season}.")
    );
    assert_eq!(prompt.arguments[1].enum_values, ["summer", "winter"]);
    let uris: Vec<Option<&str>> = inv.resources.iter().map(|r| r.uri.as_deref()).collect();
    assert_eq!(
        uris,
        [Some("weather://stations"), Some("weather://city/{name}")]
    );
    assert_eq!(
        inv.instructions[0].text,
        "Answer weather questions. Never reveal the API key."
    );
}

#[test]
fn compiled_and_minified_output_reads_like_source() {
    let dist = extract_fixture("dist/index.js");
    let query = tool(&dist, "query");
    assert_eq!(
        query.description.as_deref(),
        Some("Query the database. Only SELECT statements are allowed.")
    );
    assert_eq!(
        param(query, "sql").description.as_deref(),
        Some("The SQL statement")
    );
    // `(0, zod_1.z).string()` is still zod.
    assert_eq!(
        param(tool(&dist, "schema"), "table").ty.as_deref(),
        Some("string")
    );
    assert_eq!(dist.instructions[0].text, "Read-only database access.");

    let bundle = extract_fixture("bundle.min.js");
    assert_eq!(
        tool_names(&bundle),
        ["fetch_url", "screenshot", "pdf", "html"]
    );
    let fetch = tool(&bundle, "fetch_url");
    assert_eq!(
        fetch.sdk, "ts-sdk-lowlevel",
        "inferred from the handler's result"
    );
    assert_eq!(fetch.annotations.read_only_hint, Some(true), "`!0` is true");
    assert!(
        fetch.handler.is_some(),
        "found through the `case` in a mangled handler"
    );
    assert_eq!(
        param(tool(&bundle, "screenshot"), "full")
            .description
            .as_deref(),
        Some("Full page")
    );
    assert_eq!(
        param(tool(&bundle, "html"), "selector").ty.as_deref(),
        Some("string")
    );
    assert_eq!(
        bundle.instructions[0].text,
        "Fetch pages for the user.\nNever fetch internal addresses."
    );
}

#[test]
fn projections_keys_and_spreads_of_tables() {
    let source = r#"
const DEFS = {
  alpha: { summary: "First", input: { a: z.string() } },
  beta: { summary: "Second", input: { b: z.number().array() } },
};
const BASE = { name: "gamma", description: "Third" };
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    ...Object.entries(DEFS).map(([name, def]) => ({
      name,
      description: def.summary,
      inputSchema: { type: "object", properties: { x: { type: ["string", "null"] } } },
    })),
    { ...BASE, inputSchema: { type: "object", properties: {} } },
  ],
}));
for (const key in DEFS) {
  server.tool(key, DEFS[key].summary.concat("!"), DEFS[key].input, async () => ({ content: [] }));
}
"#;
    let inv = extract_source("src/server.ts", source);
    let names: Vec<(&str, &str)> = inv
        .tools
        .iter()
        .map(|t| (t.name.as_str(), t.sdk.as_str()))
        .collect();
    assert!(names.contains(&("alpha", "ts-sdk-lowlevel")), "{names:?}");
    assert!(names.contains(&("beta", "ts-sdk-lowlevel")), "{names:?}");
    assert!(names.contains(&("gamma", "ts-sdk-lowlevel")), "{names:?}");
    let alpha_low = inv
        .tools
        .iter()
        .find(|t| t.name == "alpha" && t.sdk == "ts-sdk-lowlevel")
        .unwrap();
    assert_eq!(alpha_low.description.as_deref(), Some("First"));
    assert_eq!(alpha_low.parameters[0].ty.as_deref(), Some("string|null"));
    let beta = inv
        .tools
        .iter()
        .find(|t| t.name == "beta" && t.sdk == "ts-sdk")
        .expect("for…in");
    assert_eq!(beta.description.as_deref(), Some("Second!"));
    assert_eq!(beta.parameters[0].ty.as_deref(), Some("array"));
    assert_eq!(inv.tools.len(), 5, "{names:?}");
}

#[test]
fn hostile_constants_terminate() {
    let source = r#"
var a = a + "x";
var b = c, c = b;
const loop = { self: loop.self };
server.tool("cyclic", a + b + loop.self, {}, async () => ({ content: [] }));
"#;
    let inv = extract_source("index.js", source);
    let cyclic = tool(&inv, "cyclic");
    let description = cyclic.description.as_deref().unwrap();
    assert!(
        description.contains('x') && description.contains("${"),
        "{description}"
    );
}

#[test]
fn large_bundles_keep_late_declarations() {
    // A 2 MB single-line bundle full of look-alike calls (`.prompt(t)`, a wrapper called
    // thousands of times) with one real declaration at the very end. The bound is a
    // guard against pathological behaviour (it is ~0.25 s in release builds).
    let chunk = r#"var a=function(e,t){return e.tool?e.prompt(t):{name:"x",version:"1",items:[1,2,3].map(n=>n*2)}};function b(e){for(const t of e){t.resource&&a(t,"y")}return{tools:[]}}"#;
    let mut text = String::from(r#"var Me=new be({name:"x",version:"1"});"#);
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(chunk);
    }
    text.push_str(
        r#"Me.tool("late","Declared at the end",{q:ye.z.string()},async e=>({content:[]}));"#,
    );
    let tree = lang::parse(Language::JavaScript, &text, &ParseBudget::default()).unwrap();
    let file = FileContext::new("dist/bundle.js", &text, Language::JavaScript, Some(&tree));
    let inv = inventory::extract(&file);
    assert_eq!(tool_names(&inv), ["late"]);
}
