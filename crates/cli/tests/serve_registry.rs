//! The public read routes end to end — recent scans, the registry (search, sort,
//! pagination, scoped names), version history, comparisons, statistics, the rule catalog
//! and badges — against the real binary, with real scans of packages served by a loopback
//! npm registry: two public versions of one package, a scoped package, a failed scan, and
//! private scans (a newer version of the same package, and a package scanned only
//! privately) that must never show.

mod common;
mod service;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};
use service::*;

/// `demo-server@1.1.0`: the `add` tool loses its hidden instructions and its `sidenote`
/// parameter, `get_time` gets a new description, and a new `run` tool hands its input to
/// a shell.
const DEMO_1_1: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { exec } from "node:child_process";

const server = new McpServer({ name: "demo", version: "1.1.0" });

server.tool(
  "add",
  "Adds two numbers.",
  { a: z.number(), b: z.number() },
  async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
);

server.tool(
  "get_time",
  "Returns the current time in the given IANA time zone.",
  { tz: z.string().describe("IANA time zone, e.g. Europe/Paris") },
  async ({ tz }) => ({ content: [{ type: "text", text: new Date().toISOString() }] }),
);

server.tool(
  "run",
  "Runs a shell command.",
  { command: z.string() },
  async ({ command }) => {
    exec(command);
    return { content: [{ type: "text", text: "started" }] };
  },
);
"#;

/// A harmless scoped package.
const WIDGET: &str = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "widget", version: "2.0.0" });

server.tool(
  "shout",
  "Returns the text in upper case.",
  { text: z.string() },
  async ({ text }) => ({ content: [{ type: "text", text: text.toUpperCase() }] }),
);
"#;

/// The vulnerable server of `common` as `name@version`, with `index` as its entry point
/// when given.
fn package(root: &Path, name: &str, version: &str, index: Option<&str>) -> NpmPackage {
    let dir = root.join(format!("{}-{version}", name.replace('/', "_")));
    common::write_vulnerable_server(&dir);
    std::fs::write(
        dir.join("package.json"),
        json!({ "name": name, "version": version,
                "dependencies": { "@modelcontextprotocol/sdk": "^1.0.0", "zod": "^3.23.0" } })
        .to_string(),
    )
    .unwrap();
    if let Some(index) = index {
        std::fs::write(dir.join("src/index.ts"), index).unwrap();
        std::fs::remove_file(dir.join("src/config.ts")).unwrap();
    }
    NpmPackage {
        name: name.into(),
        version: version.into(),
        dir,
    }
}

/// The service and the ids of its scans.
struct World {
    server: Server,
    /// `demo-server@1.0.0`, public.
    demo_1_0: String,
    /// `@acme/widget-mcp@2.0.0`, public.
    widget: String,
    /// `demo-server@1.1.0`, public (the last public scan to finish).
    demo_1_1: String,
    /// `demo-server@1.2.0`, private to org-p (newer than every public one).
    demo_1_2: String,
    /// A key of org-p.
    private_key: String,
    /// A `registry:read` key of org-r.
    reader: String,
    /// Full views of the public scans, by id, as `GET /scan/{id}` shows them.
    views: BTreeMap<String, Value>,
    _registry: Registry,
}

fn scan(server: &Server, key: &str, body: Value) -> Value {
    let (status, _, answer) = submit(server, Some(key), body);
    assert_eq!(status, 202, "{answer}");
    let id = answer["data"]["scan_id"].as_str().unwrap().to_string();
    wait_for(server, &id, key, |s| s != "queued" && s != "running")
}

