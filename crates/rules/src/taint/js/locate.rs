//! Locations and snippets that stay cheap on minified files, whose single lines can be
//! megabytes long: columns of ASCII text are byte columns, and snippets only look at a
//! window around the node.

use assay_core::Location;
use tree_sitter::Node;

use crate::inventory::common::node_location;
use crate::text::{MAX_SNIPPET_CHARS, floor_char_boundary, snippet};

/// Turns nodes of one file into locations and snippets.
pub(super) struct Locator<'a> {
    path: &'a str,
    text: &'a str,
    ascii: bool,
}

impl<'a> Locator<'a> {
    /// A locator for the file at `path`.
    pub(super) fn new(path: &'a str, text: &'a str) -> Locator<'a> {
        Locator {
            path,
            text,
            ascii: text.is_ascii(),
        }
    }

    /// The location of `node` (character columns).
    pub(super) fn location(&self, node: Node<'_>) -> Location {
        if !self.ascii {
            return node_location(self.path, self.text, node);
        }
        let (start, end) = (node.start_position(), node.end_position());
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Location {
            path: self.path.to_string(),
            line: n(start.row + 1),
            column: n(start.column + 1),
            end_line: n(end.row + 1),
            end_column: n(end.column + 1),
        }
    }

    /// The trimmed source line of `node`, or a window around it on long lines.
    pub(super) fn snippet(&self, node: Node<'_>) -> String {
        let reach = MAX_SNIPPET_CHARS * 4;
        let lo = floor_char_boundary(self.text, node.start_byte().saturating_sub(reach));
        let hi = floor_char_boundary(self.text, node.end_byte().saturating_add(reach));
        snippet(
            &self.text[lo..hi],
            node.start_byte() - lo,
            node.end_byte() - lo,
        )
    }
}
