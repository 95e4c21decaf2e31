//! ANSI colours for terminal output, switched off entirely when colour is not wanted.

use assay_core::{Grade, Severity};

/// A colour or emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Bold.
    Bold,
    /// Faint.
    Dim,
    /// Bold red on the default background.
    Alarm,
    /// Red.
    Red,
    /// Yellow.
    Yellow,
    /// Green.
    Green,
    /// Blue.
    Blue,
    /// Magenta.
    Magenta,
}

impl Tone {
    /// The SGR parameters of the tone.
    fn sgr(self) -> &'static str {
        match self {
            Tone::Bold => "1",
            Tone::Dim => "2",
            Tone::Alarm => "1;31",
            Tone::Red => "31",
            Tone::Yellow => "33",
            Tone::Green => "32",
            Tone::Blue => "34",
            Tone::Magenta => "35",
        }
    }

    /// The tone of a severity label.
    pub(crate) fn of_severity(severity: Severity) -> Tone {
        match severity {
            Severity::Critical => Tone::Alarm,
            Severity::High => Tone::Red,
            Severity::Medium => Tone::Yellow,
            Severity::Low => Tone::Blue,
            Severity::Info => Tone::Dim,
        }
    }

    /// The tone of a grade.
    pub(crate) fn of_grade(grade: Grade) -> Tone {
        match grade {
            Grade::A | Grade::B => Tone::Green,
            Grade::C => Tone::Yellow,
            Grade::D => Tone::Magenta,
            Grade::F => Tone::Alarm,
        }
    }
}

/// Applies tones when colour is on; returns the text unchanged otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Painter {
    color: bool,
}

impl Painter {
    /// A painter that colours only when `color` is true.
    pub(crate) fn new(color: bool) -> Self {
        Painter { color }
    }

    /// `text` in `tone`. The text must already be free of control characters.
    pub(crate) fn paint(self, tone: Tone, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\u{1b}[{}m{text}\u{1b}[0m", tone.sgr())
        } else {
            text.to_string()
        }
    }
}

/// The widest cell of each column (in characters).
pub(crate) fn column_widths<'a>(rows: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        if widths.len() < row.len() {
            widths.resize(row.len(), 0);
        }
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

impl Painter {
    /// One table line: cells left-aligned to `widths`, two spaces apart, the last cell
    /// unpadded; cell `i` painted in `tone(i)` when that is `Some`. Ends with a newline.
    pub(crate) fn row(
        self,
        cells: &[String],
        widths: &[usize],
        tone: impl Fn(usize) -> Option<Tone>,
    ) -> String {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let last = i + 1 == cells.len();
            let width = widths.get(i).copied().unwrap_or(0);
            let padded = if last {
                cell.clone()
            } else {
                format!("{cell:<width$}")
            };
            match tone(i) {
                Some(tone) => line.push_str(&self.paint(tone, &padded)),
                None => line.push_str(&padded),
            }
            if !last {
                line.push_str("  ");
            }
        }
        let mut line = line.trim_end().to_string();
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_off_means_no_escape_codes() {
        assert_eq!(Painter::new(false).paint(Tone::Alarm, "F"), "F");
        assert_eq!(
            Painter::new(true).paint(Tone::Alarm, "F"),
            "\u{1b}[1;31mF\u{1b}[0m"
        );
        assert_eq!(Painter::new(true).paint(Tone::Red, ""), "");
    }

    #[test]
    fn rows_align_to_the_widest_cell() {
        let rows = vec![
            vec!["a".to_string(), "bb".to_string(), "c".to_string()],
            vec!["aaa".to_string(), "b".to_string(), "".to_string()],
        ];
        let widths = column_widths(&rows);
        assert_eq!(widths, [3, 2, 1]);
        let painter = Painter::new(false);
        assert_eq!(painter.row(&rows[0], &widths, |_| None), "a    bb  c\n");
        assert_eq!(painter.row(&rows[1], &widths, |_| None), "aaa  b\n");
    }
}
