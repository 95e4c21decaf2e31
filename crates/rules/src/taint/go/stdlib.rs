//! What standard-library (and a few well-known) functions do to taint: which propagate
//! it, which return clean values (numbers, booleans, errors), which are path operations,
//! escapes, remote sources or object constructors. Plus small literal helpers.

use tree_sitter::Node;

use super::index::FileIndex;

/// How a path operation changes a path's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathOp {
    /// `Join`, `Clean`, `Abs`, `Rel`: lexically clean.
    Lexical,
    /// `EvalSymlinks`: clean and symlinks resolved.
    Real,
    /// `Base`, `Dir`, `Ext`, …: a new path; earlier checks no longer apply.
    Reset,
}

/// What a call's result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ret {
    /// Carries no taint (numbers, booleans, errors, objects).
    Clean,
    /// Carries the arguments' taint.
    Propagate,
    /// Carries the arguments' taint; the function is not modelled (partial resolution).
    Unknown,
    /// A path operation.
    Path(PathOp),
    /// An escape (`url.PathEscape`, `url.QueryEscape`): taint kept, but no longer able to
    /// change a URL's structure, a shell line or a SQL string.
    Escape,
    /// A server-side credential (`os.Getenv`).
    Credential,
    /// An `*http.Response`.
    Response,
    /// An `*http.Request`; the URL is the argument at this index.
    Request(usize),
    /// A template.
    Template,
    /// A code interpreter.
    Interpreter,
    /// An `os.Root` (operations confined to a directory).
    Root,
    /// The argument at this index, shape included (`template.Must(t)`).
    Same(usize),
    /// Decodes argument 0 into the pointer at argument 1 (`json.Unmarshal`).
    Decode,
    /// Copies argument 1 into the writer at argument 0 (`io.Copy`).
    Copy,
}

/// `strings`/`bytes` functions returning numbers or booleans.
const STRING_PREDICATES: &[&str] = &[
    "Contains",
    "ContainsAny",
    "ContainsRune",
    "ContainsFunc",
    "HasPrefix",
    "HasSuffix",
    "Index",
    "IndexAny",
    "IndexByte",
    "IndexFunc",
    "IndexRune",
    "LastIndex",
    "LastIndexAny",
    "LastIndexByte",
    "LastIndexFunc",
    "Count",
    "Compare",
    "EqualFold",
    "Equal",
];

/// What calling `path.name` returns, for packages this module knows; `None` for
/// packages outside the standard library it does not model.
pub(super) fn function(path: &str, name: &str) -> Option<Ret> {
    use Ret::*;
    Some(match (path, name) {
        ("fmt", "Sprintf" | "Sprint" | "Sprintln" | "Appendf" | "Append" | "Appendln") => Propagate,
        ("fmt", "Sscanf" | "Sscan") => Decode,
        ("strings" | "bytes", n) if STRING_PREDICATES.contains(&n) => Clean,
        ("strings" | "bytes", _) => Propagate,
        ("strconv", "Quote" | "QuoteToASCII" | "Unquote" | "AppendQuote") => Propagate,
        ("path/filepath" | "path", "Join" | "Clean" | "Abs" | "Rel") => Path(PathOp::Lexical),
        ("path/filepath", "EvalSymlinks") => Path(PathOp::Real),
        ("path/filepath" | "path", "IsAbs" | "IsLocal" | "Match" | "Walk" | "WalkDir") => Clean,
        ("path/filepath" | "path", "Glob") => Propagate,
        ("path/filepath" | "path", _) => Path(PathOp::Reset),
        ("net/url", "PathEscape" | "QueryEscape") => Escape,
        ("net/url", _) => Propagate,
        ("encoding/json" | "encoding/xml", "Marshal" | "MarshalIndent" | "NewDecoder") => Propagate,
        ("encoding/json" | "encoding/xml", "Unmarshal") => Decode,
        ("encoding/gob", "NewDecoder") => Propagate,
        ("encoding/base64" | "encoding/hex" | "encoding/base32", _) => Propagate,
        (
            "io",
            "ReadAll" | "NopCloser" | "LimitReader" | "MultiReader" | "TeeReader"
            | "NewSectionReader",
        )
        | ("io/ioutil", "ReadAll" | "NopCloser") => Propagate,
        ("io", "Copy" | "CopyN" | "CopyBuffer") => Copy,
        ("bufio", _) => Propagate,
        ("os", "Getenv" | "LookupEnv") => Credential,
        ("os", "OpenRoot") => Root,
        ("os/exec", "LookPath") => Propagate,
        ("net/http", "Get" | "Post" | "Head" | "PostForm") => Response,
        ("net/http", "NewRequest") => Request(1),
        ("net/http", "NewRequestWithContext") => Request(2),
        ("text/template" | "html/template", "New" | "ParseFiles" | "ParseGlob" | "ParseFS") => {
            Template
        }
        ("text/template" | "html/template", "Must") => Same(0),
        ("html/template", n) if n.ends_with("EscapeString") => Propagate,
        ("regexp", "QuoteMeta") => Propagate,
        ("slices", "Contains" | "ContainsFunc" | "Index" | "IndexFunc" | "Equal") => Clean,
        ("slices" | "maps", _) => Propagate,
        ("html", _) => Propagate,
        ("unicode/utf8" | "unicode" | "errors" | "context" | "time" | "sort" | "sync", _)
        | ("log" | "log/slog" | "runtime" | "reflect" | "strconv" | "os" | "os/exec", _)
        | ("io" | "io/ioutil" | "net/http" | "net" | "regexp" | "syscall" | "plugin", _)
        | ("encoding/json" | "encoding/xml" | "encoding/gob", _)
        | ("text/template" | "html/template" | "fmt", _) => Clean,
        (p, _) if p.starts_with("crypto/") || p.starts_with("hash") || p.starts_with("math") => {
            Clean
        }
        (p, "New") if p.contains("yaegi/interp") || p.contains("goja") || p.contains("otto") => {
            Interpreter
        }
        (p, "Unmarshal") if p.contains("yaml") || p.contains("toml") => Decode,
        (p, _) if super::index::is_stdlib(p) => Unknown,
        _ => return None,
    })
}

