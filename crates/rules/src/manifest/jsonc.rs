//! A JSON reader that keeps byte spans and tolerates the JSONC dialect of editor and
//! client configuration files: `//` and `/* */` comments and trailing commas.
//!
//! Rules that point at a key of `package.json` or of an MCP client configuration need
//! the key's position, which `serde_json` does not keep. Input is attacker-written:
//! nesting is bounded ([`MAX_DEPTH`]), malformed input yields `None`, nothing panics.

use std::ops::Range;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with the byte range it spans in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is: from its first byte to just past its last.
    pub span: Range<usize>,
}

/// A JSON value whose children keep their spans.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in document order (duplicates kept).
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// The span of the key, quotes included.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The members of an object (empty for anything else).
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    /// The items of an array (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    /// The member `key` of an object; the last one wins, as in `JSON.parse`.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members().iter().rev().find(|m| m.key == key)
    }

    /// The value of member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// True for objects.
    pub fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }
}

/// Parses `text` (a leading BOM is skipped). Anything but one value surrounded by
/// whitespace and comments yields `None`.
pub fn parse(text: &str) -> Option<Node> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        at: if text.starts_with('\u{feff}') { 3 } else { 0 },
    };
    let node = parser.value(0)?;
    parser.skip_trivia()?;
    (parser.at == parser.bytes.len()).then_some(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips whitespace and comments; `None` on an unterminated block comment.
    fn skip_trivia(&mut self) -> Option<()> {
        loop {
            match (self.peek(), self.bytes.get(self.at + 1)) {
                (Some(b' ' | b'\t' | b'\n' | b'\r'), _) => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    self.at = memchr::memchr(b'\n', &self.bytes[self.at..])
                        .map_or(self.bytes.len(), |i| self.at + i);
                }
                (Some(b'/'), Some(b'*')) => {
                    let end = memchr::memmem::find(&self.bytes[self.at + 2..], b"*/")?;
                    self.at += 2 + end + 2;
                }
                _ => return Some(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia()?;
        let start = self.at;
        let value = match self.peek()? {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Value::String(self.string()?),
            b't' => self.keyword("true", Value::Bool(true))?,
            b'f' => self.keyword("false", Value::Bool(false))?,
            b'n' => self.keyword("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        Some(Node {
            value,
            span: start..self.at,
        })
    }

    fn keyword(&mut self, word: &str, value: Value) -> Option<Value> {
        self.bytes[self.at..].starts_with(word.as_bytes()).then(|| {
            self.at += word.len();
            value
        })
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.at += 1;
        }
        let raw = &self.text[start..self.at];
        raw.parse::<f64>().ok()?;
        Some(Value::Number(raw.to_string()))
    }

    /// Consumes `{ … }` or `[ … ]` items separated by commas, a trailing comma allowed.
    fn sequence(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.at += 1;
        loop {
            self.skip_trivia()?;
            if self.peek()? == close {
                self.at += 1;
                return Some(());
            }
            item(self)?;
            self.skip_trivia()?;
            match self.peek()? {
                b',' => self.at += 1,
                b if b == close => {}
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        self.sequence(b']', |p| {
            items.push(p.value(depth + 1)?);
            Some(())
        })?;
        Some(Value::Array(items))
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        let mut members = Vec::new();
        self.sequence(b'}', |p| {
            if p.peek()? != b'"' {
                return None;
            }
            let key_start = p.at;
            let key = p.string()?;
            let key_span = key_start..p.at;
            p.skip_trivia()?;
            if p.peek()? != b':' {
                return None;
            }
            p.at += 1;
            let value = p.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            Some(())
        })?;
        Some(Value::Object(members))
    }

    /// A string literal starting at the opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
            out.push_str(&self.text[self.at..self.at + run]);
            self.at += run;
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.at + 1)?;
                    self.at += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// The code point of `\uXXXX` (after the `\u`), joining surrogate pairs; lone
    /// surrogates become U+FFFD.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) && self.bytes[self.at..].starts_with(b"\\u") {
            let save = self.at;
            self.at += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Some(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            self.at = save;
        }
        Some(char::from_u32(high).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        let code = u32::from_str_radix(digits, 16).ok()?;
        self.at += 4;
        Some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonc_with_spans() {
        let text = "{\n  // servers\n  \"a\": {\"cmd\": \"x\\u00e9\", /* c */ \"n\": [1, true, null,],},\n}\n";
        let root = parse(text).expect("valid JSONC");
        let a = root.member("a").expect("member a");
        assert_eq!(&text[a.key_span.clone()], "\"a\"");
        let cmd = a.value.get("cmd").expect("cmd");
        assert_eq!(cmd.as_str(), Some("xé"));
        assert_eq!(&text[cmd.span.clone()], "\"x\\u00e9\"");
        assert_eq!(a.value.get("n").map(|n| n.items().len()), Some(3));
    }

    #[test]
    fn rejects_malformed_and_deep_input() {
        for bad in [
            "{",
            "{\"a\" 1}",
            "[1 2]",
            "\"abc",
            "{} x",
            "/* open",
            "{'a': 1}",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        assert!(parse(&deep).is_none());
        let ok = format!("{}{}", "[".repeat(50), "]".repeat(50));
        assert!(parse(&ok).is_some());
    }

    #[test]
    fn joins_surrogate_pairs_and_keeps_the_last_duplicate() {
        let root = parse("{\"k\": \"\\ud83d\\ude00\", \"k\": \"second\"}").expect("valid");
        assert_eq!(root.get("k").and_then(Node::as_str), Some("second"));
        assert_eq!(root.members()[0].value.as_str(), Some("😀"));
    }
}
