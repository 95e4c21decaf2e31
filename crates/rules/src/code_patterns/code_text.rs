//! [`CodeText`]: a source file with its comments blanked out (byte offsets unchanged) and
//! its string literals located, for JavaScript/TypeScript, Python and Go.
//!
//! One `CodeText` is made per file and shared by every pattern rule (see
//! [`crate::FileContext::code`]), together with what they derive from it once: the
//! file's assignments ([`CodeText::assignments`]) and named functions
//! ([`CodeText::functions`]). Every scan over it is linear in what it looks at: string
//! literals are skipped with a cursor, not looked up per byte.

use std::cell::OnceCell;
use std::ops::Range;

use super::flow::{self, Assignment};
use super::functions::{self, Function};
use crate::lang::Language;

/// Longest stretch of code counted as one line by [`CodeText::lines_before`] and
/// [`CodeText::lines_after`].
pub const BYTES_PER_LINE: usize = 400;

/// Longest bracketed group [`CodeText::group_end`] follows, in bytes.
const MAX_GROUP: usize = 20_000;

/// A code file prepared for pattern matching.
pub struct CodeText<'a> {
    /// The file as read.
    pub original: &'a str,
    /// The same text with every comment replaced by spaces (newlines kept), so that
    /// offsets into it are offsets into [`CodeText::original`].
    pub code: String,
    /// The language the file was lexed as.
    pub language: Language,
    /// Byte ranges of string literals (quotes included), in order.
    strings: Vec<Range<usize>>,
    /// Offsets of every `\n`, in order.
    newlines: Vec<usize>,
    /// Byte ranges of the interpolations of template literals and f-strings (`x` in
    /// `` `${x}` `` and `f"{x}"`), in order.
    interpolations: Vec<Range<usize>>,
    /// The file's assignments, found on first use.
    assignments: OnceCell<flow::Assignments>,
    /// The file's named functions, found on first use.
    functions: OnceCell<functions::Functions>,
}

impl<'a> CodeText<'a> {
    /// Lexes `text` as `language`. Returns `None` for languages without a lexer here
    /// (only JavaScript/TypeScript, Python and Go are code to these rules).
    pub fn new(text: &'a str, language: Language) -> Option<Self> {
        let lexer = match language {
            Language::JavaScript | Language::TypeScript | Language::Tsx => Lexer::Js,
            Language::Python => Lexer::Python,
            Language::Go => Lexer::Go,
            Language::Other => return None,
        };
        let Lexed {
            code,
            strings,
            interpolations,
        } = lex(text, lexer);
        let newlines = memchr::memchr_iter(b'\n', code.as_bytes()).collect();
        Some(CodeText {
            original: text,
            code,
            language,
            strings,
            newlines,
            interpolations,
            assignments: OnceCell::new(),
            functions: OnceCell::new(),
        })
    }

    /// Every assignment of the file, in source order (found once, bounded; see
    /// [`flow::assignments`]).
    pub fn assignments(&self) -> &[Assignment] {
        &self.assignments_found().list
    }

    /// The file's named functions, in source order (found once, bounded; see
    /// [`functions::functions`]).
    pub fn functions(&self) -> &[Function] {
        &self.functions_found().list
    }

    fn assignments_found(&self) -> &flow::Assignments {
        self.assignments.get_or_init(|| flow::assignments(self))
    }

    fn functions_found(&self) -> &functions::Functions {
        self.functions.get_or_init(|| functions::functions(self))
    }

    /// The bounds of the shared analyses that this file exceeded so far, each with the
    /// bound: the file was analysed in reduced mode (part of it was not followed).
    pub fn exceeded(&self) -> Vec<(&'static str, usize)> {
        let assignments = self
            .assignments
            .get()
            .filter(|a| a.truncated)
            .map(|_| ("assignments", flow::MAX_ASSIGNMENTS));
        let functions = self
            .functions
            .get()
            .filter(|f| f.truncated)
            .map(|_| ("named functions", functions::MAX_FUNCTIONS));
        assignments.into_iter().chain(functions).collect()
    }

