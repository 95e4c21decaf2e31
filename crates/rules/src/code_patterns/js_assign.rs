//! JavaScript/TypeScript assignments found from their `=`: one `memchr` pass over the
//! file, then a short look back from each `=` for its target. This replaces a regex whose
//! bounded destructuring classes (`\{[^{}=;]{0,300}\}`) made the lazy DFA thrash on
//! multi-megabyte bundles; the targets it accepts are the same:
//!
//! * a dotted path of at most [`MAX_PATH`] names (`a`, `tool.description`, `a?.b`),
//! * an object or array destructuring pattern of at most [`MAX_PATTERN`] bytes without
//!   nested brackets, `=` or `;` (`{ a, b }`, `[k, v]`),
//!
//! followed by optional whitespace, an optional `||`, `&&`, `??` or `+`, and `=` (not `==`
//! or `=>`); a `const`, `let` or `var` before the target starts the assignment.

use std::ops::Range;

/// Most names in an assigned dotted path (`a.b.c.d.e`); longer paths keep their last
/// names.
const MAX_PATH: usize = 5;

/// Longest destructuring pattern between its brackets, in bytes.
const MAX_PATTERN: usize = 300;

/// One assignment as found: where it starts (the declaration keyword, if any), its
/// target, and the offset just past its `=`.
pub struct Found {
    /// Where the assignment starts.
    pub at: usize,
    /// The assigned target.
    pub target: Range<usize>,
    /// Just past the `=`.
    pub end: usize,
}

/// Every assignment of `code` (comments already blanked), in source order. Matches inside
/// string literals are included: the caller knows where strings are.
pub fn find(code: &str) -> impl Iterator<Item = Found> + '_ {
    let bytes = code.as_bytes();
    memchr::memchr_iter(b'=', bytes).filter_map(move |eq| {
        if matches!(bytes.get(eq + 1), Some(b'=' | b'>')) {
            return None;
        }
        let target = target_before(bytes, operator_start(bytes, eq))?;
        let at = declaration_before(code, target.start).unwrap_or(target.start);
        Some(Found {
            at,
            target,
            end: eq + 1,
        })
    })
}

/// Where the compound operator before the `=` at `eq` starts (`||=`, `&&=`, `??=`, `+=`),
/// or `eq` itself.
fn operator_start(bytes: &[u8], eq: usize) -> usize {
    let before = &bytes[..eq];
    if before.ends_with(b"||") || before.ends_with(b"&&") || before.ends_with(b"??") {
        eq - 2
    } else if before.ends_with(b"+") {
        eq - 1
    } else {
        eq
    }
}

/// The assignment target ending (before whitespace) at `end`.
fn target_before(bytes: &[u8], end: usize) -> Option<Range<usize>> {
    let end = end
        - bytes[..end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    match *bytes[..end].last()? {
        b'}' => pattern_before(bytes, end, b'{', b'}'),
        b']' => pattern_before(bytes, end, b'[', b']'),
        _ => path_before(bytes, end),
    }
}

/// A destructuring pattern `open … close` ending at `end`.
fn pattern_before(bytes: &[u8], end: usize, open: u8, close: u8) -> Option<Range<usize>> {
    let inner_end = end - 1;
    let floor = inner_end.saturating_sub(MAX_PATTERN + 1);
    (floor..inner_end)
        .rev()
        .map(|i| (i, bytes[i]))
        .find(|&(_, b)| matches!(b, b'=' | b';') || b == open || b == close)
        .filter(|&(_, b)| b == open)
        .map(|(start, _)| start..end)
}

/// A dotted path (`a`, `a.b`, `a?.b`) of at most [`MAX_PATH`] names ending at `end`.
fn path_before(bytes: &[u8], end: usize) -> Option<Range<usize>> {
    let mut start = name_before(bytes, end)?;
    for _ in 1..MAX_PATH {
        let Some(dot) = start.checked_sub(1).filter(|&d| bytes[d] == b'.') else {
            break;
        };
        let name_end = if dot > 0 && bytes[dot - 1] == b'?' {
            dot - 1
        } else {
            dot
        };
        match name_before(bytes, name_end) {
            Some(name) => start = name,
            None => break,
        }
    }
    Some(start..end)
}

/// The start of the name (`[A-Za-z_$][A-Za-z0-9_$]*`) ending at `end`: the first byte
/// that may start a name in the run of name characters before `end` (`ab` in `1ab`,
/// which no dotted prefix can then extend), or `None` when there is none.
fn name_before(bytes: &[u8], end: usize) -> Option<usize> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let run = end
        - bytes[..end]
            .iter()
            .rev()
            .take_while(|&&b| is_name(b))
            .count();
    (run..end).find(|&i| !bytes[i].is_ascii_digit())
}

/// The start of a `const`, `let` or `var` (a whole word) separated by whitespace from the
/// target starting at `target`.
fn declaration_before(code: &str, target: usize) -> Option<usize> {
    let before = &code[..target];
    let keyword_end = before
        .trim_end_matches(|c: char| c.is_ascii_whitespace())
        .len();
    if keyword_end == target {
        return None;
    }
    let head = &code[..keyword_end];
    ["const", "let", "var"].iter().find_map(|keyword| {
        let start = head.strip_suffix(keyword)?.len();
        let whole_word = code[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        whole_word.then_some(start)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(code: &str) -> Vec<(&str, &str)> {
        find(code)
            .map(|f| (&code[f.at..f.target.end], &code[f.target]))
            .collect()
    }

    #[test]
    fn paths_patterns_and_declarations() {
        let code = "const { a, b } = x; let [k, v] = y; t.d += 1; a?.b.c ||= 2; var z=3";
        assert_eq!(
            targets(code),
            [
                ("const { a, b }", "{ a, b }"),
                ("let [k, v]", "[k, v]"),
                ("t.d", "t.d"),
                ("a?.b.c", "a?.b.c"),
                ("var z", "z"),
            ]
        );
    }

    #[test]
    fn comparisons_arrows_and_other_operators_are_not_assignments() {
        assert!(targets("a == b; c === d; e => f; g != h; i <= j; k -= 1").is_empty());
    }

    #[test]
    fn long_paths_keep_their_last_names_and_names_follow_digits() {
        assert_eq!(targets("a.b.c.d.e.f = 1"), [("b.c.d.e.f", "b.c.d.e.f")]);
        assert_eq!(targets("1ab = 2"), [("ab", "ab")]);
        assert_eq!(targets("x.1ab = 2"), [("ab", "ab")]);
        assert!(targets("12 = 3").is_empty());
    }

    #[test]
    fn patterns_are_bounded_and_flat() {
        assert!(targets("{ a = 1 } = x").iter().all(|(_, t)| *t == "a"));
        let long = format!("{{ {} }} = x", "a,".repeat(200));
        assert!(targets(&long).is_empty());
        assert!(
            targets("constant = 1")
                .iter()
                .all(|(w, _)| *w == "constant")
        );
        assert_eq!(targets("é const x = 1"), [("const x", "x")]);
        assert_eq!(targets("éconst x = 1"), [("x", "x")]);
    }
}
