//! FastAPI's request validation as Enkrypt's clients see it: every failing field reported
//! at once as `{type, loc, msg, input}`, with pydantic v2's error types and messages, in a
//! `422` (see [`ApiError::Validation`]). Unknown fields are ignored, as pydantic does by
//! default; booleans and integers are parsed in pydantic's lax mode.

use serde_json::{Map, Value, json};

use crate::error::{ApiError, Violation};

/// Strings pydantic reads as `true` / `false` (case-insensitive).
const TRUE_WORDS: [&str; 6] = ["1", "on", "t", "true", "y", "yes"];
const FALSE_WORDS: [&str; 6] = ["0", "off", "f", "false", "n", "no"];

/// One violation, as the whole error.
fn refuse(
    kind: &'static str,
    loc: Vec<Value>,
    msg: &str,
    input: Value,
    ctx: Option<Value>,
) -> ApiError {
    ApiError::Validation(vec![Violation {
        kind,
        loc,
        msg: msg.to_string(),
        input,
        ctx,
    }])
}

/// The byte offset of serde's (1-based) line and column in `bytes`.
fn offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let before: usize = bytes
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (before + column.saturating_sub(1)).min(bytes.len())
}

/// The JSON object of a request body, or FastAPI's refusal: `missing` for an empty body,
/// `json_invalid` (at the error's offset) for bad JSON, `model_attributes_type` for JSON
/// that is not an object.
pub fn body_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(
            "missing",
            vec![json!("body")],
            "Field required",
            Value::Null,
            None,
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let position = format!(" at line {} column {}", e.line(), e.column());
        let reason = e.to_string().replace(&position, "");
        refuse(
            "json_invalid",
            vec![json!("body"), json!(offset(bytes, e.line(), e.column()))],
            "JSON decode error",
            json!({}),
            Some(json!({ "error": reason })),
        )
    })?;
    match value {
        Value::Object(object) => Ok(object),
        other => Err(refuse(
            "model_attributes_type",
            vec![json!("body")],
            "Input should be a valid dictionary or object to extract fields from",
            other,
            None,
        )),
    }
}

/// The fields of one request part (`body` or `query`), checked one by one; the violations
/// pile up until [`Fields::finish`].
pub struct Fields<'a> {
    place: &'static str,
    object: &'a Map<String, Value>,
    violations: Vec<Violation>,
}

impl<'a> Fields<'a> {
    /// The fields of `object`, found at `place` (`body`, `query`).
    pub fn new(place: &'static str, object: &'a Map<String, Value>) -> Fields<'a> {
        Fields {
            place,
            object,
            violations: Vec::new(),
        }
    }

    fn violation(
        &mut self,
        kind: &'static str,
        name: &str,
        msg: &str,
        input: Value,
        ctx: Option<Value>,
    ) {
        self.violations.push(Violation {
            kind,
            loc: vec![json!(self.place), json!(name)],
            msg: msg.to_string(),
            input,
            ctx,
        });
    }

    /// A `str` field without a default: absent is `missing`, anything but a string
    /// (`null` included) is `string_type`.
    pub fn required_string(&mut self, name: &str) -> Option<String> {
        match self.object.get(name).cloned() {
            Some(value) => self.string(name, value),
            None => {
                let whole = Value::Object(self.object.clone());
                self.violation("missing", name, "Field required", whole, None);
                None
            }
        }
    }

    /// An `Optional[str] = None` field.
    pub fn optional_string(&mut self, name: &str) -> Option<String> {
        match self.object.get(name).cloned() {
            None | Some(Value::Null) => None,
            Some(value) => self.string(name, value),
        }
    }

    /// A present field's value as a string; anything else is `string_type`.
    fn string(&mut self, name: &str, value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.violation(
                    "string_type",
                    name,
                    "Input should be a valid string",
                    other,
                    None,
                );
                None
            }
        }
    }

    /// A `bool = default` field, lax: `0`/`1` and pydantic's yes/no words count too.
    pub fn boolean(&mut self, name: &str, default: bool) -> bool {
        let Some(value) = self.object.get(name) else {
            return default;
        };
        let parsed = match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_i64() == Some(0) => Some(false),
            Value::Number(n) if n.as_i64() == Some(1) => Some(true),
            Value::String(s) => {
                let word = s.to_ascii_lowercase();
                if TRUE_WORDS.contains(&word.as_str()) {
                    Some(true)
                } else if FALSE_WORDS.contains(&word.as_str()) {
                    Some(false)
                } else {
                    let input = value.clone();
                    self.violation(
                        "bool_parsing",
                        name,
                        "Input should be a valid boolean, unable to interpret input",
                        input,
                        None,
                    );
                    return default;
                }
            }
            _ => None,
        };
        parsed.unwrap_or_else(|| {
            let input = value.clone();
            self.violation(
                "bool_type",
                name,
                "Input should be a valid boolean",
                input,
                None,
            );
            default
        })
    }

    /// An `int = Query(default, ge=min, le=max)` field, lax: numeric strings count.
    pub fn integer(&mut self, name: &str, default: i64, min: i64, max: i64) -> i64 {
        let Some(value) = self.object.get(name) else {
            return default;
        };
        let parsed = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        let input = value.clone();
        let Some(n) = parsed else {
            let (kind, msg) = match value {
                Value::String(_) => (
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                ),
                _ => ("int_type", "Input should be a valid integer"),
            };
            self.violation(kind, name, msg, input, None);
            return default;
        };
        if n < min {
            let msg = format!("Input should be greater than or equal to {min}");
            self.violation(
                "greater_than_equal",
                name,
                &msg,
                input,
                Some(json!({ "ge": min })),
            );
            return default;
        }
        if n > max {
            let msg = format!("Input should be less than or equal to {max}");
            self.violation(
                "less_than_equal",
                name,
                &msg,
                input,
                Some(json!({ "le": max })),
            );
            return default;
        }
        n
    }

    /// `value` when every field passed, else all the violations.
    pub fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.violations.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::Validation(self.violations))
        }
    }
}

