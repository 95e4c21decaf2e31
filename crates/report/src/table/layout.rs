//! Layout of the terminal report: headings and labelled, wrapped fields.

use std::fmt::Write as _;

use crate::style::{Painter, Tone};
use crate::text::wrap;

/// The width long text is wrapped to.
pub(super) const WIDTH: usize = 100;

/// Writes a section heading preceded by a blank line.
pub(super) fn heading(out: &mut String, painter: Painter, text: &str) {
    let _ = writeln!(out, "\n{}", painter.paint(Tone::Bold, text));
}

/// Writes `label` at `indent`, then `lines` in a column after it; continuation lines are
/// aligned under the first. The label is padded to `label_width`.
pub(super) fn field(
    out: &mut String,
    painter: Painter,
    indent: usize,
    label: &str,
    label_width: usize,
    lines: &[String],
) {
    let pad = " ".repeat(indent);
    let padded = format!("{label:<label_width$}");
    let blank = " ".repeat(label_width);
    for (i, line) in lines.iter().enumerate() {
        let head = if i == 0 {
            painter.paint(Tone::Dim, &padded)
        } else {
            blank.clone()
        };
        let line = format!("{pad}{head} {line}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `text` (already free of hidden characters) wrapped to fit after a label at `indent`.
pub(super) fn wrapped(text: &str, indent: usize, label_width: usize) -> Vec<String> {
    let width = WIDTH.saturating_sub(indent + label_width + 1);
    text.split('\n')
        .flat_map(|paragraph| wrap(paragraph, width))
        .collect()
}