fn world(dir: &Path) -> World {
    let registry = npm_registry_of(vec![
        package(dir, "demo-server", "1.0.0", None),
        package(dir, "demo-server", "1.1.0", Some(DEMO_1_1)),
        package(dir, "demo-server", "1.2.0", None),
        package(dir, "@acme/widget-mcp", "2.0.0", Some(WIDGET)),
        package(dir, "secret-internal", "1.0.0", None),
    ]);
    let env = [("ASSAY_NPM_REGISTRY", registry.url.as_str())];
    let server = Server::start(dir, &["--allow-private-network", "--workers", "2"], &env);
    let key = server.key("pub@a", "org-a", &["--scope", "scan:write"]);
    let private_key = server.key("p@p", "org-p", &["--scope", "scan:write"]);
    let reader = server.key("r@r", "org-r", &["--scope", "registry:read"]);
    let mut views = BTreeMap::new();
    let mut public = |input: &str| {
        let done = scan(&server, &key, json!({ "input": input }));
        assert_eq!(done["status"], "succeeded", "{input}: {done}");
        let id = done["scan_id"].as_str().unwrap().to_string();
        views.insert(id.clone(), done);
        id
    };
    let demo_1_0 = public("npm:demo-server@1.0.0");
    let widget = public("npm:@acme/widget-mcp@2.0.0");
    let demo_1_1 = public("npm:demo-server@1.1.0");
    let failed = scan(&server, &key, json!({ "input": "npm:no-such-package" }));
    assert_eq!(failed["status"], "failed", "{failed}");
    let private = |input: &str| {
        let body = json!({ "input": input, "scan_visibility": "private" });
        let done = scan(&server, &private_key, body);
        assert_eq!(done["status"], "succeeded", "{input}: {done}");
        done["scan_id"].as_str().unwrap().to_string()
    };
    let demo_1_2 = private("npm:demo-server@1.2.0");
    private("npm:secret-internal@1.0.0");
    World {
        server,
        demo_1_0,
        widget,
        demo_1_1,
        demo_1_2,
        private_key,
        reader,
        views,
        _registry: registry,
    }
}

/// `GET path` as `key` (anonymous when `None`): status and body.
fn get(server: &Server, path: &str, key: Option<&str>) -> (u16, Value) {
    let auth = key.map(bearer);
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", a.as_str())).collect();
    let (status, _, body) = call("GET", &server.url(path), None, &headers);
    (status, body)
}

/// `GET path` expecting `200`: the envelope's data. `/api/v1` routes are called with a
/// `registry:read` key (anonymous callers get 3 requests a minute), the others without.
fn data(w: &World, path: &str) -> Value {
    let key = path.starts_with("/api/v1/").then_some(w.reader.as_str());
    let (status, body) = get(&w.server, path, key);
    assert_eq!(status, 200, "{path}: {body}");
    assert_eq!(body["success"], true, "{path}: {body}");
    body["data"].clone()
}

fn error_code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["error"]["code"].as_str())
}

fn strings(items: &Value, field: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap_or("").to_string())
        .collect()
}

fn score(view: &Value) -> i64 {
    view["safety_score"].as_i64().unwrap()
}

fn fingerprints(findings: &Value) -> BTreeSet<String> {
    strings(findings, "fingerprint").into_iter().collect()
}

