//! The backslash-escape walk shared by the JS, Python and Go string-literal decoders;
//! each language supplies what its escapes mean.

use std::iter::Peekable;
use std::str::Chars;

/// The characters after an escape's first letter, for escapes that read more.
pub type EscapeRest<'a> = Peekable<Chars<'a>>;

/// What a `\` at the very end of a literal becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneBackslash {
    /// Kept as written (Python, Go).
    Keep,
    /// Dropped (JavaScript).
    Drop,
}

/// Copies `raw`, handing each escape to `escape`: the character after the `\`, the
/// characters after it (an escape may consume more of them) and the output.
pub fn decode_backslash_escapes(
    raw: &str,
    lone: LoneBackslash,
    mut escape: impl FnMut(char, &mut EscapeRest<'_>, &mut String),
) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e) => escape(e, &mut chars, &mut out),
            None => {
                if lone == LoneBackslash::Keep {
                    out.push('\\');
                }
                break;
            }
        }
    }
    out
}

/// The C-style escapes the three languages share: `\n`, `\t`, `\r`, `\b`, `\f`, `\v`.
pub fn control_escape(letter: char) -> Option<char> {
    match letter {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        _ => None,
    }
}

/// An octal escape `\ooo` of one to three digits, `first` being the digit after the `\`
/// (Python, Go).
pub fn octal_escape(first: char, rest: &mut EscapeRest<'_>) -> Option<char> {
    let mut value = first.to_digit(8)?;
    for _ in 0..2 {
        match rest.peek().and_then(|d| d.to_digit(8)) {
            Some(d) => {
                value = value * 8 + d;
                rest.next();
            }
            None => break,
        }
    }
    char::from_u32(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_controls(raw: &str, lone: LoneBackslash) -> String {
        decode_backslash_escapes(raw, lone, |e, _, out| {
            out.push(control_escape(e).unwrap_or(e));
        })
    }

    #[test]
    fn text_between_escapes_is_copied() {
        assert_eq!(only_controls(r"a\tb\nc", LoneBackslash::Keep), "a\tb\nc");
        assert_eq!(only_controls("plain", LoneBackslash::Drop), "plain");
    }

    #[test]
    fn a_trailing_backslash_is_kept_or_dropped() {
        assert_eq!(only_controls("x\\", LoneBackslash::Keep), "x\\");
        assert_eq!(only_controls("x\\", LoneBackslash::Drop), "x");
    }

    #[test]
    fn octal_escapes_read_up_to_three_digits() {
        let mut rest = "8x".chars().peekable();
        assert_eq!(octal_escape('1', &mut rest), Some('\u{1}'));
        assert_eq!(rest.collect::<String>(), "8x");
        let mut rest = "011".chars().peekable();
        assert_eq!(octal_escape('1', &mut rest), Some('A'));
        assert_eq!(rest.collect::<String>(), "1");
    }
}
