//! Small helpers over the JS/TS syntax tree: fields, children, literal decoding.

use tree_sitter::Node;

use crate::inventory::escapes::{
    EscapeRest, LoneBackslash, control_escape, decode_backslash_escapes,
};

/// The child of `node` in `name`.
pub(super) fn field<'a>(node: Node<'a>, name: &str) -> Option<Node<'a>> {
    node.child_by_field_name(name)
}

/// The source text of `node`.
pub(super) fn text_of<'a>(node: Node<'_>, text: &'a str) -> &'a str {
    text.get(node.byte_range()).unwrap_or("")
}

/// Named children of `node`, comments left out.
pub(super) fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// The arguments of a call or `new` expression (an empty list for tagged templates).
pub(super) fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    match field(call, "arguments") {
        Some(args) if args.kind() == "arguments" => children(args),
        _ => Vec::new(),
    }
}

/// For a callee `object.method` (also `object?.method`), the object and the method name.
pub(super) fn callee_method<'a, 't>(
    callee: Node<'t>,
    text: &'a str,
) -> Option<(Node<'t>, &'a str)> {
    if callee.kind() != "member_expression" {
        return None;
    }
    let object = field(callee, "object")?;
    let property = field(callee, "property")?;
    Some((object, text_of(property, text)))
}

/// The method name of a call `x.method(…)`, if the callee is a member expression.
pub(super) fn call_method<'a>(call: Node<'_>, text: &'a str) -> Option<&'a str> {
    let callee = field(call, "function")?;
    callee_method(callee, text).map(|(_, m)| m)
}

/// The last identifier of a (possibly qualified) name: `Server` for `sdk_1.Server`,
/// `(0, x.Server)` or `Server`.
pub(super) fn last_name<'a>(node: Node<'_>, text: &'a str) -> &'a str {
    let mut node = node;
    loop {
        match node.kind() {
            "member_expression" => return field(node, "property").map_or("", |p| text_of(p, text)),
            "parenthesized_expression" | "sequence_expression" => match children(node).last() {
                Some(&last) => node = last,
                None => return "",
            },
            "identifier" | "property_identifier" => return text_of(node, text),
            _ => return "",
        }
    }
}

/// True for nodes that are functions.
pub(super) fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "arrow_function"
            | "function_expression"
            | "function"
            | "function_declaration"
            | "generator_function"
            | "generator_function_declaration"
            | "method_definition"
    )
}

/// The text of a property key: `name`, `"name"`, `'name'`, `1`.
pub(super) fn key_text<'a>(key: Node<'_>, text: &'a str) -> &'a str {
    let raw = text_of(key, text);
    if key.kind() == "string" && raw.len() >= 2 {
        &raw[1..raw.len() - 1]
    } else {
        raw
    }
}

/// The value of a string literal node (quotes removed, escapes decoded).
pub(super) fn string_literal(node: Node<'_>, text: &str) -> String {
    let raw = text_of(node, text);
    let inner = if raw.len() >= 2 {
        &raw[1..raw.len() - 1]
    } else {
        ""
    };
    decode_escapes(inner)
}

/// Decodes JavaScript string escapes (`\n`, `\x41`, `\u0041`, `\u{1F600}`, line
/// continuations, …). Invalid escapes keep the escaped character, as JS does.
pub(super) fn decode_escapes(raw: &str) -> String {
    decode_backslash_escapes(raw, LoneBackslash::Drop, |e, chars, out| {
        if let Some(c) = control_escape(e) {
            out.push(c);
            return;
        }
        match e {
            '0' if !chars.peek().is_some_and(char::is_ascii_digit) => out.push('\0'),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' => {}
            'x' => push_hex(out, chars, 2, 'x'),
            'u' if chars.peek() == Some(&'{') => {
                chars.next();
                let digits: String = chars.by_ref().take_while(|&c| c != '}').collect();
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("u{");
                        out.push_str(&digits);
                        out.push('}');
                    }
                }
            }
            'u' => push_hex(out, chars, 4, 'u'),
            other => out.push(other),
        }
    })
}

/// Reads `len` hex digits after `\x`/`\u`; UTF-16 surrogate pairs written as two `\u`
/// escapes are combined.
fn push_hex(out: &mut String, chars: &mut EscapeRest<'_>, len: usize, letter: char) {
    let digits: String = chars.clone().take(len).collect();
    let Some(code) = (digits.len() == len)
        .then(|| u32::from_str_radix(&digits, 16).ok())
        .flatten()
    else {
        out.push(letter);
        return;
    };
    for _ in 0..len {
        chars.next();
    }
    if (0xD800..0xDC00).contains(&code) {
        let rest: String = chars.clone().take(6).collect();
        if let Some(low) = rest
            .strip_prefix("\\u")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .filter(|low| (0xDC00..0xE000).contains(low))
        {
            for _ in 0..6 {
                chars.next();
            }
            let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            out.push(char::from_u32(combined).unwrap_or('\u{FFFD}'));
            return;
        }
    }
    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
}

#[cfg(test)]
mod tests {
    use super::decode_escapes;

    #[test]
    fn decodes_js_escapes() {
        assert_eq!(decode_escapes(r"a\nb\tc"), "a\nb\tc");
        assert_eq!(decode_escapes(r"\x41\u0042\u{1F600}"), "AB\u{1F600}");
        assert_eq!(decode_escapes(r"\uD83D\uDE00"), "\u{1F600}");
        assert_eq!(decode_escapes(r"\u{E0041}"), "\u{E0041}");
        assert_eq!(decode_escapes("line\\\ncontinued"), "linecontinued");
        assert_eq!(decode_escapes(r#"\'\"\\\q"#), "'\"\\q");
        assert_eq!(decode_escapes(r"\xZZ"), "xZZ");
    }
}