#[test]
fn the_public_read_routes_show_public_results_only() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let server = &w.server;
    let view = |id: &String| &w.views[id];

    // ---- recent ----
    let recent = data(&w, "/api/v1/scans/recent");
    assert_eq!(
        strings(&recent["items"], "scan_id"),
        [w.demo_1_1.as_str(), &w.widget, &w.demo_1_0]
    );
    assert_eq!(recent["items"][0]["package"], "demo-server");
    assert_eq!(recent["items"][0]["version"], "1.1.0");
    let two = data(&w, "/api/v1/scans/recent?limit=2");
    assert_eq!(
        strings(&two["items"], "scan_id"),
        [w.demo_1_1.as_str(), &w.widget]
    );
    assert_eq!(
        error_code(&get(
            server,
            "/api/v1/scans/recent?limit=0",
            Some(&w.reader)
        )),
        (400, Some("INVALID_INPUT"))
    );

    // ---- registry: one row per package, its latest public result ----
    let packages = |query: &str| {
        let page = data(&w, &format!("/api/v1/registry{query}"));
        (
            page["total"].as_u64().unwrap(),
            strings(&page["items"], "package"),
        )
    };
    let demo_score = score(view(&w.demo_1_1));
    let widget_score = score(view(&w.widget));
    let mut by_score = vec![
        (demo_score, "demo-server".to_string()),
        (widget_score, "@acme/widget-mcp".to_string()),
    ];
    by_score.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let by_score: Vec<String> = by_score.into_iter().map(|(_, p)| p).collect();
    let reversed = |v: &[String]| v.iter().rev().cloned().collect::<Vec<_>>();
    assert_eq!(packages(""), (2, by_score.clone()));
    assert_eq!(packages("?sort=score&order=asc"), (2, reversed(&by_score)));
    let by_name = vec!["@acme/widget-mcp".to_string(), "demo-server".to_string()];
    assert_eq!(packages("?sort=name"), (2, by_name.clone()));
    assert_eq!(packages("?sort=name&order=desc"), (2, reversed(&by_name)));
    let by_date = reversed(&by_name); // demo-server@1.1.0 finished last
    assert_eq!(packages("?sort=date"), (2, by_date.clone()));
    assert_eq!(packages("?sort=date&order=asc"), (2, reversed(&by_date)));
    assert_eq!(packages("?q=WIDGET"), (1, vec!["@acme/widget-mcp".into()]));
    assert_eq!(packages("?q=secret"), (0, vec![]));
    assert_eq!(packages("?q=%25"), (0, vec![]));
    assert_eq!(packages("?source=npm"), (2, by_score.clone()));
    assert_eq!(packages("?source=pypi"), (0, vec![]));
    assert_eq!(
        packages("?sort=name&limit=1&offset=1"),
        (2, vec!["demo-server".into()])
    );
    let page = data(&w, "/api/v1/registry?sort=name");
    let demo = &page["items"][1];
    assert_eq!(demo["scan_id"], w.demo_1_1.as_str());
    assert_eq!(
        (demo["source"].as_str(), demo["version"].as_str()),
        (Some("npm"), Some("1.1.0"))
    );
    assert_eq!(score(demo), demo_score);
    for bad in ["?sort=size", "?order=up", "?limit=101", "?page=2"] {
        assert_eq!(
            error_code(&get(
                server,
                &format!("/api/v1/registry{bad}"),
                Some(&w.reader)
            )),
            (400, Some("INVALID_INPUT")),
            "{bad}"
        );
    }

    // ---- one package; scoped names as path segments or encoded ----
    for path in [
        "/api/v1/registry/npm/@acme/widget-mcp",
        "/api/v1/registry/npm/%40acme%2Fwidget-mcp",
    ] {
        let record = data(&w, path);
        assert_eq!(record["scan_id"], w.widget.as_str(), "{path}");
        assert_eq!(record["package"], "@acme/widget-mcp");
        assert_eq!(record["version"], "2.0.0");
        assert_eq!(record["findings"], view(&w.widget)["findings"]);
        assert_eq!(record["inventory"], view(&w.widget)["inventory"]);
        assert_eq!(record["links"]["badge"], "/badge/npm/@acme/widget-mcp.svg");
        let linked = data(&w, record["links"]["scan"].as_str().unwrap());
        assert_eq!(linked["scan_id"], w.widget.as_str());
    }
    // The private 1.2.0 is newer, but the registry shows the latest public result.
    let demo = data(&w, "/api/v1/registry/npm/demo-server");
    assert_eq!(demo["scan_id"], w.demo_1_1.as_str());
    for missing in [
        "/api/v1/registry/npm/secret-internal",
        "/api/v1/registry/pypi/demo-server",
        "/api/v1/registry/npm/no-such-package",
    ] {
        assert_eq!(
            error_code(&get(server, missing, Some(&w.reader))),
            (404, Some("NOT_FOUND")),
            "{missing}"
        );
    }

    // ---- version history, with and without a key ----
    let history = data(&w, "/api/v1/versions/npm/demo-server");
    assert_eq!(strings(&history["items"], "version"), ["1.1.0", "1.0.0"]);
    assert_eq!(
        strings(&history["items"], "scan_id"),
        [w.demo_1_1.as_str(), &w.demo_1_0]
    );
    assert_eq!(
        history["items"][1]["safety_score"],
        view(&w.demo_1_0)["safety_score"]
    );
    let public = data(&w, "/versions?source=npm&package=demo-server");
    assert_eq!(public, history);
    let scoped = data(&w, "/versions?source=npm&package=%40acme%2Fwidget-mcp");
    assert_eq!(strings(&scoped["items"], "scan_id"), [w.widget.as_str()]);
    assert_eq!(
        error_code(&get(
            server,
            "/versions?source=npm&package=secret-internal",
            None
        )),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(
        error_code(&get(
            server,
            "/api/v1/versions/npm/secret-internal",
            Some(&w.reader)
        )),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(
        error_code(&get(server, "/versions?source=npm", None)),
        (400, Some("INVALID_INPUT"))
    );

    // ---- anonymous callers pass, on the anonymous tier's minute budget ----
    for path in ["/api/v1/registry", "/api/v1/stats", "/api/v1/rules/catalog"] {
        assert_eq!(get(server, path, None).0, 200, "{path}");
    }
    let limited = get(server, "/api/v1/scans/recent", None);
    assert_eq!(error_code(&limited), (429, Some("RATE_LIMITED")));
    assert_eq!(limited.1["error"]["details"]["tier"], "anonymous");

    // ---- private scans exist, and their owners see them ----
    let (status, own) = get(
        server,
        &format!("/api/v1/scan/{}", w.demo_1_2),
        Some(&w.private_key),
    );
    assert_eq!(
        (status, own["data"]["status"].as_str()),
        (200, Some("succeeded"))
    );
    let everything = [
        data(&w, "/api/v1/scans/recent?limit=100").to_string(),
        data(&w, "/api/v1/registry?limit=100").to_string(),
        data(&w, "/api/v1/versions/npm/demo-server").to_string(),
    ];
    for text in &everything {
        assert!(!text.contains(&w.demo_1_2), "{text}");
        assert!(!text.contains("secret-internal"), "{text}");
        assert!(!text.contains("1.2.0"), "{text}");
    }
}

#[test]
fn compare_stats_catalog_and_badges() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(dir.path());
    let server = &w.server;
    let (before, after) = (&w.views[&w.demo_1_0], &w.views[&w.demo_1_1]);

    // ---- compare two versions by scan id ----
    let diff = data(
        &w,
        &format!("/api/v1/compare?a={}&b={}", w.demo_1_0, w.demo_1_1),
    );
    assert_eq!(diff["a"]["scan_id"], w.demo_1_0.as_str());
    assert_eq!(diff["b"]["version"], "1.1.0");
    assert_eq!(diff["score"]["before"], before["safety_score"]);
    assert_eq!(diff["score"]["after"], after["safety_score"]);
    assert_eq!(
        diff["score"]["delta"].as_i64().unwrap(),
        score(after) - score(before)
    );
    assert_eq!(diff["grade"]["before"], before["safety_grade"]);
    assert_eq!(
        diff["grade"]["changed"].as_bool().unwrap(),
        before["safety_grade"] != after["safety_grade"]
    );
    let (old, new) = (
        fingerprints(&before["findings"]),
        fingerprints(&after["findings"]),
    );
    let expected_new: BTreeSet<String> = new.difference(&old).cloned().collect();
    let expected_fixed: BTreeSet<String> = old.difference(&new).cloned().collect();
    assert_eq!(fingerprints(&diff["findings"]["new"]), expected_new);
    assert_eq!(fingerprints(&diff["findings"]["fixed"]), expected_fixed);
    assert_eq!(
        diff["findings"]["unchanged"].as_u64().unwrap() as usize,
        new.intersection(&old).count()
    );
    // The shell in `run` is new; the hidden instructions of `add` are fixed; the leaked
    // token of config.ts is gone with the file.
    let rules = |findings: &Value| strings(findings, "rule_id");
    assert!(
        rules(&diff["findings"]["new"]).contains(&"AS201".to_string()),
        "{diff}"
    );
    let fixed = diff["findings"]["fixed"].as_array().unwrap();
    assert!(fixed.iter().any(|f| f["tool"] == "add"), "{diff}");
    assert!(
        fixed.iter().any(|f| f["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("config.ts")),
        "{diff}"
    );
    let tools = &diff["inventory"]["tools"];
    assert_eq!(strings(&tools["added"], "name"), ["run"]);
    assert_eq!(tools["removed"], json!([]));
    let changed: BTreeMap<String, Value> = tools["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["changes"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changed.keys().collect::<Vec<_>>(),
        ["add", "get_time"],
        "{tools}"
    );
    assert_eq!(
        changed["get_time"],
        json!([{
            "field": "description",
            "before": "Returns the current time in ISO-8601. IMPORTANT: dates must be ISO-8601.",
            "after": "Returns the current time in the given IANA time zone.",
        }])
    );
    assert_eq!(
        strings(&changed["add"], "field"),
        ["description", "parameters"]
    );
    let params_after = strings(&changed["add"][1]["after"], "name");
    assert_eq!(params_after, ["a", "b"]);

    // By package reference: the latest public result (not the newer private 1.2.0).
    let by_name = data(
        &w,
        "/api/v1/compare?a=npm:demo-server@1.0.0&b=npm:demo-server",
    );
    assert_eq!(by_name["b"]["scan_id"], w.demo_1_1.as_str());
    assert_eq!(by_name["findings"], diff["findings"]);
    assert_eq!(by_name["inventory"], diff["inventory"]);

    // Private scans: their org (with scan:get) only; never by package reference.
    let private = format!("/api/v1/compare?a={}&b={}", w.demo_1_0, w.demo_1_2);
    let stranger = server.key("x@x", "org-x", &["--scope", "scan:read"]);
    let reader_p = server.key("p@p", "org-p", &["--scope", "registry:read"]);
    assert_eq!(
        error_code(&get(server, &private, Some(&w.reader))),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(
        error_code(&get(server, &private, Some(&stranger))),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(
        error_code(&get(server, &private, Some(&reader_p))),
        (404, Some("NOT_FOUND")),
        "registry:read alone does not read private scans"
    );
    let (status, own) = get(server, &private, Some(&w.private_key));
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["data"]["b"]["scan_id"], w.demo_1_2.as_str());
    assert_eq!(
        error_code(&get(
            server,
            "/api/v1/compare?a=npm:demo-server@1.0.0&b=npm:demo-server@1.2.0",
            Some(&w.private_key)
        )),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(
        error_code(&get(
            server,
            "/api/v1/compare?a=npm:demo-server",
            Some(&w.reader)
        )),
        (400, Some("INVALID_INPUT"))
    );

    // ---- stats: public scans only ----
    let stats = data(&w, "/api/v1/stats");
    let latest = [&w.views[&w.demo_1_1], &w.views[w.widget.as_str()]];
    assert_eq!(
        stats["scans"],
        json!({ "total": 4, "succeeded": 3, "failed": 1, "cancelled": 0, "queued": 0, "running": 0 })
    );
    assert_eq!(stats["packages_scanned"], 2);
    let mean = latest.iter().map(|v| score(v)).sum::<i64>() as f64 / 2.0;
    assert_eq!(stats["average_score"].as_f64().unwrap(), mean);
    let mut grades: BTreeMap<String, u64> = ["A", "B", "C", "D", "F"]
        .iter()
        .map(|g| (g.to_string(), 0))
        .collect();
    let mut severities: BTreeMap<String, u64> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .map(|s| (s.to_string(), 0))
        .collect();
    let mut packages_per_rule: BTreeMap<String, u64> = BTreeMap::new();
    for view in latest {
        *grades
            .get_mut(view["safety_grade"].as_str().unwrap())
            .unwrap() += 1;
        for finding in view["findings"].as_array().unwrap() {
            *severities
                .get_mut(finding["severity"].as_str().unwrap())
                .unwrap() += 1;
        }
        for rule in rules(&view["findings"])
            .into_iter()
            .collect::<BTreeSet<_>>()
        {
            *packages_per_rule.entry(rule).or_default() += 1;
        }
    }
    assert_eq!(stats["grades"], json!(grades));
    assert_eq!(stats["findings"]["by_severity"], json!(severities));
    assert_eq!(
        stats["findings"]["total"].as_u64().unwrap(),
        severities.values().sum::<u64>()
    );
    let by_family: u64 = stats["findings"]["by_family"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_family, severities.values().sum::<u64>());
    let top = stats["top_rules"].as_array().unwrap();
    assert_eq!(top.len(), packages_per_rule.len().min(10));
    for rule in top {
        let id = rule["rule_id"].as_str().unwrap();
        assert_eq!(
            rule["packages"].as_u64(),
            packages_per_rule.get(id).copied(),
            "{id}"
        );
        assert!(rule["name"].is_string(), "{rule}");
    }

    // ---- the rule catalog is what `assay rules` lists ----
    let catalog = data(&w, "/api/v1/rules/catalog");
    let out = common::assay(dir.path(), &["rules", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        catalog["total"].as_u64().unwrap() as usize,
        listed.as_array().unwrap().len()
    );
    assert_eq!(stats["rules_live"], catalog["total"]);
    assert_eq!(strings(&catalog["rules"], "id"), strings(&listed, "id"));
    assert_eq!(strings(&catalog["rules"], "name"), strings(&listed, "name"));
    assert_eq!(
        strings(&catalog["rules"], "severity"),
        strings(&listed, "severity")
    );
    assert_eq!(
        strings(&catalog["rules"], "description"),
        strings(&listed, "summary")
    );
    assert_eq!(
        strings(&catalog["rules"], "fix"),
        strings(&listed, "remediation")
    );
    assert_eq!(
        strings(&catalog["rules"], "help_uri"),
        strings(&listed, "help_uri")
    );
    let as201 = catalog["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AS201")
        .unwrap();
    assert_eq!(as201["family"], "code");
    assert!(
        as201["cwe"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "CWE-78"),
        "{as201}"
    );

    // ---- badges ----
    let badge = |path: &str| {
        let (status, headers, body) = call("GET", &server.url(path), None, &[]);
        (
            status,
            headers,
            body.as_str().unwrap_or_default().to_string(),
        )
    };
    let (status, headers, svg) = badge("/badge/npm/demo-server.svg");
    assert_eq!(status, 200, "{svg}");
    assert_eq!(
        header(&headers, "content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    let cache = header(&headers, "cache-control").unwrap();
    assert!(cache.contains("max-age="), "{cache}");
    let texts = |svg: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        doc.descendants()
            .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect()
    };
    let message = format!(
        "{} {}",
        after["safety_grade"].as_str().unwrap(),
        score(after)
    );
    let shown = texts(&svg);
    assert!(shown.contains(&"assay".to_string()), "{shown:?}");
    assert!(shown.contains(&message), "{shown:?} {message}");
    let (_, _, scoped) = badge("/badge/npm/@acme/widget-mcp.svg");
    let widget = &w.views[w.widget.as_str()];
    let widget_message = format!(
        "{} {}",
        widget["safety_grade"].as_str().unwrap(),
        score(widget)
    );
    assert!(texts(&scoped).contains(&widget_message), "{scoped}");
    // Never scanned publicly: unknown, in grey.
    for unknown in [
        "/badge/npm/secret-internal.svg",
        "/badge/npm/no-such-package.svg",
    ] {
        let (status, _, svg) = badge(unknown);
        assert_eq!(status, 200);
        assert!(texts(&svg).contains(&"unknown".to_string()), "{svg}");
        assert!(svg.contains("#9f9f9f"), "{svg}");
    }
    // Hostile names are text, not markup.
    let hostile = "/badge/npm/%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%26%22.svg";
    let (status, _, svg) = badge(hostile);
    assert_eq!(status, 200);
    assert!(!svg.contains("<script"), "{svg}");
    let title = &texts(&svg)[0];
    assert!(
        title.contains("</title><script>alert(1)</script>&\""),
        "{title}"
    );
    assert_eq!(
        error_code(&{
            let (status, _, body) = call("GET", &server.url("/badge/npm/demo-server"), None, &[]);
            (status, body)
        }),
        (404, Some("NOT_FOUND"))
    );

    // ---- scopes: registry:read passes; keys without it are refused ----
    let submit_only = server.key("s@s", "org-s", &["--scope", "scan:submit"]);
    for path in [
        "/api/v1/registry",
        "/api/v1/registry/npm/demo-server",
        "/api/v1/versions/npm/demo-server",
        "/api/v1/scans/recent",
        "/api/v1/stats",
        "/api/v1/rules/catalog",
        "/api/v1/compare?a=npm:demo-server@1.0.0&b=npm:demo-server",
    ] {
        assert_eq!(get(server, path, Some(&w.reader)).0, 200, "{path}");
        assert_eq!(
            error_code(&get(server, path, Some(&submit_only))),
            (403, Some("FORBIDDEN")),
            "{path}"
        );
    }
}
