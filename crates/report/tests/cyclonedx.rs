//! CycloneDX output: valid against the CycloneDX 1.6 schema, and carrying the
//! dependencies, the MCP surface and the matched advisories.

mod common;

use assay_report::{Format, render};
use jsonschema::Resource;
use serde_json::Value;

const BOM_SCHEMA: &str = include_str!("data/cyclonedx/bom-1.6.SNAPSHOT.schema.json");
const SPDX_SCHEMA: &str = include_str!("data/cyclonedx/spdx.SNAPSHOT.schema.json");
const JSF_SCHEMA: &str = include_str!("data/cyclonedx/jsf-0.82.SNAPSHOT.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(BOM_SCHEMA).unwrap();
    let resource =
        |text: &str| Resource::from_contents(serde_json::from_str(text).unwrap()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_resource(
            "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
            resource(SPDX_SCHEMA),
        )
        .with_resource(
            "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
            resource(JSF_SCHEMA),
        )
        .build(&schema)
        .expect("the CycloneDX schema compiles offline")
}

fn bom(report: &assay_core::Report) -> Value {
    serde_json::from_str(&render(report, Format::CycloneDx, &common::options())).unwrap()
}

#[test]
fn the_sbom_is_valid_cyclonedx_1_6() {
    let validator = validator();
    let bom = bom(&common::sample_report());
    let errors: Vec<String> = validator
        .iter_errors(&bom)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject what the schema forbids.
    let mut broken = bom.clone();
    broken["components"][0]["scope"] = Value::from("sometimes");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn dependencies_surface_and_advisories_are_all_there() {
    let report = common::sample_report();
    let bom = bom(&report);
    assert_eq!(bom["specVersion"], "1.6");
    assert!(
        bom["serialNumber"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    let root = &bom["metadata"]["component"];
    assert_eq!(root["name"], "files-mcp");
    assert_eq!(root["purl"], "pkg:npm/files-mcp@1.4.2");

    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), report.dependencies.len());
    let sdk = &components[0];
    assert_eq!(sdk["group"], "@modelcontextprotocol");
    assert_eq!(sdk["name"], "sdk");
    assert_eq!(sdk["purl"], "pkg:npm/%40modelcontextprotocol/sdk@1.12.0");
    assert_eq!(sdk["scope"], "required");
    assert_eq!(
        bom["dependencies"][0]["dependsOn"],
        serde_json::json!(["pkg:npm/%40modelcontextprotocol/sdk@1.12.0"]),
        "only direct dependencies hang off the root"
    );

    let server = &bom["services"][0];
    let nested = server["services"].as_array().unwrap();
    let inventory = &report.inventory;
    assert_eq!(
        nested.len(),
        inventory.tools.len() + inventory.prompts.len() + inventory.resources.len()
    );
    assert_eq!(nested[0]["name"], inventory.tools[0].name);
    assert!(
        nested[0]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "mcp:kind" && p["value"] == "tool")
    );

    let vulnerability = &bom["vulnerabilities"][0];
    assert_eq!(vulnerability["id"], "GHSA-w48q-cv73-mx4w");
    assert_eq!(vulnerability["ratings"][0]["method"], "CVSSv31");
    assert_eq!(vulnerability["ratings"][0]["severity"], "high");
    assert_eq!(
        vulnerability["affects"][0]["ref"],
        "pkg:npm/%40modelcontextprotocol/sdk@1.12.0"
    );
    assert_eq!(vulnerability["references"][0]["id"], "CVE-2025-66414");
}

#[test]
fn the_sbom_is_deterministic() {
    let report = common::sample_report();
    assert_eq!(bom(&report), bom(&report));
}
