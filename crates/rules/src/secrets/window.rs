//! Bounded windows of text around a match, so that work on minified single-line files
//! stays proportional to the matches, not to the line length.

use std::ops::Range;

use crate::text::floor_char_boundary;

/// How far a window may reach after the text it is built around. Large enough for the
/// longest single-line secret Assay recognises (an escaped PEM key inside a JSON
/// string: about 1.8 KB for RSA-2048, 3.3 KB for RSA-4096).
pub const AFTER: usize = 4096;

/// How far a keyword window reaches before the keyword: keywords are a token's prefix,
/// or sit at most a couple of hundred bytes into it (OpenAI's `T3BlbkFJ`).
pub const BEFORE_KEYWORD: usize = 256;

/// The lines covering `start..end`, cut to at most `before` bytes before `start` and
/// `after` bytes after `end`, on char boundaries.
pub fn around(text: &str, start: usize, end: usize, before: usize, after: usize) -> Range<usize> {
    let start = floor_char_boundary(text, start);
    let end = floor_char_boundary(text, end.max(start));
    // Only look for line breaks within reach: on a single-line file an unbounded search
    // would rescan the whole prefix for every match.
    let lo = floor_char_boundary(text, start.saturating_sub(before));
    let hi = floor_char_boundary(text, end.saturating_add(after));
    let line_start = text[lo..start].rfind('\n').map_or(lo, |i| lo + i + 1);
    let line_end = text[end..hi].find('\n').map_or(hi, |i| end + i);
    line_start..line_end
}

/// True when `window` was cut inside a line at its start (not at a line start).
pub fn cut_at_start(text: &str, window: &Range<usize>) -> bool {
    window.start > 0 && text.as_bytes()[window.start - 1] != b'\n'
}

/// True when `window` was cut inside a line at its end (not at a line end).
pub fn cut_at_end(text: &str, window: &Range<usize>) -> bool {
    window.end < text.len() && text.as_bytes()[window.end] != b'\n'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_lines_bounded_by_their_reach() {
        let text = "one\ntwo three\nfour";
        let w = around(text, 8, 13, AFTER, AFTER);
        assert_eq!(&text[w.clone()], "two three");
        assert!(!cut_at_start(text, &w) && !cut_at_end(text, &w));

        let long = format!("{}NEEDLE{}", "a".repeat(10_000), "b".repeat(10_000));
        let w = around(&long, 10_000, 10_006, 100, 50);
        assert_eq!(w, 9_900..10_056);
        assert!(cut_at_start(&long, &w) && cut_at_end(&long, &w));

        let multibyte = "ééééé";
        let w = around(multibyte, 4, 6, 3, 3);
        assert!(multibyte.is_char_boundary(w.start) && multibyte.is_char_boundary(w.end));
    }
}
