//! The YAML that `pnpm-lock.yaml` and berry's `yarn.lock` are written in: block
//! mappings and sequences by indentation, plain and quoted scalars, one-line flow
//! collections (`{integrity: sha512-…}`, `[darwin]`), comments, and block scalars.
//!
//! Anchors and aliases are not expanded (the tools never write them), so no input can
//! make the tree larger than the text; nesting is capped; one pass over the lines.
//! Anything outside the subset is an error with its line.

use super::error::ParseError;

/// Nesting deeper than this is refused (real lockfiles nest five levels).
const MAX_DEPTH: usize = 64;

/// A YAML node and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    /// The value.
    pub value: Value,
    /// 1-based line.
    pub line: u32,
}

/// A YAML value: scalars stay text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    /// An empty value (`key:` with nothing under it, `~`, `null`).
    Null,
    /// Any scalar, as text.
    Str(String),
    /// A mapping, in file order; duplicated keys are all kept.
    Map(Vec<(String, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
}

impl Node {
    /// The first value under `key`, when this is a mapping.
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, node)| node)
    }

    /// The scalar text under `key`.
    pub(super) fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// The text of a scalar.
    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The entries of a mapping (none for other values).
    pub(super) fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }
}

/// Parses a document; an empty one is [`Value::Null`].
pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    let lines = significant_lines(text)?;
    let mut parser = Parser { lines, pos: 0 };
    let Some(first) = parser.lines.first() else {
        return Ok(Node {
            value: Value::Null,
            line: 1,
        });
    };
    if first.indent != 0 {
        return Err(ParseError::at(
            first.no,
            "the document does not start at column 1",
        ));
    }
    let root = parser.block(0, 0)?;
    match parser.lines.get(parser.pos) {
        Some(line) => Err(ParseError::at(line.no, "unexpected indentation")),
        None => Ok(root),
    }
}

/// A line with content: its number, indentation and text after the indentation.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: u32,
    indent: usize,
    text: &'a str,
}

