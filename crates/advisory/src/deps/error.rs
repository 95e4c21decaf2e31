//! The one-line error of a malformed dependency file.

use std::fmt;

/// Why a dependency file could not be read: one line, with the 1-based line number
/// when the format makes it known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, on one line.
    pub message: String,
    /// The line the problem is on, when known (1-based).
    pub line: Option<u32>,
}

impl ParseError {
    /// An error without a line; newlines in `message` become spaces.
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            message: one_line(&message.into()),
            line: None,
        }
    }

    /// An error on `line`.
    pub(super) fn at(line: u32, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            ..Self::new(message)
        }
    }

    /// A JSON syntax or shape error from `serde_json`, which knows its line.
    pub(super) fn json(error: &serde_json::Error) -> Self {
        let message = format!("invalid JSON: {}", strip_position(&error.to_string()));
        match u32::try_from(error.line()) {
            Ok(line) if line > 0 => Self::at(line, message),
            _ => Self::new(message),
        }
    }

    /// A TOML error from the `toml` crate, whose message spans several lines.
    pub(super) fn toml(text: &str, error: &toml::de::Error) -> Self {
        let message = format!("invalid TOML: {}", error.message());
        match error.span() {
            Some(span) => Self::at(super::common::line_of(text, span.start), message),
            None => Self::new(message),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// `message` on one line, at most 300 characters.
fn one_line(message: &str) -> String {
    let mut line: String = message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(300)
        .collect();
    if line.is_empty() {
        line.push_str("malformed file");
    }
    line
}

/// `serde_json` messages end with ` at line L column C`, which [`ParseError`] holds apart.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_carry_the_line() {
        let error = ParseError::at(7, "bad\nthing\r\n here");
        assert_eq!(error.to_string(), "line 7: bad thing here");
        let json =
            serde_json::from_str::<serde_json::Value>("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        let error = ParseError::json(&json);
        assert_eq!(error.line, Some(3));
        assert_eq!(error.to_string(), "line 3: invalid JSON: expected `:`");
    }
}
