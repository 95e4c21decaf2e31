//! The JSON Schema of the JSON report, generated from the [`Report`] type.

use assay_core::Report;

/// The JSON Schema (draft 2020-12) of [`Report`], generated from the types by `schemars`.
/// `docs/report.schema.json` is this value, pretty-printed; a test keeps the two equal.
pub fn report_json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Report);
    schema.to_value()
}