/// The lines that carry content (no blanks, comments or document markers).
fn significant_lines(text: &str) -> Result<Vec<Line<'_>>, ParseError> {
    let mut lines = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let no = super::common::line_number(index);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with('\t') {
            return Err(ParseError::at(
                no,
                "tabs are not allowed in YAML indentation",
            ));
        }
        let indent = raw.len() - content.len();
        if indent == 0 && (content.starts_with("---") || content == "...") {
            continue;
        }
        lines.push(Line {
            no,
            indent,
            text: content.trim_end(),
        });
    }
    Ok(lines)
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// The mapping or sequence whose entries sit at `indent`, starting at the current line.
    fn block(&mut self, indent: usize, depth: usize) -> Result<Node, ParseError> {
        let Some(first) = self.peek() else {
            return Ok(Node {
                value: Value::Null,
                line: 1,
            });
        };
        if depth > MAX_DEPTH {
            return Err(ParseError::at(first.no, "nesting too deep"));
        }
        if is_seq_item(first.text) {
            self.sequence(indent, depth)
        } else {
            self.mapping(indent, depth)
        }
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Result<Node, ParseError> {
        let start = self.peek().map_or(1, |l| l.no);
        let mut entries = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return Err(ParseError::at(line.no, "unexpected indentation"));
            }
            if is_seq_item(line.text) {
                return Err(ParseError::at(
                    line.no,
                    "a sequence item where a key was expected",
                ));
            }
            let (key, rest) = split_key(line.text, line.no)?
                .ok_or_else(|| ParseError::at(line.no, "expected `key: value`"))?;
            self.pos += 1;
            let mut node = self.value_of_key(rest, indent, line.no, depth)?;
            node.line = line.no;
            entries.push((key, node));
        }
        Ok(Node {
            value: Value::Map(entries),
            line: start,
        })
    }

    fn sequence(&mut self, indent: usize, depth: usize) -> Result<Node, ParseError> {
        let start = self.peek().map_or(1, |l| l.no);
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_seq_item(line.text) {
                if line.indent > indent {
                    return Err(ParseError::at(line.no, "unexpected indentation"));
                }
                break;
            }
            let content = line.text[1..].trim_start_matches(' ');
            let content_indent = indent + (line.text.len() - content.len());
            if content.is_empty() {
                self.pos += 1;
                let item = match self.peek() {
                    Some(next) if next.indent > indent => self.block(next.indent, depth + 1)?,
                    _ => Node {
                        value: Value::Null,
                        line: line.no,
                    },
                };
                items.push(item);
            } else if !content.starts_with(['{', '[']) && split_key(content, line.no)?.is_some() {
                // `- key: value` opens a mapping whose keys align with `key`.
                self.lines[self.pos] = Line {
                    no: line.no,
                    indent: content_indent,
                    text: content,
                };
                items.push(self.block(content_indent, depth + 1)?);
            } else {
                self.pos += 1;
                items.push(self.scalar_with_continuation(content, indent, line.no, depth)?);
            }
        }
        Ok(Node {
            value: Value::Seq(items),
            line: start,
        })
    }

    /// The value after `key:` on a line at `indent`: inline, or the block below it.
    fn value_of_key(
        &mut self,
        rest: &str,
        indent: usize,
        line: u32,
        depth: usize,
    ) -> Result<Node, ParseError> {
        if !rest.is_empty() {
            return self.scalar_with_continuation(rest, indent, line, depth);
        }
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent, depth + 1),
            Some(next) if next.indent == indent && is_seq_item(next.text) => {
                self.sequence(indent, depth + 1)
            }
            _ => Ok(Node {
                value: Value::Null,
                line,
            }),
        }
    }

    /// An inline value; plain scalars may continue on more-indented lines, block
    /// scalars (`|`, `>`) take them all.
    fn scalar_with_continuation(
        &mut self,
        text: &str,
        indent: usize,
        line: u32,
        depth: usize,
    ) -> Result<Node, ParseError> {
        if text.starts_with(['|', '>']) {
            let mut body = Vec::new();
            while let Some(next) = self.peek().filter(|next| next.indent > indent) {
                body.push(next.text);
                self.pos += 1;
            }
            return Ok(Node {
                value: Value::Str(body.join("\n")),
                line,
            });
        }
        let mut node = inline(text, line, depth)?;
        while let Some(next) = self.peek().filter(|next| next.indent > indent) {
            if split_key(next.text, next.no)?.is_some() {
                return Err(ParseError::at(next.no, "unexpected indentation"));
            }
            match &mut node.value {
                Value::Str(plain) if !text.starts_with(['"', '\'']) => {
                    plain.push(' ');
                    plain.push_str(next.text);
                    self.pos += 1;
                }
                _ => return Err(ParseError::at(next.no, "unexpected indentation")),
            }
        }
        Ok(node)
    }
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Splits `key: rest` (rest without a trailing comment). `Ok(None)` when the line is
/// not a mapping entry.
fn split_key(text: &str, line: u32) -> Result<Option<(String, &str)>, ParseError> {
    let (key, after) = if text.starts_with(['"', '\'']) {
        let mut cursor = Cursor::new(text, 0);
        let Ok(key) = cursor.quoted() else {
            return Ok(None);
        };
        let after = cursor.rest().trim_start_matches(' ');
        let Some(after) = after.strip_prefix(':') else {
            return Ok(None);
        };
        (key, after)
    } else if text.starts_with('?') && (text.len() == 1 || text[1..].starts_with(' ')) {
        return Err(ParseError::at(
            line,
            "complex mapping keys (`? `) are not supported",
        ));
    } else {
        let colon = text
            .match_indices(':')
            .map(|(at, _)| at)
            .find(|&at| text[at + 1..].is_empty() || text[at + 1..].starts_with(' '));
        let Some(colon) = colon else {
            return Ok(None);
        };
        (text[..colon].trim_end().to_string(), &text[colon + 1..])
    };
    if !(after.is_empty() || after.starts_with(' ')) {
        return Ok(None);
    }
    let rest = after.trim();
    let rest = if rest.starts_with('#') { "" } else { rest };
    Ok(Some((key, rest)))
}