    /// The bytes of `from..limit` that are code (outside string literals), with their
    /// offsets, in order.
    fn code_bytes(&self, from: usize, limit: usize) -> CodeBytes<'_> {
        CodeBytes {
            bytes: self.code.as_bytes(),
            strings: &self.strings,
            next: self.strings.partition_point(|r| r.end <= from),
            at: from,
            limit: limit.min(self.code.len()),
        }
    }

    /// True for JavaScript, TypeScript and TSX.
    pub fn is_js(&self) -> bool {
        self.language.is_js_family()
    }

    /// True when byte `pos` lies inside a string literal.
    pub fn in_string(&self, pos: usize) -> bool {
        self.string_at(pos).is_some()
    }

    /// The string literal (quotes included) containing byte `pos`.
    pub fn string_at(&self, pos: usize) -> Option<Range<usize>> {
        let i = self.strings.partition_point(|r| r.end <= pos);
        self.strings
            .get(i)
            .filter(|r| r.start <= pos && pos < r.end)
            .cloned()
    }

    /// True when byte `pos` lies inside an interpolation of a template literal or
    /// f-string (`${x}` in JavaScript, `{x}` in Python f-strings): code, not text.
    pub fn in_interpolation(&self, pos: usize) -> bool {
        let i = self.interpolations.partition_point(|r| r.end <= pos);
        self.interpolations.get(i).is_some_and(|r| r.start <= pos)
    }

    /// String literals (quotes included) that start inside `range`.
    pub fn strings_in(&self, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
        let first = self.strings.partition_point(|r| r.start < range.start);
        self.strings[first..]
            .iter()
            .take_while(move |r| r.start < range.end)
            .cloned()
    }

    /// The body of a string literal span (quotes, prefixes and triple quotes removed).
    pub fn string_body(&self, span: Range<usize>) -> &str {
        let raw = &self.code[span];
        let raw = raw.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        for quote in ["\"\"\"", "'''", "\"", "'", "`"] {
            if let Some(inner) = raw.strip_prefix(quote) {
                return inner.strip_suffix(quote).unwrap_or(inner);
            }
        }
        raw
    }

    /// Given the offset of an opening `(`, `[` or `{`, the offset just past its matching
    /// closer (string literals skipped), or `None` when it is not closed within
    /// [`MAX_GROUP`] bytes.
    pub fn group_end(&self, open: usize) -> Option<usize> {
        let bytes = self.code.as_bytes();
        if !matches!(bytes.get(open), Some(b'(' | b'[' | b'{')) {
            return None;
        }
        let mut depth = 0usize;
        for (i, b) in self.code_bytes(open, open + MAX_GROUP) {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Given the offset of a closing `)`, `]` or `}`, the offset of its matching opener
    /// (string literals skipped), or `None` when it is not opened within [`MAX_GROUP`]
    /// bytes.
    pub fn group_start(&self, close: usize) -> Option<usize> {
        let bytes = self.code.as_bytes();
        if !matches!(bytes.get(close), Some(b')' | b']' | b'}')) {
            return None;
        }
        let floor = close.saturating_sub(MAX_GROUP);
        let mut depth = 0usize;
        let mut i = close;
        loop {
            if let Some(s) = self.string_at(i) {
                i = s.start.checked_sub(1)?;
            } else {
                match bytes[i] {
                    b')' | b']' | b'}' => depth += 1,
                    b'(' | b'[' | b'{' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => {}
                }
                i = i.checked_sub(1)?;
            }
            if i < floor {
                return None;
            }
        }
    }

    /// The receiver of a method whose `.` is at `dot`: the dotted name, call or
    /// parenthesised expression just before it (`p` in `p.read_text()`,
    /// `(home / ".aws")` in `(home / ".aws").read_text()`, `Path(x)` in
    /// `Path(x).open()`), or `None` when nothing receives the call.
    pub fn receiver(&self, dot: usize) -> Option<Range<usize>> {
        let bytes = self.code.as_bytes();
        let end = self.code[..dot].trim_end().len();
        let mut start = end;
        while end - start < MAX_GROUP {
            let before = start.checked_sub(1).map(|i| bytes[i]);
            match before {
                Some(b')' | b']') => start = self.group_start(start - 1)?,
                Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.') => {
                    start -= 1;
                }
                _ => break,
            }
        }
        (start < end).then_some(start..end)
    }

    /// The inside of the bracketed group opening at `open` (brackets excluded); for an
    /// unclosed group, up to the end of the line.
    pub fn group_inner(&self, open: usize) -> Range<usize> {
        match self.group_end(open) {
            Some(end) => open + 1..end - 1,
            None => open + 1..self.line_end(open),
        }
    }

    /// The arguments of the call whose callee ends just before `from` (the first `(` at
    /// or after `from`, skipping spaces), or `None` when no `(` follows.
    pub fn call_args(&self, from: usize) -> Option<Range<usize>> {
        let rest = self.code.get(from..)?;
        let skip = rest.len() - rest.trim_start().len();
        (rest.as_bytes().get(skip) == Some(&b'(')).then(|| self.group_inner(from + skip))
    }

    /// The top-level comma-separated parts of `range` (an argument list or the inside of
    /// an object or list literal), each trimmed of surrounding whitespace.
    pub fn split_top_level(&self, range: Range<usize>) -> Vec<Range<usize>> {
        let mut parts = Vec::new();
        let mut depth = 0usize;
        let mut start = range.start;
        for (i, b) in self.code_bytes(range.start, range.end) {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => {
                    parts.push(self.trimmed(start..i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        let last = self.trimmed(start..range.end.max(start));
        if !last.is_empty() {
            parts.push(last);
        }
        parts
    }

    /// `range` without leading and trailing whitespace.
    pub fn trimmed(&self, range: Range<usize>) -> Range<usize> {
        let text = &self.code[range.clone()];
        let start = range.start + (text.len() - text.trim_start().len());
        let end = range.start + text.trim_end().len();
        start..end.max(start)
    }

    /// The value of the top-level entry `name` in `range` (an argument list, object
    /// literal or struct literal): `name: value`, `"name": value` or `name=value`.
    pub fn entry(&self, range: Range<usize>, name: &str) -> Option<Range<usize>> {
        self.split_top_level(range).into_iter().find_map(|part| {
            let text = &self.code[part.clone()];
            let key = text.trim_start_matches(['"', '\'']);
            let rest = key.strip_prefix(name)?;
            let rest = rest.trim_start_matches(['"', '\'']);
            let after = rest.trim_start();
            let value = after.strip_prefix(':').or_else(|| {
                after
                    .strip_prefix('=')
                    .filter(|v| !v.starts_with(['=', '>']))
            })?;
            let start = part.end - value.len();
            Some(self.trimmed(start..part.end))
        })
    }

    /// The body of `range` when it is exactly one string literal.
    pub fn literal(&self, range: Range<usize>) -> Option<&str> {
        let span = self.string_at(range.start)?;
        (span == range).then(|| self.string_body(span))
    }

    /// The end of the line containing `pos` (the offset of its `\n`, or the text's end).
    pub fn line_end(&self, pos: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < pos);
        self.newlines.get(i).copied().unwrap_or(self.code.len())
    }

    /// The start of the line containing `pos`.
    pub fn line_start(&self, pos: usize) -> usize {
        let i = self
            .newlines
            .partition_point(|&n| n < pos.min(self.code.len()));
        if i == 0 { 0 } else { self.newlines[i - 1] + 1 }
    }

    /// The indented block after the line containing `pos` (a Python `def` or decorator
    /// line): the following lines up to the first non-blank line without leading
    /// whitespace (the first following line always counts).
    pub fn indented_block(&self, pos: usize) -> Range<usize> {
        let first = (self.line_end(pos) + 1).min(self.code.len());
        let mut stop = first;
        let mut at = first;
        while at < self.code.len() {
            let line_end = self.line_end(at);
            let line = &self.code[at..line_end];
            let is_body = line.trim().is_empty() || line.starts_with([' ', '\t']);
            if !is_body && at > first {
                break;
            }
            stop = line_end;
            at = line_end + 1;
        }
        first..stop
    }

    /// The statement starting at `pos`: up to the first `;` or newline outside brackets
    /// and strings, bounded to [`MAX_GROUP`] bytes.
    pub fn statement_from(&self, pos: usize) -> Range<usize> {
        let limit = self.code.len().min(pos + MAX_GROUP);
        let mut depth = 0usize;
        for (i, b) in self.code_bytes(pos, limit) {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return pos..i;
                    }
                    depth -= 1;
                }
                b';' | b',' if depth == 0 => return pos..i,
                b'\n' if depth == 0 => return pos..i,
                _ => {}
            }
        }
        pos..limit
    }

    /// `pos` moved back by about `lines` lines (to a line start), and by at most
    /// [`BYTES_PER_LINE`] bytes per line, so that minified one-line files keep windows
    /// small.
    pub fn lines_before(&self, pos: usize, lines: usize) -> usize {
        let mut start = self.line_start(pos);
        for _ in 0..lines {
            if start == 0 {
                break;
            }
            start = self.line_start(start - 1);
        }
        let floor = pos.saturating_sub(lines.max(1) * BYTES_PER_LINE);
        crate::text::floor_char_boundary(&self.code, start.max(floor))
    }

    /// `pos` moved forward by about `lines` lines (to a line end), by at most
    /// [`BYTES_PER_LINE`] bytes per line.
    pub fn lines_after(&self, pos: usize, lines: usize) -> usize {
        let mut end = self.line_end(pos);
        for _ in 0..lines {
            if end >= self.code.len() {
                break;
            }
            end = self.line_end(end + 1);
        }
        let ceiling = pos.saturating_add(lines.max(1) * BYTES_PER_LINE);
        crate::text::floor_char_boundary(&self.code, end.min(ceiling))
    }
}

