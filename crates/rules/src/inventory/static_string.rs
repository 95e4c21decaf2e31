//! Pieces shared by the per-language static string resolvers: the bound on the size of
//! a resolved string and how an unresolvable part is shown.

use crate::text::floor_char_boundary;

/// Resolved strings are cut at this many bytes (guards against doubling constants).
pub const MAX_STRING_BYTES: usize = 256 * 1024;

/// `s` cut to at most [`MAX_STRING_BYTES`], on a character boundary.
pub fn bounded(mut s: String) -> String {
    if s.len() > MAX_STRING_BYTES {
        let cut = floor_char_boundary(&s, MAX_STRING_BYTES);
        s.truncate(cut);
    }
    s
}

/// Appends `part` unless `out` already holds [`MAX_STRING_BYTES`] or more.
pub fn push_bounded(out: &mut String, part: &str) {
    if out.len() < MAX_STRING_BYTES {
        out.push_str(part);
    }
}

/// `{source text}`: how an unresolvable part of a string (an operand of `+`, an
/// interpolation) is shown.
pub fn placeholder(source: &str) -> String {
    format!("{{{source}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_are_cut_on_a_char_boundary() {
        let s = format!("{}é", "a".repeat(MAX_STRING_BYTES - 1));
        let cut = bounded(s);
        assert_eq!(cut.len(), MAX_STRING_BYTES - 1);
        assert!(cut.chars().all(|c| c == 'a'));
        assert_eq!(bounded("short".to_string()), "short");
    }

    #[test]
    fn pushes_stop_at_the_bound() {
        let mut out = "a".repeat(MAX_STRING_BYTES);
        push_bounded(&mut out, "more");
        assert_eq!(out.len(), MAX_STRING_BYTES);
        let mut out = String::from("a");
        push_bounded(&mut out, "b");
        assert_eq!(out, "ab");
        assert_eq!(placeholder("name"), "{name}");
    }
}
