//! Byte offsets to line and column, incrementally: a file with many findings on one
//! huge line must not be rescanned from its start for every finding.

use assay_core::Location;

use crate::text::floor_char_boundary;

/// Walks a file forward, turning byte offsets into [`Location`]s. Offsets should come in
/// increasing order; an earlier offset restarts the walk from the top (correct, slower).
#[derive(Clone)]
pub struct Locator<'a> {
    path: &'a str,
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    /// A locator at the start of `text`, the file at `path`.
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Locator {
            path,
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The location of `start..end`, as [`Location::from_byte_range`] computes it.
    pub fn location(&mut self, start: usize, end: usize) -> Location {
        let (line, column) = self.advance(start);
        let (end_line, end_column) = self.clone().advance(end.max(start));
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Location {
            path: self.path.to_string(),
            line: n(line),
            column: n(column),
            end_line: n(end_line),
            end_column: n(end_column),
        }
    }

    /// Moves to `to` (clamped to a char boundary) and returns its 1-based line and
    /// column (in characters).
    fn advance(&mut self, to: usize) -> (usize, usize) {
        let to = floor_char_boundary(self.text, to);
        if to < self.offset {
            *self = Locator::new(self.path, self.text);
        }
        let chunk = &self.text[self.offset..to];
        match memchr::memrchr(b'\n', chunk.as_bytes()) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
                self.column = chunk[last + 1..].chars().count() + 1;
            }
            None => self.column += chunk.chars().count(),
        }
        self.offset = to;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_location_from_byte_range() {
        let text = "ab\ncdé\nfg\n\nhij";
        let mut locator = Locator::new("f.js", text);
        let spans = [
            (0, 1),
            (3, 7),
            (4, 9),
            (8, 12),
            (12, 15),
            (2, 5),
            (100, 200),
        ];
        for (start, end) in spans {
            assert_eq!(
                locator.location(start, end),
                Location::from_byte_range("f.js", text, start, end),
                "{start}..{end}"
            );
        }
    }
}