/// The code bytes of a range, string literals skipped (see [`CodeText::code_bytes`]).
struct CodeBytes<'c> {
    bytes: &'c [u8],
    strings: &'c [Range<usize>],
    /// The first string literal that ends after `at`.
    next: usize,
    at: usize,
    limit: usize,
}

impl Iterator for CodeBytes<'_> {
    type Item = (usize, u8);

    fn next(&mut self) -> Option<(usize, u8)> {
        while let Some(string) = self.strings.get(self.next)
            && string.start <= self.at
        {
            self.at = self.at.max(string.end);
            self.next += 1;
        }
        if self.at >= self.limit {
            return None;
        }
        let at = self.at;
        self.at += 1;
        Some((at, self.bytes[at]))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Lexer {
    Js,
    Python,
    Go,
}

/// What [`lex`] makes of a file.
struct Lexed {
    code: String,
    strings: Vec<Range<usize>>,
    interpolations: Vec<Range<usize>>,
}

/// Blanks comments and records string spans (and the interpolations inside template
/// literals and f-strings) in one linear pass.
fn lex(text: &str, lexer: Lexer) -> Lexed {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut strings = Vec::new();
    let mut interpolations = Vec::new();
    let mut i = 0;
    // Last significant byte before `i`, to tell a JS regex literal from a division.
    let mut prev = b'\n';
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let line_comment = match lexer {
            Lexer::Python => b == b'#',
            Lexer::Js | Lexer::Go => b == b'/' && next == Some(b'/'),
        };
        if line_comment {
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
            continue;
        }
        if lexer != Lexer::Python && b == b'/' && next == Some(b'*') {
            let end =
                memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |n| i + 4 + n);
            blank(&mut out, i, end);
            i = end;
            continue;
        }
        let string_end = match (lexer, b) {
            (Lexer::Python, b'"' | b'\'') => {
                let triple = bytes.get(i..i + 3) == Some(&[b, b, b][..]);
                Some(if triple {
                    memchr::memmem::find(&bytes[i + 3..], &[b, b, b])
                        .map_or(bytes.len(), |n| i + 6 + n)
                } else {
                    quoted_end(bytes, i, b, true)
                })
            }
            (Lexer::Js, b'"' | b'\'') | (Lexer::Go, b'"') => Some(quoted_end(bytes, i, b, true)),
            (Lexer::Go, b'\'') => Some(quoted_end(bytes, i, b, true)),
            (Lexer::Js, b'`') => Some(quoted_end(bytes, i, b, false)),
            (Lexer::Go, b'`') => {
                Some(memchr::memchr(b'`', &bytes[i + 1..]).map_or(bytes.len(), |n| i + 2 + n))
            }
            (Lexer::Js, b'/') if starts_regex(prev) => Some(regex_end(bytes, i)),
            _ => None,
        };
        if let Some(end) = string_end {
            let end = end.min(bytes.len());
            if b != b'/' {
                let template = match lexer {
                    Lexer::Js => b == b'`',
                    Lexer::Python => i > 0 && matches!(bytes[i - 1], b'f' | b'F'),
                    Lexer::Go => false,
                };
                if template {
                    find_interpolations(bytes, i..end, lexer, &mut interpolations);
                }
                strings.push(i..end);
            }
            prev = b'"';
            i = end;
            continue;
        }
        if !b.is_ascii_whitespace() {
            prev = b;
        }
        i += 1;
    }
    // Only ASCII bytes inside comments were replaced (each byte of a multi-byte character
    // becomes one space), so the result is valid UTF-8.
    let code = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Lexed {
        code,
        strings,
        interpolations,
    }
}

