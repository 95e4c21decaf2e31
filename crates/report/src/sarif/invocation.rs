//! The run's `invocations[]`: whether the scan was complete, and notifications for limits
//! hit, skipped entries, analyser errors and unused suppressions.

use assay_core::{Report, UnusedSuppression};
use serde_json::{Map, Value, json};

use super::location::{file_location, location};
use crate::facts::{limit_line, serde_name, skip_groups, suppression_label};

/// A notification with a level, message, optional locations and properties.
fn notification(level: &str, text: String, locations: Vec<Value>, properties: Value) -> Value {
    let mut object = Map::new();
    object.insert("level".into(), json!(level));
    object.insert("message".into(), json!({ "text": text }));
    if !locations.is_empty() {
        object.insert("locations".into(), json!(locations));
    }
    object.insert("properties".into(), properties);
    Value::Object(object)
}

/// Notifications about the execution: limits hit (a warning when content went unanalysed,
/// a note otherwise), skipped entries grouped by reason, and analyser errors.
fn execution_notifications(report: &Report) -> Vec<Value> {
    let mut notifications = Vec::new();
    for hit in &report.limits_hit {
        let level = if hit.kind.makes_incomplete() {
            "warning"
        } else {
            "note"
        };
        let locations = hit.path.as_deref().map(file_location).into_iter().collect();
        notifications.push(notification(
            level,
            limit_line(hit),
            locations,
            json!({ "category": "limit", "limit": hit.kind, "value": hit.limit }),
        ));
    }
    for group in skip_groups(&report.skipped) {
        let level = if group.hides_content {
            "warning"
        } else {
            "note"
        };
        notifications.push(notification(
            level,
            group.summary(),
            Vec::new(),
            json!({ "category": "skipped", "reason": group.name, "count": group.entries.len() }),
        ));
    }
    for error in &report.errors {
        notifications.push(notification(
            "error",
            error.clone(),
            Vec::new(),
            json!({ "category": "error" }),
        ));
    }
    notifications
}

/// A configuration notification for an ignore or baseline entry that matched nothing.
fn unused_notification(unused: &UnusedSuppression) -> Value {
    let text = format!(
        "unused {} suppression `{}` matched no finding",
        suppression_label(unused.kind),
        unused.entry
    );
    let locations = unused
        .location
        .as_ref()
        .and_then(|l| location(l, None, None))
        .into_iter()
        .collect();
    notification(
        "warning",
        text,
        locations,
        json!({ "category": "unused-suppression", "mechanism": serde_name(&unused.kind) }),
    )
}

/// The single invocation of the run.
pub(super) fn invocation(report: &Report) -> Value {
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(report.complete));
    if !report.generated_at.is_empty() {
        invocation.insert("endTimeUtc".into(), json!(report.generated_at));
    }
    let execution = execution_notifications(report);
    if !execution.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), json!(execution));
    }
    let configuration: Vec<Value> = report
        .unused_suppressions
        .iter()
        .map(unused_notification)
        .collect();
    if !configuration.is_empty() {
        invocation.insert(
            "toolConfigurationNotifications".into(),
            json!(configuration),
        );
    }
    Value::Object(invocation)
}