/// A refusal of `field` at `place` by a check after parsing (pydantic's `value_error`).
pub fn value_error(place: &'static str, field: &str, input: Value, reason: &str) -> ApiError {
    refuse(
        "value_error",
        vec![json!(place), json!(field)],
        &format!("Value error, {reason}"),
        input,
        Some(json!({ "error": reason })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violations(error: ApiError) -> Vec<Violation> {
        match error {
            ApiError::Validation(v) => v,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_failing_field_is_reported_with_pydantics_type() {
        let body = body_object(br#"{"a": 1, "c": "maybe", "d": null, "e": "7"}"#).unwrap();
        let mut fields = Fields::new("body", &body);
        assert_eq!(fields.required_string("a"), None);
        assert_eq!(fields.required_string("b"), None);
        assert!(!fields.boolean("c", false));
        assert_eq!(fields.optional_string("d"), None);
        assert_eq!(fields.integer("e", 1, 1, 5), 1);
        let found = violations(fields.finish(()).unwrap_err());
        let kinds: Vec<&str> = found.iter().map(|v| v.kind).collect();
        assert_eq!(
            kinds,
            ["string_type", "missing", "bool_parsing", "less_than_equal"]
        );
        assert_eq!(found[1].loc, vec![json!("body"), json!("b")]);
        assert_eq!(found[1].msg, "Field required");
        assert_eq!(found[1].input, Value::Object(body.clone()));
        assert_eq!(found[3].ctx, Some(json!({ "le": 5 })));
    }

    #[test]
    fn lax_booleans_and_integers() {
        let body = body_object(br#"{"a": "Yes", "b": 0, "c": " 12 ", "d": []}"#).unwrap();
        let mut fields = Fields::new("query", &body);
        assert!(fields.boolean("a", false));
        assert!(!fields.boolean("b", true));
        assert_eq!(fields.integer("c", 1, 1, 100), 12);
        assert!(fields.boolean("missing", true));
        assert_eq!(fields.integer("d", 3, 1, 100), 3);
        let found = violations(fields.finish(()).unwrap_err());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "int_type");
    }

    #[test]
    fn bodies_that_are_not_objects() {
        let empty = violations(body_object(b"  ").unwrap_err());
        assert_eq!(
            (empty[0].kind, empty[0].loc.clone()),
            ("missing", vec![json!("body")])
        );
        let array = violations(body_object(b"[1]").unwrap_err());
        assert_eq!(array[0].kind, "model_attributes_type");
        let broken = violations(body_object(b"{\n  \"a\": }").unwrap_err());
        assert_eq!(broken[0].kind, "json_invalid");
        assert_eq!(broken[0].loc, vec![json!("body"), json!(9)]);
        assert!(broken[0].ctx.is_some());
    }
}