/// Records the interpolations of the template literal or f-string `span`: `${…}` in
/// JavaScript, `{…}` in Python (`{{` is a literal brace), braces nested inside counted.
fn find_interpolations(
    bytes: &[u8],
    span: Range<usize>,
    lexer: Lexer,
    out: &mut Vec<Range<usize>>,
) {
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = span.start + 1;
    while i < span.end {
        match bytes[i] {
            b'\\' if lexer == Lexer::Js => i += 1,
            b'{' if depth > 0 => depth += 1,
            b'$' if lexer == Lexer::Js && depth == 0 && bytes.get(i + 1) == Some(&b'{') => {
                depth = 1;
                i += 1;
                start = i + 1;
            }
            b'{' if lexer == Lexer::Python && bytes.get(i + 1) == Some(&b'{') => i += 1,
            b'{' if lexer == Lexer::Python => {
                depth = 1;
                start = i + 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(start..i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth > 0 {
        out.push(start..span.end);
    }
}

fn blank(out: &mut [u8], start: usize, end: usize) {
    for b in &mut out[start..end] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

/// End (exclusive) of a quoted literal opening at `start`; single-line literals stop at
/// the end of their line when unterminated.
fn quoted_end(bytes: &[u8], start: usize, quote: u8, single_line: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if single_line => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether a `/` after the byte `prev` starts a regular expression literal.
fn starts_regex(prev: u8) -> bool {
    matches!(
        prev,
        b'(' | b',' | b'=' | b':' | b'[' | b'!' | b'&' | b'|' | b'?' | b'{' | b'}' | b';' | b'\n'
    )
}

/// End (exclusive) of a JS regex literal opening at `start` (flags included).
fn regex_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'[' => {
                in_class = true;
                i += 1;
            }
            b']' => {
                in_class = false;
                i += 1;
            }
            b'/' if !in_class => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return i;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_comments_and_keeps_offsets() {
        let src = "const a = 'x // y'; // rejectUnauthorized: false\n/* eval(x) */ b();";
        let code = CodeText::new(src, Language::JavaScript).expect("js");
        assert_eq!(code.code.len(), src.len());
        assert!(!code.code.contains("rejectUnauthorized"));
        assert!(!code.code.contains("eval"));
        assert!(code.code.contains("'x // y'"));
        assert!(code.in_string(src.find("x //").expect("literal")));
        assert!(!code.in_string(src.find("b()").expect("call")));
    }

    #[test]
    fn python_hashes_and_triple_quotes() {
        let src = "s = \"\"\"# not a comment\"\"\"  # verify=False\nrequests.get(u, verify=True)\n";
        let code = CodeText::new(src, Language::Python).expect("py");
        assert!(code.code.contains("# not a comment"));
        assert!(!code.code.contains("verify=False"));
    }

    #[test]
    fn regex_literals_do_not_open_strings() {
        let src = "const re = /'/g; eval(x); // gone\n";
        let code = CodeText::new(src, Language::JavaScript).expect("js");
        assert!(!code.in_string(src.find("eval").expect("eval")));
        assert!(!code.code.contains("gone"));
    }

    #[test]
    fn receivers_of_methods() {
        let src = "x = (Path.home() / \")\").read_text()\ny = rc.open()\nz = Path(p).open()\n";
        let code = CodeText::new(src, Language::Python).expect("py");
        let receiver = |method: &str| {
            let dot = src.rfind(method).expect("method");
            code.receiver(dot).map(|r| &src[r])
        };
        assert_eq!(receiver(".read_text"), Some("(Path.home() / \")\")"));
        assert_eq!(receiver(".open()\nz"), Some("rc"));
        assert_eq!(receiver(".open()\n"), Some("Path(p)"));
        assert_eq!(
            code.group_start(src.find("\")\")").expect("q") + 3),
            Some(4)
        );
        let bare = CodeText::new(" .read()", Language::Python).expect("py");
        assert_eq!(bare.receiver(1), None);
    }

    #[test]
    fn groups_skip_strings() {
        let src = "f(a, \")\", g(b)) + 1";
        let code = CodeText::new(src, Language::JavaScript).expect("js");
        assert_eq!(code.group_end(1), Some(src.find(" + 1").expect("tail")));
        assert_eq!(&src[code.call_args(1).expect("args")], "a, \")\", g(b)");
        assert_eq!(code.string_body(code.string_at(6).expect("string")), ")");
    }
}
