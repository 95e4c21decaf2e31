//! SARIF `location` objects: artifact URIs and regions.

use assay_core::Location;
use serde_json::{Map, Value, json};

/// The `uriBaseId` every artifact URI is relative to: the root of the scanned snapshot.
pub(super) const SRCROOT: &str = "%SRCROOT%";

/// Percent-encodes a snapshot path into a relative URI reference. Unreserved characters,
/// `/` and the sub-delimiters that are harmless in a path stay as they are; `:` is encoded
/// so the first segment can never be read as a scheme.
pub(super) fn path_to_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The `region` of a location, leaving out lines and columns that are unknown (zero), and
/// the end when it would precede the start. `None` when not even the line is known.
fn region(location: &Location, snippet: Option<&str>) -> Option<Value> {
    if location.line == 0 {
        return None;
    }
    let mut region = Map::new();
    region.insert("startLine".into(), json!(location.line));
    if location.column > 0 {
        region.insert("startColumn".into(), json!(location.column));
    }
    let end_after_start = location.end_line > location.line
        || (location.end_line == location.line && location.end_column >= location.column);
    if end_after_start {
        region.insert("endLine".into(), json!(location.end_line));
        if location.column > 0 && location.end_column > 0 {
            region.insert("endColumn".into(), json!(location.end_column));
        }
    }
    if let Some(snippet) = snippet.filter(|s| !s.is_empty()) {
        region.insert("snippet".into(), json!({ "text": snippet }));
    }
    Some(Value::Object(region))
}

/// A `physicalLocation` for a span of a snapshot file, with an optional snippet.
pub(super) fn physical_location(location: &Location, snippet: Option<&str>) -> Value {
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": path_to_uri(&location.path), "uriBaseId": SRCROOT }),
    );
    if let Some(region) = region(location, snippet) {
        physical.insert("region".into(), region);
    }
    Value::Object(physical)
}

/// A `location` object, with an optional snippet and message; `None` when the location has
/// no path.
pub(super) fn location(
    location: &Location,
    snippet: Option<&str>,
    message: Option<&str>,
) -> Option<Value> {
    if location.path.is_empty() {
        return None;
    }
    let mut object = Map::new();
    object.insert(
        "physicalLocation".into(),
        physical_location(location, snippet),
    );
    if let Some(message) = message {
        object.insert("message".into(), json!({ "text": message }));
    }
    Some(Value::Object(object))
}

/// A `location` naming just a file (for notifications about an entry of the target).
pub(super) fn file_location(path: &str) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": path_to_uri(path), "uriBaseId": SRCROOT }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(path_to_uri("src/index.ts"), "src/index.ts");
        assert_eq!(path_to_uri("a b/c#d?.js"), "a%20b/c%23d%3F.js");
        assert_eq!(path_to_uri("c:evil"), "c%3Aevil");
        assert_eq!(path_to_uri("100%/é"), "100%25/%C3%A9");
    }

    #[test]
    fn regions_drop_unknown_and_inverted_parts() {
        let full = Location {
            path: "a.ts".into(),
            line: 2,
            column: 3,
            end_line: 4,
            end_column: 1,
        };
        assert_eq!(
            region(&full, Some("x")),
            Some(
                json!({"startLine": 2, "startColumn": 3, "endLine": 4, "endColumn": 1,
                        "snippet": {"text": "x"}})
            )
        );
        let inverted = Location {
            end_line: 1,
            ..full.clone()
        };
        assert_eq!(
            region(&inverted, None),
            Some(json!({"startLine": 2, "startColumn": 3}))
        );
        let file_level = Location::point("a.ts", 0, 0);
        assert_eq!(region(&file_level, Some("x")), None);
        assert_eq!(location(&Location::point("", 1, 1), None, None), None);
    }
}
