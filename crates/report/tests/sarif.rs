//! SARIF output: valid against the official SARIF 2.1.0 schema, and carrying what code
//! scanning needs (rules, locations, fingerprints, code flows, suppressions, completeness).

mod common;

use assay_core::SuppressionKind;
use assay_report::{Format, RenderOptions, SARIF_SCHEMA_URI, render};
use serde_json::Value;

/// The official schema (see `tests/data/README.md` for its origin).
const SARIF_SCHEMA: &str = include_str!("data/sarif-schema-2.1.0.json");

/// A draft-07 validator for SARIF 2.1.0 that checks formats and resolves nothing remotely.
fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles offline")
}

/// Every validation error of `instance`, as text.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// The sample report rendered as SARIF and parsed.
fn sample_sarif(options: &RenderOptions<'_>) -> Value {
    let text = render(&common::sample_report(), Format::Sarif, options);
    serde_json::from_str(&text).expect("SARIF output is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = validator();
    let sarif = sample_sarif(&common::options());
    assert_eq!(errors(&validator, &sarif), Vec::<String>::new());

    // Without rule metadata, descriptors are built from the findings; still valid.
    let bare = sample_sarif(&RenderOptions {
        color: false,
        rules: &[],
    });
    assert_eq!(errors(&validator, &bare), Vec::<String>::new());

    let clean = render(&common::clean_report(), Format::Sarif, &common::options());
    let clean: Value = serde_json::from_str(&clean).expect("json");
    assert_eq!(errors(&validator, &clean), Vec::<String>::new());
}

#[test]
fn the_schema_check_is_not_vacuous() {
    let validator = validator();
    let valid = sample_sarif(&common::options());

    let mut bad_level = valid.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!errors(&validator, &bad_level).is_empty());

    let mut unknown_property = valid.clone();
    unknown_property["runs"][0]["results"][0]["severity"] = "high".into();
    assert!(!errors(&validator, &unknown_property).is_empty());

    let mut zero_line = valid;
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!errors(&validator, &zero_line).is_empty());
}

#[test]
fn the_run_describes_tool_rules_and_completeness() {
    let sarif = sample_sarif(&common::options());
    assert_eq!(sarif["$schema"], SARIF_SCHEMA_URI);
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "assay");
    assert_eq!(driver["version"], "0.1.0");

    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["AS101", "AS201", "AS601"]);
    let as201 = &rules[1];
    assert_eq!(as201["name"], "command-injection");
    assert_eq!(
        as201["shortDescription"]["text"],
        "Tool parameter reaches a shell command"
    );
    assert_eq!(as201["defaultConfiguration"]["level"], "error");
    assert_eq!(as201["properties"]["security-severity"], "9.5");
    assert_eq!(as201["properties"]["precision"], "high");
    assert_eq!(
        as201["properties"]["tags"],
        serde_json::json!(["code", "CWE-78", "MCP05:2025", "security"])
    );
    let help = as201["help"]["markdown"].as_str().expect("help markdown");
    assert!(help.contains("**How to fix.**") && help.contains("execFile"));
    assert!(
        as201["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Why it matters")
    );
    assert!(
        as201["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#as201-command-injection")
    );
    // AS101's only finding has medium confidence.
    assert_eq!(rules[0]["properties"]["precision"], "medium");
    assert_eq!(rules[2]["properties"]["security-severity"], "5.5");

    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["endTimeUtc"], common::GENERATED_AT);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let texts: Vec<&str> = notes
        .iter()
        .map(|n| n["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 5, "{texts:#?}");
    assert!(texts[0].starts_with("file_bytes limit (10000000) hit at dist/vendor.bundle.js"));
    assert_eq!(notes[0]["level"], "warning");
    assert_eq!(
        notes[1]["level"], "note",
        "a parse budget hit loses no content"
    );
    assert_eq!(
        texts[2],
        "1 entry skipped (path_traversal): ../../etc/passwd"
    );
    assert_eq!(notes[2]["level"], "warning");
    assert_eq!(notes[3]["level"], "note");
    assert_eq!(notes[4]["level"], "error");
    let unused = invocation["toolConfigurationNotifications"]
        .as_array()
        .expect("unused suppressions");
    assert_eq!(unused.len(), 2);
    assert!(
        unused[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("assay-ignore: AS104")
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["properties"]["grade"], "F");
}

#[test]
fn results_carry_locations_fingerprints_flows_and_suppressions() {
    let report = common::sample_report();
    let sarif = sample_sarif(&common::options());
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        report.findings.len() + report.suppressed.len()
    );
    for result in results {
        let index = result["ruleIndex"]
            .as_u64()
            .expect("every result has a ruleIndex");
        let index = usize::try_from(index).unwrap();
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at its rule"
        );
    }

    let injection = &results[0];
    assert_eq!(injection["ruleId"], "AS201");
    assert_eq!(injection["level"], "error");
    let region = &injection["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &serde_json::json!({
            "startLine": 88, "startColumn": 5, "endLine": 88, "endColumn": 31,
            "snippet": { "text": "exec(`git ${args.cmd}`, cb)" }
        })
    );
    assert_eq!(
        injection["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dist/index.js"
    );
    assert_eq!(
        injection["partialFingerprints"]["assay/v1"],
        report.findings[0].fingerprint.as_str()
    );
    let steps = injection["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("flow");
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0]["location"]["message"]["text"],
        "tool parameter \"cmd\""
    );
    let properties = &injection["properties"];
    assert_eq!(properties["confidence"], "high");
    assert_eq!(properties["tool"], "git_run");
    assert_eq!(properties["security-severity"], "9.2");
    assert_eq!(properties["aivss"]["score"], 9.2);
    assert_eq!(properties["aivss"]["factors"]["autonomy"], 1.0);
    assert_eq!(properties["evidence"][0]["value"], "child_process.exec");
    assert_eq!(injection["rank"], 92.0);
    assert!(
        results[1].get("codeFlows").is_none(),
        "no flow, no codeFlows"
    );

    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 3);
    let kinds: Vec<&str> = suppressed
        .iter()
        .map(|r| r["suppressions"][0]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["inSource", "external", "external"]);
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "release script, never exposed as a tool"
    );
    assert!(
        suppressed[1]["suppressions"][0]
            .get("justification")
            .is_none()
    );
    assert_eq!(
        suppressed[0]["partialFingerprints"]["assay/v1"],
        report.suppressed[0].fingerprint.as_str()
    );
    assert_eq!(report.suppressed[0].kind, SuppressionKind::Inline);
}

#[test]
fn rules_missing_from_the_metadata_get_descriptors_from_findings() {
    let sarif = sample_sarif(&RenderOptions {
        color: false,
        rules: &[],
    });
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["AS101", "AS201", "AS601"]);
    assert_eq!(rules[1]["name"], "command-injection");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
}

#[test]
fn sarif_is_deterministic() {
    let report = common::sample_report();
    let a = render(&report, Format::Sarif, &common::options());
    let b = render(&report, Format::Sarif, &common::options());
    assert_eq!(a, b);
    // The order the caller lists rules in does not matter.
    let reversed = [common::RULES[2], common::RULES[1], common::RULES[0]];
    let c = render(
        &report,
        Format::Sarif,
        &RenderOptions {
            color: false,
            rules: &reversed,
        },
    );
    assert_eq!(a, c);
}