/// A piece of a string built by concatenation or formatting.
#[derive(Debug, Clone)]
pub(super) enum Part {
    /// Literal text.
    Literal(String),
    /// A value, tainted or not.
    Value(bool),
}

/// Whether a URL built from `parts` has its scheme and host fixed before any tainted
/// part: literal text reaching past the authority (`https://api.example.com/…`, a
/// relative `/path`), or an untainted value (a configured base URL) first.
pub(super) fn fixed_host(parts: &[Part]) -> bool {
    let mut prefix = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => {
                prefix.push_str(text);
                if literal_fixes_host(&prefix) {
                    return true;
                }
            }
            Part::Value(true) => return false,
            Part::Value(false) => return true,
        }
    }
    false
}

/// Whether a URL starting with `prefix` has a fixed host.
pub(super) fn literal_fixes_host(prefix: &str) -> bool {
    match prefix.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b)) =>
        {
            let host_end = rest.find(['/', '?', '#']);
            host_end.is_some_and(|end| end > 0)
        }
        _ => prefix.starts_with('/') && !prefix.starts_with("//"),
    }
}

/// Whether a regular expression is anchored at both ends.
pub(super) fn regex_anchored(pattern: &str) -> bool {
    (pattern.starts_with('^') || pattern.starts_with("\\A"))
        && (pattern.ends_with('$') || pattern.ends_with("\\z"))
}

/// The text of a string literal (interpreted strings unescaped for the common escapes),
/// or of a rune literal; also a package-level constant holding one.
pub(super) fn literal_text(ix: &FileIndex<'_>, node: Node<'_>) -> Option<String> {
    let node = super::expr::strip_parens(node);
    let text = ix.text_of(node);
    match node.kind() {
        "raw_string_literal" => Some(text.trim_matches('`').to_string()),
        "interpreted_string_literal" => Some(
            text.get(1..text.len().saturating_sub(1))?
                .replace("\\\\", "\u{0}")
                .replace("\\\"", "\"")
                .replace("\\n", "\n")
                .replace("\\t", "\t")
                .replace('\u{0}', "\\"),
        ),
        "rune_literal" => Some(text.trim_matches('\'').to_string()),
        "identifier" => {
            let value = ix.value(text)?;
            (value.kind() != "identifier")
                .then(|| literal_text(ix, value))
                .flatten()
        }
        _ => None,
    }
}

/// The literal pieces and argument positions of a `Sprintf` format: `"%s/api/%s"` →
/// `[Value(0), Literal("/api/"), Value(1)]` (as argument indices).
pub(super) fn format_parts(format: &str) -> Vec<FormatPart> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    let mut arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            literal.push('%');
            continue;
        }
        // Flags, width and precision, then the verb.
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || "+-# .*[]".contains(*c))
        {
            chars.next();
        }
        chars.next();
        if !literal.is_empty() {
            out.push(FormatPart::Literal(std::mem::take(&mut literal)));
        }
        out.push(FormatPart::Arg(arg));
        arg += 1;
    }
    if !literal.is_empty() {
        out.push(FormatPart::Literal(literal));
    }
    out
}

/// A piece of a format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FormatPart {
    /// Literal text.
    Literal(String),
    /// The argument at this index (after the format).
    Arg(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_hosts_need_literal_text_past_the_authority_or_an_untainted_base() {
        let lit = |s: &str| Part::Literal(s.to_string());
        assert!(fixed_host(&[
            lit("https://api.example.com/v1/"),
            Part::Value(true)
        ]));
        assert!(!fixed_host(&[lit("https://"), Part::Value(true)]));
        assert!(!fixed_host(&[
            lit("https://api.example.com"),
            Part::Value(true)
        ]));
        assert!(!fixed_host(&[Part::Value(true), lit("/x")]));
        assert!(fixed_host(&[
            Part::Value(false),
            lit("/"),
            Part::Value(true)
        ]));
        assert!(fixed_host(&[lit("/api/"), Part::Value(true)]));
    }

    #[test]
    fn formats_split_into_literals_and_arguments() {
        assert_eq!(
            format_parts("%s/api/%d%%"),
            [
                FormatPart::Arg(0),
                FormatPart::Literal("/api/".into()),
                FormatPart::Arg(1),
                FormatPart::Literal("%".into()),
            ]
        );
        assert!(regex_anchored("^[a-z]+$"));
        assert!(!regex_anchored("[a-z]+"));
    }
}
