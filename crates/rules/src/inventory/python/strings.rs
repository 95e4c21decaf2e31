//! Static string values of Python expressions: literals (with prefixes and escapes),
//! implicit concatenation, `+`, f-strings, module constants, `textwrap.dedent`,
//! `inspect.cleandoc`, `.strip()`. Unresolvable f-string and `+` parts are kept as
//! `{expr}`; `"…".format(…)` and `"…" % …` keep the template text.

use tree_sitter::Node;

use super::scope::{Bound, Env, MAX_RESOLVE_DEPTH, Scope, last_segment, positional_arguments};
use crate::inventory::escapes::{
    LoneBackslash, control_escape, decode_backslash_escapes, octal_escape,
};
use crate::inventory::static_string::{bounded, placeholder, push_bounded};

/// The string value of `node`, if it is statically known.
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
    let node = match scope.deref(node, env) {
        Bound::Text(text) => return Some(text),
        Bound::Node(n) => n,
    };
    match node.kind() {
        "string" => Some(string_literal(scope, node, env, depth)),
        "concatenated_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                if part.kind() == "string" {
                    push_bounded(&mut out, &string_literal(scope, part, env, depth));
                }
            }
            Some(out)
        }
        "binary_operator" => binary(scope, node, env, depth),
        "call" => call(scope, node, env, depth),
        _ => None,
    }
}

fn binary<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<String> {
    let left = node.child_by_field_name("left")?;
    let right = node.child_by_field_name("right")?;
    let operator = node.child_by_field_name("operator")?;
    match scope.text_of(operator) {
        "+" => {
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
        "%" => resolve_at(scope, left, env, depth + 1),
        _ => None,
    }
}

fn call<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>, depth: usize) -> Option<String> {
    let function = node.child_by_field_name("function")?;
    let args = node.child_by_field_name("arguments")?;
    let first_arg = || positional_arguments(args).next();
    if function.kind() == "attribute" {
        let object = function.child_by_field_name("object")?;
        let method = scope.text_of(function.child_by_field_name("attribute")?);
        let receiver = || resolve_at(scope, object, env, depth + 1);
        return match method {
            "format" | "format_map" => receiver(),
            "strip" if first_arg().is_none() => receiver().map(|s| s.trim().to_string()),
            "lstrip" if first_arg().is_none() => receiver().map(|s| s.trim_start().to_string()),
            "rstrip" if first_arg().is_none() => receiver().map(|s| s.trim_end().to_string()),
            "dedent" => resolve_at(scope, first_arg()?, env, depth + 1).map(|s| dedent(&s)),
            "cleandoc" => resolve_at(scope, first_arg()?, env, depth + 1).map(|s| cleandoc(&s)),
            _ => None,
        };
    }
    match last_segment(scope.text_of(function)) {
        "dedent" => resolve_at(scope, first_arg()?, env, depth + 1).map(|s| dedent(&s)),
        "cleandoc" => resolve_at(scope, first_arg()?, env, depth + 1).map(|s| cleandoc(&s)),
        // `AnyUrl("file:///…")`, `str("…")`: the wrapped literal.
        "AnyUrl" | "Url" | "str" => resolve_at(scope, first_arg()?, env, depth + 1),
        _ => None,
    }
}

/// One `string` node: prefix handling, escapes, f-string interpolations.
fn string_literal<'t>(scope: &Scope<'t>, node: Node<'t>, env: &Env<'t>, depth: usize) -> String {
    let mut prefix = "";
    let mut out = String::new();
    let mut cursor = node.walk();
    for part in node.children(&mut cursor) {
        match part.kind() {
            "string_start" => {
                let start = scope.text_of(part);
                prefix = &start[..start.find(['"', '\'']).unwrap_or(0)];
            }
            "string_content" => {
                let raw = scope.text_of(part);
                let lower = prefix.to_ascii_lowercase();
                let mut text = if lower.contains('r') {
                    raw.to_string()
                } else {
                    decode_escapes(raw)
                };
                if lower.contains('f') || lower.contains('t') {
                    text = text.replace("{{", "{").replace("}}", "}");
                }
                push_bounded(&mut out, &text);
            }
            "interpolation" => {
                let value = part
                    .child_by_field_name("expression")
                    .filter(|_| part.child_by_field_name("format_specifier").is_none())
                    .filter(|_| part.child_by_field_name("type_conversion").is_none())
                    .and_then(|e| resolve_at(scope, e, env, depth + 1));
                push_bounded(
                    &mut out,
                    &value.unwrap_or_else(|| scope.text_of(part).to_string()),
                );
            }
            _ => {}
        }
    }
    out
}

/// Decodes Python backslash escapes. Unknown escapes are kept, as Python does.
pub(crate) fn decode_escapes(raw: &str) -> String {
    decode_backslash_escapes(raw, LoneBackslash::Keep, |e, chars, out| {
        if let Some(c) = control_escape(e) {
            out.push(c);
            return;
        }
        match e {
            '\n' => {}
            'a' => out.push('\u{7}'),
            '\\' | '\'' | '"' => out.push(e),
            '0'..='7' => out.extend(octal_escape(e, chars)),
            'x' | 'u' | 'U' => {
                let width = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = chars.clone().take(width).collect();
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) if digits.len() == width => {
                        out.push(ch);
                        for _ in 0..width {
                            chars.next();
                        }
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    })
}

/// `inspect.cleandoc`: tabs expanded, first line stripped, common indentation of the
/// other lines removed, leading and trailing blank lines dropped.
pub(crate) fn cleandoc(doc: &str) -> String {
    let expanded = expand_tabs(doc);
    let mut lines: Vec<&str> = expanded.split('\n').collect();
    let margin = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| indentation(l))
        .min()
        .unwrap_or(0);
    let mut cleaned: Vec<String> = Vec::with_capacity(lines.len());
    if let Some(first) = lines.first_mut() {
        cleaned.push(first.trim_start().to_string());
    }
    for line in lines.iter().skip(1) {
        cleaned.push(
            line.get(margin..)
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string(),
        );
    }
    while cleaned.first().is_some_and(|l| l.trim().is_empty()) {
        cleaned.remove(0);
    }
    while cleaned.last().is_some_and(|l| l.trim().is_empty()) {
        cleaned.pop();
    }
    cleaned.join("\n")
}

/// `textwrap.dedent`: the common leading whitespace of non-blank lines removed;
/// whitespace-only lines emptied.
pub(crate) fn dedent(text: &str) -> String {
    let margin = text
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(indentation)
        .min()
        .unwrap_or(0);
    text.split('\n')
        .map(|l| {
            if l.trim().is_empty() {
                ""
            } else {
                l.get(margin..).unwrap_or("")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Leading spaces/tabs, in bytes.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleandoc_matches_inspect() {
        assert_eq!(
            cleandoc("Summary line.\n\n    Args:\n        x: a thing\n    "),
            "Summary line.\n\nArgs:\n    x: a thing"
        );
        assert_eq!(
            cleandoc("\n    Indented.\n      more\n"),
            "Indented.\n  more"
        );
    }

    #[test]
    fn dedent_matches_textwrap() {
        assert_eq!(dedent("    a\n      b\n   \n    c"), "a\n  b\n\nc");
    }

    #[test]
    fn escapes_decode_like_python() {
        assert_eq!(decode_escapes(r"a\nb\x41\u00e9\101\q\\"), "a\nbAéA\\q\\");
    }
}
