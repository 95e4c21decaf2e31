//! The JSON report's schema: the committed `docs/report.schema.json` must equal the schema
//! generated from the types, and real reports must validate against it.
//!
//! `ASSAY_BLESS=1 cargo test -p assay-report --test schema` rewrites the committed file.

mod common;

use std::path::PathBuf;

use assay_report::{Format, render, report_json_schema};
use serde_json::Value;

/// Path of the committed schema.
fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json")
}

/// The schema as committed: pretty-printed with a final newline.
fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&report_json_schema()).expect("schema");
    text.push('\n');
    text
}

#[test]
fn committed_schema_matches_the_types() {
    let path = schema_path();
    let generated = schema_text();
    if std::env::var_os("ASSAY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write docs/report.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/report.schema.json is out of date with the report types in assay-core.\n\
         If the change is intended, regenerate it with\n\
         \n    ASSAY_BLESS=1 cargo test -p assay-report --test schema\n\n\
         and bump SCHEMA_VERSION in crates/core/src/report.rs when the change is breaking."
    );
}

/// A validator for the report schema (draft 2020-12, resolved offline).
fn validator() -> jsonschema::Validator {
    let schema = report_json_schema();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "the schema declares its draft"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the generated schema is a valid JSON Schema")
}

/// Every validation error of `instance`, as text.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn a_full_report_validates_against_the_schema() {
    let report = common::sample_report();
    let json = render(&report, Format::Json, &common::options());
    let instance: Value = serde_json::from_str(&json).expect("the JSON format is one document");
    let validator = validator();
    assert_eq!(errors(&validator, &instance), Vec::<String>::new());

    // Every optional part of the fixture made it into the document, so the validation
    // above covered it.
    for pointer in [
        "/findings/0/flow/1/location/path",
        "/findings/0/aivss/factors/0/0",
        "/findings/1/evidence/1/value",
        "/inventory/tools/0/parameters/1/enum_values/1",
        "/inventory/tools/0/annotations/read_only_hint",
        "/inventory/tools/0/handler/line",
        "/inventory/prompts/0/template",
        "/inventory/resources/0/mime_type",
        "/inventory/instructions/0/text",
        "/limits_hit/0/path",
        "/skipped/0/detail",
        "/errors/0",
        "/suppressed/0/reason",
        "/unused_suppressions/0/location/path",
        "/packages/0/install_scripts/0",
        "/packages/0/dependencies/0/requirement",
        "/score/families/7/family",
    ] {
        assert!(instance.pointer(pointer).is_some(), "{pointer} is missing");
    }

    let clean = render(&common::clean_report(), Format::Json, &common::options());
    let clean: Value = serde_json::from_str(&clean).expect("json");
    assert_eq!(errors(&validator, &clean), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_malformed_reports() {
    let validator = validator();
    let json = render(&common::sample_report(), Format::Json, &common::options());
    let valid: Value = serde_json::from_str(&json).expect("json");

    let mut bad_severity = valid.clone();
    bad_severity["findings"][0]["severity"] = "catastrophic".into();
    assert!(!errors(&validator, &bad_severity).is_empty());

    let mut missing_field = valid.clone();
    missing_field["target"]
        .as_object_mut()
        .expect("object")
        .remove("digest");
    assert!(!errors(&validator, &missing_field).is_empty());

    let mut bad_score = valid;
    bad_score["score"]["score"] = 300.into();
    assert!(!errors(&validator, &bad_score).is_empty());
}

#[test]
fn json_output_is_the_report_in_field_order_and_round_trips() {
    let report = common::sample_report();
    let json = render(&report, Format::Json, &common::options());
    assert!(json.ends_with("}\n"));
    assert!(json.starts_with("{\n  \"schema_version\": \"1."));
    let back: assay_core::Report = serde_json::from_str(&json).expect("round trip");
    assert_eq!(back, report);
    assert_eq!(json, render(&report, Format::Json, &common::options()));
}
