use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A span in a file of the scanned snapshot. Lines and columns are 1-based; columns count
/// characters (Unicode scalar values), as SARIF's default `charOffset`-free regions do.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    /// Path inside the snapshot, `/`-separated, relative to its root.
    pub path: String,
    /// First line (1-based).
    pub line: u32,
    /// First column (1-based).
    pub column: u32,
    /// Last line (1-based, inclusive).
    pub end_line: u32,
    /// Column just past the end (1-based, exclusive).
    pub end_column: u32,
}

impl Location {
    /// A location covering a single point.
    pub fn point(path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            end_line: line,
            end_column: column,
        }
    }

    /// Computes the location of the byte range `start..end` of `text`.
    /// Offsets past the end or inside a UTF-8 sequence are clamped.
    pub fn from_byte_range(path: impl Into<String>, text: &str, start: usize, end: usize) -> Self {
        let (line, column) = line_col(text, start);
        let (end_line, end_column) = line_col(text, end.max(start));
        Location {
            path: path.into(),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// 1-based (line, column) of byte `offset` in `text`, counting columns in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_lines_and_columns() {
        let text = "ab\ncdé\nfg";
        let loc = Location::from_byte_range("f.js", text, 3, 7);
        assert_eq!(
            (loc.line, loc.column, loc.end_line, loc.end_column),
            (2, 1, 2, 4)
        );
        let past = Location::from_byte_range("f.js", text, 100, 200);
        assert_eq!((past.line, past.column), (3, 3));
        // offset 6 is inside `é`: clamped back to its start
        assert_eq!(line_col(text, 6), (2, 3));
    }
}
