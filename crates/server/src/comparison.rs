//! What changed between two reports: score and grade, findings that are new or fixed
//! (matched by their stable fingerprint, so that moved lines do not count as changes), and
//! the MCP surface — tools, prompts and resources added, removed, or changed in what the
//! model sees (descriptions, input schemas, annotations, templates).

use std::collections::{BTreeMap, HashSet};

use assay_core::{Finding, Report};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The score before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ScoreChange {
    /// `a`'s score.
    pub before: u8,
    /// `b`'s score.
    pub after: u8,
    /// `after - before`.
    pub delta: i16,
}

/// The grade before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GradeChange {
    /// `a`'s grade.
    pub before: String,
    /// `b`'s grade.
    pub after: String,
    /// Whether they differ.
    pub changed: bool,
}

/// Findings matched by fingerprint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingChanges {
    /// In `b` only.
    #[schema(schema_with = crate::openapi::report_findings)]
    pub new: Vec<Finding>,
    /// In `a` only.
    #[schema(schema_with = crate::openapi::report_findings)]
    pub fixed: Vec<Finding>,
    /// How many of `b`'s findings `a` had too.
    pub unchanged: usize,
}

/// One field of a surface item that changed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldChange {
    /// The field (`description`, `parameters`, …).
    pub field: String,
    /// Its value in `a` (`null` when absent).
    pub before: Value,
    /// Its value in `b` (`null` when absent).
    pub after: Value,
}

/// A surface item present in both reports whose model-facing fields differ.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemChange {
    /// The item's name.
    pub name: String,
    /// What differs.
    pub changes: Vec<FieldChange>,
}

/// How one kind of surface item (tools, prompts or resources) changed, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ItemChanges {
    /// Items only `b` declares, as the report shows them.
    #[schema(value_type = Vec<Object>)]
    pub added: Vec<Value>,
    /// Items only `a` declares.
    #[schema(value_type = Vec<Object>)]
    pub removed: Vec<Value>,
    /// Items both declare, with different model-facing fields.
    pub changed: Vec<ItemChange>,
}

/// How the MCP surface changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct InventoryChanges {
    /// Tools: description, parameters (the input schema) and annotations are compared.
    pub tools: ItemChanges,
    /// Prompts: description, arguments and template.
    pub prompts: ItemChanges,
    /// Resources: description, URI and MIME type.
    pub resources: ItemChanges,
}

/// Everything that changed from `a` to `b`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportChanges {
    /// The score.
    pub score: ScoreChange,
    /// The grade.
    pub grade: GradeChange,
    /// The findings.
    pub findings: FindingChanges,
    /// The surface.
    pub inventory: InventoryChanges,
}

/// What changed from `a` to `b`.
pub fn compare(a: &Report, b: &Report) -> ReportChanges {
    let before: HashSet<&str> = a.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let after: HashSet<&str> = b.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let new: Vec<Finding> = b
        .findings
        .iter()
        .filter(|f| !before.contains(f.fingerprint.as_str()))
        .cloned()
        .collect();
    let fixed = a
        .findings
        .iter()
        .filter(|f| !after.contains(f.fingerprint.as_str()))
        .cloned()
        .collect();
    let (grade_a, grade_b) = (a.score.grade.to_string(), b.score.grade.to_string());
    ReportChanges {
        score: ScoreChange {
            before: a.score.score,
            after: b.score.score,
            delta: i16::from(b.score.score) - i16::from(a.score.score),
        },
        grade: GradeChange {
            changed: grade_a != grade_b,
            before: grade_a,
            after: grade_b,
        },
        findings: FindingChanges {
            unchanged: b.findings.len() - new.len(),
            new,
            fixed,
        },
        inventory: InventoryChanges {
            tools: items(
                &a.inventory.tools,
                &b.inventory.tools,
                &["description", "parameters", "annotations"],
            ),
            prompts: items(
                &a.inventory.prompts,
                &b.inventory.prompts,
                &["description", "arguments", "template"],
            ),
            resources: items(
                &a.inventory.resources,
                &b.inventory.resources,
                &["description", "uri", "mime_type"],
            ),
        },
    }
}

/// Items by name (the first declaration of a name wins), as JSON objects.
fn by_name<T: Serialize>(items: &[T]) -> BTreeMap<String, Map<String, Value>> {
    let mut named = BTreeMap::new();
    for item in items {
        if let Ok(Value::Object(object)) = serde_json::to_value(item) {
            let name = object.get("name").and_then(Value::as_str).unwrap_or("");
            named.entry(name.to_string()).or_insert(object);
        }
    }
    named
}

/// Added, removed and changed items, comparing `fields`.
fn items<T: Serialize>(a: &[T], b: &[T], fields: &[&str]) -> ItemChanges {
    let (before, after) = (by_name(a), by_name(b));
    let mut changes = ItemChanges::default();
    for (name, item) in &after {
        match before.get(name) {
            None => changes.added.push(Value::Object(item.clone())),
            Some(old) => {
                let differing: Vec<FieldChange> = fields
                    .iter()
                    .filter(|field| old.get(**field) != item.get(**field))
                    .map(|field| FieldChange {
                        field: field.to_string(),
                        before: old.get(*field).cloned().unwrap_or(Value::Null),
                        after: item.get(*field).cloned().unwrap_or(Value::Null),
                    })
                    .collect();
                if !differing.is_empty() {
                    changes.changed.push(ItemChange {
                        name: name.clone(),
                        changes: differing,
                    });
                }
            }
        }
    }
    changes.removed = before
        .iter()
        .filter(|(name, _)| !after.contains_key(*name))
        .map(|(_, item)| Value::Object(item.clone()))
        .collect();
    changes
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        description: Option<&'static str>,
        location: u32,
    }

    #[test]
    fn items_are_matched_by_name_and_compared_on_the_given_fields_only() {
        let a = [
            Item {
                name: "kept",
                description: Some("same"),
                location: 1,
            },
            Item {
                name: "edited",
                description: Some("old"),
                location: 2,
            },
            Item {
                name: "gone",
                description: None,
                location: 3,
            },
        ];
        let b = [
            Item {
                name: "edited",
                description: None,
                location: 9,
            },
            Item {
                name: "kept",
                description: Some("same"),
                location: 7,
            },
            Item {
                name: "fresh",
                description: Some("new"),
                location: 1,
            },
        ];
        let changes = items(&a, &b, &["description"]);
        assert_eq!(
            changes.added,
            [json!({"name": "fresh", "description": "new", "location": 1})]
        );
        assert_eq!(
            changes.removed,
            [json!({"name": "gone", "description": null, "location": 3})]
        );
        assert_eq!(
            changes.changed,
            [ItemChange {
                name: "edited".into(),
                changes: vec![FieldChange {
                    field: "description".into(),
                    before: json!("old"),
                    after: Value::Null,
                }],
            }]
        );
    }
}
