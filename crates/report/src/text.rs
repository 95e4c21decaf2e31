//! Text helpers shared by the renderers: neutralising hostile characters, wrapping,
//! truncating, and escaping for Markdown and HTML.
//!
//! Everything a report holds about the target (tool descriptions, snippets, paths, evidence)
//! is attacker-written. Before it reaches a terminal or a Markdown viewer, control
//! characters (ANSI escape sequences could repaint the terminal), bidirectional overrides
//! and invisible characters (which hide or reorder text) are replaced by visible
//! `\u{…}` escapes, and Markdown/HTML syntax is escaped so the text cannot inject links,
//! images or markup into a PR comment.

use std::fmt::Write as _;

use assay_core::is_invisible;

/// Whether `c` would be invisible, reorder text, or drive the terminal if printed as is:
/// the characters the metadata rules treat as invisible, plus every control character
/// (whitespace ones included: callers decide which whitespace to keep) and format
/// characters a terminal may also swallow — Mongolian variation selectors, line and
/// paragraph separators, specials, shorthand format controls and the whole tag and
/// variation-selector plane block.
fn is_hidden(c: char) -> bool {
    is_invisible(c)
        || c.is_control()
        || matches!(
            c,
            '\u{180B}'..='\u{180F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Replaces hidden characters by `\u{…}` escapes. Tabs become spaces; newlines are kept
/// when `keep_newlines`, otherwise they become spaces too (for one-line fields).
pub(crate) fn reveal(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            '\r' if keep_newlines => {}
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// The start of `text` that can matter when at most `max_chars` characters are shown
/// (with room for collapsed whitespace), and whether anything was cut. Bounds the work
/// spent on huge attacker-written strings.
fn head(text: &str, max_chars: usize) -> (&str, bool) {
    let budget = max_chars.saturating_mul(4).saturating_add(64);
    match text.char_indices().nth(budget) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// Marks a cut that happened before the text was processed.
fn mark_cut(mut text: String, cut: bool, max_chars: usize) -> String {
    if cut && !text.ends_with('…') {
        text = truncate(&text, max_chars.saturating_sub(1));
        text.push('…');
    }
    text
}

/// One line of text: hidden characters revealed, whitespace runs collapsed, cut to
/// `max_chars` characters (an ellipsis marks the cut).
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let (head, cut) = head(text, max_chars);
    let revealed = reveal(head, false);
    let collapsed = revealed.split_whitespace().collect::<Vec<_>>().join(" ");
    mark_cut(truncate(&collapsed, max_chars), cut, max_chars)
}

/// Multi-line prose: hidden characters revealed (newlines kept), cut to `max_chars`
/// characters.
pub(crate) fn prose(text: &str, max_chars: usize) -> String {
    let (head, cut) = head(text, max_chars);
    mark_cut(truncate(&reveal(head, true), max_chars), cut, max_chars)
}

/// Cuts `text` to at most `max_chars` characters, ending with `…` when something was cut.
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Word-wraps one paragraph to lines of at most `width` characters. Words longer than the
/// width are split. Returns at least one (possibly empty) line.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let sep = usize::from(line_len > 0);
            if line_len + sep + word.len() <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                line_len += sep + word.len();
                break;
            }
            if line_len > 0 {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
                continue;
            }
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if line_len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The multi-line `text` (hidden characters revealed) limited to `max_lines` lines of at
/// most `max_chars` characters each; a final line says how many lines were left out.
pub(crate) fn clip_block(text: &str, max_lines: usize, max_chars: usize) -> Vec<String> {
    let mut lines = text.lines();
    let mut out: Vec<String> = lines
        .by_ref()
        .take(max_lines)
        .map(|line| {
            let (head, cut) = head(line, max_chars);
            let shown = truncate(reveal(head, false).trim_end(), max_chars);
            mark_cut(shown, cut, max_chars)
        })
        .collect();
    let more = lines.count();
    if more > 0 {
        out.push(format!("… ({more} more lines)"));
    }
    out
}

/// Escapes `text` for use as Markdown inline text: hidden characters revealed, newlines
/// flattened, every ASCII punctuation character that Markdown (or a GFM table) gives a
/// meaning backslash-escaped, and `<`/`>`/`&` written as entities.
pub(crate) fn md_text(text: &str, max_chars: usize) -> String {
    let flat = one_line(text, max_chars);
    let mut out = String::with_capacity(flat.len() + 8);
    for c in flat.chars() {
        if let Some(entity) = markup_entity(c) {
            out.push_str(entity);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Prepares trusted prose that already uses Markdown (rule documentation, where
/// `` `code` `` spans are intended) for a Markdown page: `<`, `>` and `&` outside code
/// spans become entities, so a phrase like `<IMPORTANT> blocks` is shown, not parsed as
/// an HTML tag.
pub(crate) fn md_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            match markup_entity(c) {
                Some(entity) => out.push_str(entity),
                None => out.push(c),
            }
        }
    }
    out
}

/// A Markdown inline code span holding `text` (one line, hidden characters revealed),
/// safe inside a GFM table cell.
pub(crate) fn md_code(text: &str, max_chars: usize) -> String {
    let flat = one_line(text, max_chars).replace('|', "\\|");
    if flat.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(&flat, '`') + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// A fenced Markdown code block in language `lang` holding `lines`, with a fence longer
/// than any backtick run inside.
pub(crate) fn md_fence(lang: &str, lines: &[String]) -> String {
    let longest = lines.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{fence}{lang}\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// Escapes `text` (one line, hidden characters revealed) for HTML element content.
pub(crate) fn html_text(text: &str, max_chars: usize) -> String {
    let flat = one_line(text, max_chars);
    let mut out = String::with_capacity(flat.len() + 8);
    for c in flat.chars() {
        match (c, markup_entity(c)) {
            (_, Some(entity)) => out.push_str(entity),
            ('"', None) => out.push_str("&quot;"),
            ('\'', None) => out.push_str("&#39;"),
            (c, None) => out.push(c),
        }
    }
    out
}

/// `<`, `>` and `&` as the HTML entities that Markdown and HTML text both need.
fn markup_entity(c: char) -> Option<&'static str> {
    match c {
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '&' => Some("&amp;"),
        _ => None,
    }
}

/// Length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_visible_escapes() {
        let text = "ok\u{1b}[31mred\u{202e}txt\u{e0041}\u{200b}end";
        assert_eq!(
            reveal(text, false),
            "ok\\u{1b}[31mred\\u{202e}txt\\u{e0041}\\u{200b}end"
        );
        assert_eq!(reveal("a\nb\tc\r\n", true), "a\nb c\n");
        assert_eq!(reveal("a\nb", false), "a b");
        assert_eq!(reveal("héllo 日本", false), "héllo 日本");
    }

    #[test]
    fn wrapping_respects_width_and_splits_long_words() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(
            wrap("abcdefghijklmnopqrst", 8),
            ["abcdefgh", "ijklmnop", "qrst"]
        );
        assert_eq!(wrap("", 10), [""]);
        for line in wrap(&"word ".repeat(100), 30) {
            assert!(line.chars().count() <= 30);
        }
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdefg", 6), "abcde…");
        assert_eq!(one_line("a\n\n  b\tc", 80), "a b c");
        let huge = "x".repeat(1_000_000);
        assert_eq!(one_line(&huge, 10), format!("{}…", "x".repeat(9)));
        let padded = format!("ab{}cd", " ".repeat(10_000));
        assert_eq!(one_line(&padded, 10), "ab…");
        assert_eq!(prose("a\nb\u{1b}", 80), "a\nb\\u{1b}");
    }

    #[test]
    fn clipped_blocks_say_what_was_left_out() {
        let text = "1\n2\n3\n4";
        assert_eq!(clip_block(text, 2, 80), ["1", "2", "… (2 more lines)"]);
    }

    #[test]
    fn markdown_escaping_neutralises_markup() {
        let hostile = "![x](https://evil.example/p.png) <img src=x> **b** | c";
        let escaped = md_text(hostile, 200);
        assert!(!escaped.contains("!["));
        assert!(!escaped.contains('<'));
        assert!(!escaped.contains("**"));
        assert!(escaped.contains("\\|"));
        assert_eq!(md_code("a`b|c", 80), "``a`b\\|c``");
        assert_eq!(md_code("`x`", 80), "`` `x` ``");
        assert!(md_fence("text", &["```".to_string()]).starts_with("````text\n"));
        assert_eq!(
            html_text("<b a=\"1\">&", 80),
            "&lt;b a=&quot;1&quot;&gt;&amp;"
        );
    }
}