/// A one-line value: quoted, flow collection or plain.
fn inline(text: &str, line: u32, depth: usize) -> Result<Node, ParseError> {
    let mut cursor = Cursor::new(text, line);
    let value = match text.as_bytes()[0] {
        b'"' | b'\'' => Value::Str(cursor.quoted()?),
        b'{' | b'[' => cursor.flow(depth)?,
        _ => {
            return Ok(Node {
                value: plain(strip_comment(text)),
                line,
            });
        }
    };
    let rest = cursor.rest().trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Err(ParseError::at(
            line,
            format!("unexpected `{}` after a value", truncate(rest)),
        ));
    }
    Ok(Node { value, line })
}

/// A plain scalar's value (`~` and `null` are empty).
fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => Value::Str(text.to_string()),
    }
}

fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(at) => text[..at].trim_end(),
        None => text,
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A position in one line, for quoted scalars and flow collections.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
    line: u32,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, line: u32) -> Self {
        Self { text, at: 0, line }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError::at(self.line, message)
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches(' ').len();
    }

    /// A single- or double-quoted scalar starting at the cursor.
    fn quoted(&mut self) -> Result<String, ParseError> {
        let rest = self.rest();
        let quote = rest
            .chars()
            .next()
            .ok_or_else(|| self.error("missing value"))?;
        let mut out = String::new();
        let mut chars = rest.char_indices().skip(1);
        while let Some((offset, c)) = chars.next() {
            match c {
                '\'' if quote == '\'' => {
                    if rest[offset + 1..].starts_with('\'') {
                        chars.next();
                        out.push('\'');
                    } else {
                        self.at += offset + 1;
                        return Ok(out);
                    }
                }
                '"' if quote == '"' => {
                    self.at += offset + 1;
                    return Ok(out);
                }
                '\\' if quote == '"' => {
                    let Some((_, escaped)) = chars.next() else {
                        break;
                    };
                    match escaped {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        'x' | 'u' | 'U' => {
                            let digits = match escaped {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let hex: String = chars.by_ref().take(digits).map(|(_, h)| h).collect();
                            let code = u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| self.error("invalid escape in a quoted string"))?;
                            out.push(code);
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        Err(self.error("unterminated quoted string"))
    }

    /// A flow mapping or sequence starting at the cursor, on this line.
    fn flow(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        let open = self.rest().as_bytes()[0];
        let close = if open == b'{' { b'}' } else { b']' };
        self.at += 1;
        let mut entries = Vec::new();
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            match self.rest().as_bytes().first() {
                None => return Err(self.error("unterminated flow collection")),
                Some(&c) if c == close => {
                    self.at += 1;
                    break;
                }
                Some(_) => {}
            }
            if open == b'{' {
                let key = self.flow_scalar(true)?;
                self.skip_spaces();
                let value = if self.rest().starts_with(':') {
                    self.at += 1;
                    self.skip_spaces();
                    self.flow_value(depth)?
                } else {
                    Value::Null
                };
                entries.push((
                    key,
                    Node {
                        value,
                        line: self.line,
                    },
                ));
            } else {
                let value = self.flow_value(depth)?;
                items.push(Node {
                    value,
                    line: self.line,
                });
            }
            self.skip_spaces();
            match self.rest().as_bytes().first() {
                Some(b',') => self.at += 1,
                Some(&c) if c == close => {}
                Some(_) => return Err(self.error("expected `,` in a flow collection")),
                None => return Err(self.error("unterminated flow collection")),
            }
        }
        Ok(if open == b'{' {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        })
    }

    fn flow_value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.rest().as_bytes().first() {
            Some(b'{' | b'[') => self.flow(depth + 1),
            Some(b',' | b'}' | b']') | None => Ok(Value::Null),
            _ => Ok(plain(&self.flow_scalar(false)?)),
        }
    }

    /// A quoted scalar, or a plain one up to `,`, `}`, `]` (and `: ` for keys).
    fn flow_scalar(&mut self, key: bool) -> Result<String, ParseError> {
        if self.rest().starts_with(['"', '\'']) {
            return self.quoted();
        }
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut end = 0;
        while end < bytes.len() {
            match bytes[end] {
                b',' | b'}' | b']' => break,
                b':' if key
                    && matches!(bytes.get(end + 1), None | Some(b' ' | b',' | b'}' | b']')) =>
                {
                    break;
                }
                _ => end += 1,
            }
        }
        self.at += end;
        Ok(rest[..end].trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::Str(text.to_string())
    }

    #[test]
    fn reads_pnpm_shapes() {
        let doc = parse(
            "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@scope/a':\n        specifier: ^1.0.0\n        version: 1.0.4(zod@3.23.8)\n\npackages:\n\n  zod@3.23.8:\n    resolution: {integrity: sha512-x/y==, tarball: 'https://h.example/z.tgz'}\n    os: [darwin, linux]\n    engines: {node: '>=10'}\n    hasBin: true\n",
        )
        .unwrap();
        assert_eq!(doc.get("lockfileVersion").unwrap().value, s("9.0"));
        let a = doc
            .get("importers")
            .unwrap()
            .get(".")
            .unwrap()
            .get("dependencies")
            .unwrap()
            .get("@scope/a")
            .unwrap();
        assert_eq!(a.line, 7);
        assert_eq!(a.str("version"), Some("1.0.4(zod@3.23.8)"));
        let zod = doc.get("packages").unwrap().get("zod@3.23.8").unwrap();
        assert_eq!(zod.line, 13);
        assert_eq!(
            zod.get("resolution").unwrap().str("integrity"),
            Some("sha512-x/y==")
        );
        assert_eq!(
            zod.get("resolution").unwrap().str("tarball"),
            Some("https://h.example/z.tgz")
        );
        assert!(matches!(&zod.get("os").unwrap().value, Value::Seq(os) if os.len() == 2));
        assert_eq!(zod.get("engines").unwrap().str("node"), Some(">=10"));
    }

    #[test]
    fn reads_sequences_quoting_and_comments() {
        let doc = parse(
            "# header\n\"a@npm:1, a@npm:^1\":\n  version: 1.0.0 # note\n  list:\n  - one\n  - k: v\n    k2: \"x\\\"y\"\n  -\n    nested: 'it''s'\n  text: |\n    line one\n    line two\n  folded: plain\n    continued\n",
        )
        .unwrap();
        let entry = doc.get("a@npm:1, a@npm:^1").unwrap();
        assert_eq!(entry.str("version"), Some("1.0.0"));
        let Value::Seq(list) = &entry.get("list").unwrap().value else {
            panic!("not a sequence")
        };
        assert_eq!(list[0].value, s("one"));
        assert_eq!(list[1].str("k2"), Some("x\"y"));
        assert_eq!(list[2].str("nested"), Some("it's"));
        assert_eq!(entry.str("text"), Some("line one\nline two"));
        assert_eq!(entry.str("folded"), Some("plain continued"));
    }

    #[test]
    fn malformed_documents_fail_with_a_line() {
        for (text, line) in [
            ("a: 1\n   b: 2\n", 2),
            ("a:\n  b: \"open\n", 2),
            ("a: {x: 1\n", 1),
            ("a: 1\n\tb: 2\n", 2),
            ("just text\n", 1),
            ("a: [1, 2] trailing\n", 1),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, Some(line), "{text:?}: {error}");
        }
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).unwrap_err().message.contains("too deep"));
        let mut nested = String::new();
        for depth in 0..5_000 {
            nested.push_str(&" ".repeat(depth));
            nested.push_str("k:\n");
        }
        assert!(parse(&nested).unwrap_err().message.contains("too deep"));
    }
}
