//! Static string values of Go expressions: interpreted and raw literals, `+`,
//! package-level and local constants/variables, fields of table rows, `fmt.Sprintf`
//! with resolvable arguments (unresolvable verbs stay as written), `strings.TrimSpace`,
//! `strings.Join` of a literal slice.

use tree_sitter::Node;

use super::scope::{Bound, Env, MAX_RESOLVE_DEPTH, Scope, arguments};
use crate::inventory::escapes::{
    EscapeRest, LoneBackslash, control_escape, decode_backslash_escapes, octal_escape,
};
use crate::inventory::static_string::{bounded, placeholder, push_bounded};

/// The string value of `node`, if statically known.
pub(super) fn resolve<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>) -> Option<String> {
    resolve_at(scope, node, env, 0).map(bounded)
}

fn resolve_at<'t>(
    scope: &Scope<'t>,
    node: Node<'t>,
    env: &Env<'t>,
    depth: usize,
) -> Option<String> {
    if depth >= MAX_RESOLVE_DEPTH {
        return None;
    }
    let Bound::Node(node) = scope.deref(node, env) else {
        return None;
    };
    match node.kind() {
        "interpreted_string_literal" => {
            let text = scope.text_of(node);
            Some(decode_escapes(
                text.strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .unwrap_or(text),
            ))
        }
        "raw_string_literal" => {
            let text = scope.text_of(node);
            Some(
                text.trim_start_matches('`')
                    .trim_end_matches('`')
                    .replace('\r', ""),
            )
        }
        "binary_expression" => {
            let operator = node.child_by_field_name("operator")?;
            if scope.text_of(operator) != "+" {
                return None;
            }
            let left = node.child_by_field_name("left")?;
            let right = node.child_by_field_name("right")?;
            let l = resolve_at(scope, left, env, depth + 1);
            let r = resolve_at(scope, right, env, depth + 1);
            if l.is_none() && r.is_none() {
                return None;
            }
            let mut out = l.unwrap_or_else(|| placeholder(scope.text_of(left)));
            push_bounded(
                &mut out,
                &r.unwrap_or_else(|| placeholder(scope.text_of(right))),
            );
            Some(out)
        }
        "call_expression" => call(scope, node, env, depth),
        _ => None,
    }
}

fn call<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<String> {
    let function = scope.text_of(node.child_by_field_name("function")?);
    let args = arguments(node);
    match function {
        "fmt.Sprintf" => {
            let format = resolve_at(scope, *args.first()?, env, depth + 1)?;
            let values: Vec<Option<String>> = args[1..]
                .iter()
                .map(|a| resolve_at(scope, *a, env, depth + 1))
                .collect();
            Some(sprintf(&format, &values))
        }
        "strings.TrimSpace" => {
            resolve_at(scope, *args.first()?, env, depth + 1).map(|s| s.trim().to_string())
        }
        "strings.Join" => {
            let Bound::Node(list) = scope.deref(*args.first()?, env) else {
                return None;
            };
            let separator = resolve_at(scope, *args.get(1)?, env, depth + 1)?;
            let body = list.child_by_field_name("body")?;
            let mut cursor = body.walk();
            let parts: Option<Vec<String>> = body
                .named_children(&mut cursor)
                .filter(|e| e.kind() == "literal_element")
                .map(|e| resolve_at(scope, e, env, depth + 1))
                .collect();
            Some(parts?.join(&separator))
        }
        _ => None,
    }
}

/// Formats `format` with the resolved `values`; verbs whose value is unknown (or
/// missing) are kept as written, `%%` becomes `%`.
fn sprintf(format: &str, values: &[Option<String>]) -> String {
    let mut out = String::with_capacity(format.len());
    let mut next = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, c)| *c == '%') {
            chars.next();
            out.push('%');
            continue;
        }
        // Flags, width and precision, then the verb letter.
        let mut end = start + 1;
        let mut verb = None;
        for (i, c) in chars.by_ref() {
            end = i + c.len_utf8();
            if c.is_ascii_alphabetic() {
                verb = Some(c);
                break;
            }
        }
        let value = values.get(next).cloned().flatten();
        next += 1;
        match (verb, value) {
            (Some('q'), Some(v)) => out.push_str(&format!("{v:?}")),
            (Some(_), Some(v)) => out.push_str(&v),
            _ => out.push_str(&format[start..end]),
        }
    }
    out
}

/// Decodes Go interpreted-string escapes.
fn decode_escapes(raw: &str) -> String {
    decode_backslash_escapes(raw, LoneBackslash::Keep, |e, chars, out| {
        if let Some(c) = control_escape(e) {
            out.push(c);
            return;
        }
        let hex = |chars: &mut EscapeRest<'_>, width: usize| {
            let digits: String = chars.clone().take(width).collect();
            let value = u32::from_str_radix(&digits, 16).ok()?;
            for _ in 0..width {
                chars.next();
            }
            Some(value)
        };
        match e {
            'a' => out.push('\u{7}'),
            '\\' | '"' | '\'' => out.push(e),
            'x' => out.extend(hex(chars, 2).and_then(char::from_u32)),
            'u' => out.extend(hex(chars, 4).and_then(char::from_u32)),
            'U' => out.extend(hex(chars, 8).and_then(char::from_u32)),
            '0'..='7' => out.extend(octal_escape(e, chars)),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprintf_substitutes_known_values_only() {
        let values = [Some("files".to_string()), None];
        assert_eq!(
            sprintf("Read %s from %s (100%%)", &values),
            "Read files from %s (100%)"
        );
        assert_eq!(
            sprintf("%-10v|%q", &[Some("a".into()), Some("b".into())]),
            "a|\"b\""
        );
    }

    #[test]
    fn go_escapes() {
        assert_eq!(decode_escapes(r#"a\n\x41\u00e9\101\"q"#), "a\nAéA\"q");
    }
}
