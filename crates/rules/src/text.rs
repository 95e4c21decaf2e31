//! Small text helpers shared by rules: snippets, line lookup, redaction.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError};
use assay_core::Location;

/// Longest snippet kept in a finding, in characters.
pub const MAX_SNIPPET_CHARS: usize = 240;

/// The trimmed source line(s) covering `start..end` of `text`, cut to
/// [`MAX_SNIPPET_CHARS`] around the match so minified files don't produce megabyte snippets.
pub fn snippet(text: &str, start: usize, end: usize) -> String {
    let start = floor_char_boundary(text, start.min(text.len()));
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = &text[line_start..line_end];
    if line.chars().count() <= MAX_SNIPPET_CHARS {
        return line.trim().to_string();
    }
    // Window around the match inside a long line.
    let rel_start = start - line_start;
    let window_start = floor_char_boundary(line, rel_start.saturating_sub(MAX_SNIPPET_CHARS / 3));
    let window: String = line[window_start..]
        .chars()
        .take(MAX_SNIPPET_CHARS)
        .collect();
    let mut out = String::new();
    if window_start > 0 {
        out.push('…');
    }
    out.push_str(window.trim());
    if window_start + window.len() < line.len() {
        out.push('…');
    }
    out
}

/// The largest char boundary `<= index`.
pub fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Redacts a secret for display: keeps at most the first 4 characters (the provider
/// prefix a maintainer needs to find it) and replaces the rest, whatever its length.
pub fn redact(secret: &str) -> String {
    let keep = if secret.chars().count() >= 16 { 4 } else { 0 };
    let head: String = secret.chars().take(keep).collect();
    format!("{head}…[REDACTED {} chars]", secret.chars().count())
}

/// Replaces every occurrence of `secret` in `text` with its [`redact`]ed form.
pub fn redact_in(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, &redact(secret))
}

/// A keyword automaton for prefilters: Aho-Corasick compiled to a DFA, which searches
/// several times faster than the default NFA on the short pattern sets rules use. Every
/// file of a scan is searched by a dozen of these, so their speed is the scan's speed.
pub fn keywords<I, P>(patterns: I) -> Result<AhoCorasick, BuildError>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
}

/// The location of `start..end` in `text` of file `path`.
pub fn location(path: &str, text: &str, start: usize, end: usize) -> Location {
    Location::from_byte_range(path, text, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_the_trimmed_line() {
        let text = "a\n   let x = 1;  \nb";
        assert_eq!(snippet(text, 9, 10), "let x = 1;");
    }

    #[test]
    fn snippets_of_long_lines_are_windowed() {
        let text = format!("{}NEEDLE{}", "x".repeat(10_000), "y".repeat(10_000));
        let s = snippet(&text, 10_000, 10_006);
        assert!(s.contains("NEEDLE"));
        assert!(s.chars().count() <= MAX_SNIPPET_CHARS + 2);
        assert!(s.starts_with('…') && s.ends_with('…'));
    }

    #[test]
    fn redaction_never_shows_the_secret() {
        let secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let red = redact(secret);
        assert!(!red.contains("abcdefghij"));
        assert!(red.starts_with("ghp_"));
        assert_eq!(redact("short"), "…[REDACTED 5 chars]");
        let line = format!("token = \"{secret}\"");
        assert!(!redact_in(&line, secret).contains(secret));
    }
}
