//! A byte cursor for the hand-written version parsers. Input is bounded and every
//! step moves forward or restores one saved position, so parsing is linear.

/// Versions longer than this do not parse: real ones are far shorter, and the bound
/// keeps hostile input cheap.
pub(super) const MAX_VERSION_LEN: usize = 256;

/// A position in an ASCII version string.
pub(super) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`; `None` when `text` is too long.
    pub(super) fn new(text: &'a str) -> Option<Self> {
        (text.len() <= MAX_VERSION_LEN).then_some(Self { text, pos: 0 })
    }

    /// Whether the whole input was consumed.
    pub(super) fn is_done(&self) -> bool {
        self.pos == self.text.len()
    }

    /// The current position, for [`Cursor::restore`].
    pub(super) fn save(&self) -> usize {
        self.pos
    }

    /// Goes back to a saved position.
    pub(super) fn restore(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The byte `ahead` bytes after the current one.
    pub(super) fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + ahead).copied()
    }

    /// Consumes `byte` if it is next.
    pub(super) fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek_at(0) == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes one byte if it is in `set`.
    pub(super) fn eat_one_of(&mut self, set: &[u8]) -> bool {
        let found = self.peek_at(0).is_some_and(|b| set.contains(&b));
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes the longest run of bytes satisfying `keep` (possibly empty).
    pub(super) fn eat_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        let run = self.text.as_bytes()[start..]
            .iter()
            .take_while(|&&b| keep(b))
            .count();
        self.pos += run;
        &self.text[start..self.pos]
    }

    /// Consumes a run of ASCII digits (possibly empty).
    pub(super) fn eat_digits(&mut self) -> &'a str {
        self.eat_while(|b| b.is_ascii_digit())
    }

    /// Consumes the first of `words` (ASCII, compared case-insensitively) that comes
    /// next, returning its index in `words`.
    pub(super) fn eat_word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = &self.text.as_bytes()[self.pos..];
        let index = words.iter().position(|word| {
            rest.get(..word.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
        })?;
        self.pos += words[index].len();
        Some(index)
    }
}

/// A run of ASCII digits as a number; `None` on overflow or when the run is empty.
pub(super) fn number(digits: &str) -> Option<u64> {
    digits.parse().ok()
}

/// Orders two runs of ASCII digits without leading zeros numerically, whatever their
/// length.
pub(super) fn cmp_digits(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_overlong_input_and_walks_tokens() {
        assert!(Cursor::new(&"1".repeat(MAX_VERSION_LEN + 1)).is_none());
        let mut cursor = Cursor::new("12.Alpha3").unwrap();
        assert_eq!(cursor.eat_digits(), "12");
        assert!(cursor.eat_one_of(b"-_."));
        assert_eq!(cursor.eat_word(&["alpha", "a"]), Some(0));
        assert_eq!(cursor.eat_digits(), "3");
        assert!(cursor.is_done());
        assert_eq!(number("18446744073709551616"), None);
        assert_eq!(
            cmp_digits("10", "9"),
            std::cmp::Ordering::Greater,
            "numeric, not lexical"
        );
    }
}
