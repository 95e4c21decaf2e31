//! The JSON shapes of scans: the status while a job runs, the report when it is done.

use assay_core::Report;
use assay_store::{Scan, ScanStatus, Visibility};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::ApiError;

fn timestamp(t: Option<OffsetDateTime>) -> Value {
    t.and_then(|t| t.format(&Rfc3339).ok())
        .map_or(Value::Null, Value::String)
}

fn millis(from: OffsetDateTime, to: Option<OffsetDateTime>) -> Value {
    to.map_or(Value::Null, |to| json!((to - from).whole_milliseconds()))
}

/// The fields every view of a scan has: id, target, status, mode, times, error, and the
/// score once known.
pub fn summary(scan: &Scan) -> Value {
    let mut view = Map::new();
    view.insert("scan_id".into(), json!(scan.id));
    let canonical = scan
        .summary
        .as_ref()
        .map(|s| s.canonical_id.clone())
        .unwrap_or_else(|| scan.target_key.clone());
    view.insert("canonical_id".into(), json!(canonical));
    view.insert("input".into(), json!(scan.input));
    view.insert("status".into(), json!(scan.status.as_str()));
    view.insert("scan_mode_used".into(), json!(scan.mode.as_str()));
    if scan.visibility == Visibility::Private {
        view.insert("scan_visibility".into(), json!("private"));
    }
    view.insert("created_at".into(), timestamp(Some(scan.created_at)));
    view.insert("started_at".into(), timestamp(scan.started_at));
    view.insert("finished_at".into(), timestamp(scan.finished_at));
    if let Some(summary) = &scan.summary {
        view.insert("safety_score".into(), json!(summary.score));
        view.insert("safety_grade".into(), json!(summary.grade));
    }
    if let Some(error) = &scan.error {
        view.insert(
            "error".into(),
            json!({ "code": error.code, "message": error.message }),
        );
    }
    Value::Object(view)
}

/// The full view: [`summary`] plus, when the scan succeeded, the report's results.
pub fn full(scan: &Scan) -> Result<Value, ApiError> {
    let mut view = summary(scan);
    let object = view.as_object_mut().expect("summary is an object");
    object.insert(
        "timings".into(),
        json!({
            "queued_ms": millis(scan.created_at, scan.started_at.or(scan.finished_at)),
            "total_ms": millis(scan.created_at, scan.finished_at),
        }),
    );
    if scan.status != ScanStatus::Succeeded {
        return Ok(view);
    }
    let Some(report) = scan.report()? else {
        return Ok(view);
    };
    add_report(object, &report);
    Ok(view)
}

fn add_report(object: &mut Map<String, Value>, report: &Report) {
    let aivss = report
        .findings
        .iter()
        .filter_map(|f| f.aivss.as_ref().map(|a| a.score))
        .fold(0.0_f64, f64::max);
    let counts = &report.counts;
    object.insert("safety_score".into(), json!(report.score.score));
    object.insert("safety_grade".into(), json!(report.score.grade));
    object.insert("aivss_score".into(), json!(aivss));
    object.insert("schema_version".into(), json!(report.schema_version));
    object.insert("complete".into(), json!(report.complete));
    object.insert(
        "severity_distribution".into(),
        json!({
            "critical": counts.critical,
            "high": counts.high,
            "medium": counts.medium,
            "low": counts.low,
            "info": counts.info,
        }),
    );
    object.insert("findings".into(), json!(report.findings));
    object.insert("inventory".into(), json!(report.inventory));
    object.insert("score".into(), json!(report.score));
    if let Some(timings) = object.get_mut("timings").and_then(Value::as_object_mut) {
        timings.insert("scan_ms".into(), json!(report.stats.duration_ms));
    }
    object.insert("target".into(), json!(report.target));
    object.insert("generated_at".into(), json!(report.generated_at));
}
