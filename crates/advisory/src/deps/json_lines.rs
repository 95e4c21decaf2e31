//! Line numbers of JSON object keys. `serde_json` keeps no positions, so after a file
//! has parsed, one linear pass over its text records the line of every key whose path
//! the caller wants (`["packages", "node_modules/zod"]`).

use std::collections::HashMap;

/// Key paths (keys from the root object; arrays add an empty segment) and their lines.
pub(super) type KeyLines = HashMap<Vec<String>, u32>;

/// The lines of the keys in `text` whose parent path and own name satisfy `want`.
/// `text` must already have parsed as JSON; on anything else the result is merely
/// incomplete.
pub(super) fn key_lines(text: &str, want: impl Fn(&[String], &str) -> bool) -> KeyLines {
    let bytes = text.as_bytes();
    let mut found = KeyLines::new();
    // The keys leading to each open container, the root's being empty.
    let mut path: Vec<String> = Vec::new();
    // For each open container: is it an object, and is a key expected next?
    let mut frames: Vec<(bool, bool)> = Vec::new();
    let mut member: Option<String> = None;
    let mut line = 1u32;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => line = line.saturating_add(1),
            b'{' | b'[' => {
                path.push(member.take().unwrap_or_default());
                frames.push((bytes[at] == b'{', bytes[at] == b'{'));
            }
            b'}' | b']' => {
                frames.pop();
                path.pop();
                member = None;
            }
            b',' => {
                if let Some((true, expecting)) = frames.last_mut() {
                    *expecting = true;
                }
                member = None;
            }
            b'"' => {
                let end = string_end(bytes, at);
                if let Some((true, expecting)) = frames.last_mut()
                    && *expecting
                {
                    *expecting = false;
                    let key = decode(&text[at..end]);
                    let parents = path.get(1..).unwrap_or_default();
                    if want(parents, &key) {
                        let mut full = parents.to_vec();
                        full.push(key.clone());
                        found.entry(full).or_insert(line);
                    }
                    member = Some(key);
                }
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    found
}

/// The offset just past the string literal starting at `start` (or the end of input).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The value of a JSON string literal (with its quotes).
fn decode(literal: &str) -> String {
    if literal.contains('\\')
        && let Ok(value) = serde_json::from_str::<String>(literal)
    {
        return value;
    }
    literal
        .trim_start_matches('"')
        .trim_end_matches('"')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_in_order_and_ignores_values() {
        let text = "{\n  \"name\": \"dependencies\",\n  \"dependencies\": {\n    \"a\": \"^1\",\n    \"b\\u002fc\": {\"x\": [1, {\"a\": 2}]}\n  },\n  \"devDependencies\": {\"a\": \"2\"}\n}";
        let lines = key_lines(text, |parents, _| parents.len() == 1);
        let get = |p: &[&str]| {
            lines
                .get(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .copied()
        };
        assert_eq!(get(&["dependencies", "a"]), Some(4));
        assert_eq!(get(&["dependencies", "b/c"]), Some(5));
        assert_eq!(get(&["devDependencies", "a"]), Some(7));
        assert_eq!(get(&["dependencies", "x"]), None);
        assert_eq!(lines.len(), 3);
    }
}
