//! Language-independent helpers shared by the surface extractors.

use assay_core::Location;
use tree_sitter::Node;

/// The [`Location`] of `node` in `text` (the file at `path`), with 1-based lines and
/// character-counted columns. Only the node's own lines are scanned, so this stays cheap
/// on large files.
pub fn node_location(path: &str, text: &str, node: Node<'_>) -> Location {
    let start = node.start_position();
    let end = node.end_position();
    Location {
        path: path.to_string(),
        line: to_u32(start.row + 1),
        column: char_column(text, node.start_byte(), start.column),
        end_line: to_u32(end.row + 1),
        end_column: char_column(text, node.end_byte(), end.column),
    }
}

/// 1-based character column of byte offset `byte`, which sits `byte_column` bytes after
/// the start of its line.
fn char_column(text: &str, byte: usize, byte_column: usize) -> u32 {
    let line_start = byte.saturating_sub(byte_column);
    let chars = text
        .get(line_start..byte)
        .map_or(byte_column, |s| s.chars().count());
    to_u32(chars + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The [`Location`] spanning from the start of `first` to the end of `last`.
pub fn span_location(path: &str, text: &str, first: Node<'_>, last: Node<'_>) -> Location {
    let start = node_location(path, text, first);
    let end = node_location(path, text, last);
    Location {
        end_line: end.end_line,
        end_column: end.end_column,
        ..start
    }
}

/// True when `haystack` contains `needle` ignoring ASCII case (a cheap prefilter).
pub fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty()
        && haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}
