//! Path hygiene: turning attacker-written names into safe, printable relative paths.

use std::fmt::Write as _;

use assay_core::SkipReason;

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rejection {
    /// The skip reason to record.
    pub reason: SkipReason,
    /// A short explanation for the report.
    pub detail: &'static str,
}

const ABSOLUTE: Rejection = Rejection {
    reason: SkipReason::AbsolutePath,
    detail: "absolute path",
};
const DRIVE: Rejection = Rejection {
    reason: SkipReason::AbsolutePath,
    detail: "Windows drive-letter path",
};
const TRAVERSAL: Rejection = Rejection {
    reason: SkipReason::PathTraversal,
    detail: "`..` escapes the archive root",
};
const CONTROL: Rejection = Rejection {
    reason: SkipReason::InvalidPath,
    detail: "control character in name",
};
/// The rejection for a regular file whose name normalises to the archive root.
pub(crate) const EMPTY_NAME: Rejection = Rejection {
    reason: SkipReason::InvalidPath,
    detail: "file with an empty name",
};

/// A printable form of a raw name: valid UTF-8 is kept, invalid bytes become `\xNN` and
/// control characters their Rust escape (`\n`, `\u{1b}`).
pub(crate) fn escape_name(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// Whether a raw name holds a NUL or another control character.
fn has_control(raw: &[u8]) -> bool {
    raw.utf8_chunks()
        .any(|chunk| chunk.valid().chars().any(char::is_control))
}

/// Checks one directory entry's name read from the file system: control characters are
/// refused, anything else (including invalid UTF-8, escaped) is kept.
pub(crate) fn component_name(raw: &[u8]) -> Result<String, Rejection> {
    if has_control(raw) {
        return Err(CONTROL);
    }
    Ok(escape_name(raw))
}

/// Normalises an archive member's name into a relative, `/`-separated path without `.`,
/// `..` or empty components. Backslashes count as separators (zip tools on Windows write
/// them). The archive root itself normalises to `""`.
pub(crate) fn normalise_archive_path(raw: &[u8]) -> Result<String, Rejection> {
    if has_control(raw) {
        return Err(CONTROL);
    }
    let slashed: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect();
    if slashed.first() == Some(&b'/') {
        return Err(ABSOLUTE);
    }
    if let [letter, b':', ..] = slashed.as_slice()
        && letter.is_ascii_alphabetic()
    {
        return Err(DRIVE);
    }
    let text = escape_name(&slashed);
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(TRAVERSAL);
                }
            }
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// Number of components of a normalised path (`""` has none).
pub(crate) fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('/').count()
    }
}

/// The path made of the first `n` components of a normalised path.
pub(crate) fn leading_components(path: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    match path.match_indices('/').nth(n - 1) {
        Some((index, _)) => &path[..index],
        None => path,
    }
}

/// The path shown for the snapshot root in skipped entries and limit hits.
pub(crate) fn shown(path: &str) -> &str {
    if path.is_empty() { "." } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_dots_and_slashes() {
        assert_eq!(
            normalise_archive_path(b"./a//b/./c.js").unwrap(),
            "a/b/c.js"
        );
        assert_eq!(normalise_archive_path(b"a/../b.js").unwrap(), "b.js");
        assert_eq!(normalise_archive_path(b"a\\b.js").unwrap(), "a/b.js");
        assert_eq!(normalise_archive_path(b"./").unwrap(), "");
        assert_eq!(normalise_archive_path(b"dir/").unwrap(), "dir");
    }

    #[test]
    fn rejects_escapes_and_absolutes() {
        let reason = |raw: &[u8]| normalise_archive_path(raw).unwrap_err().reason;
        assert_eq!(reason(b"../../evil.js"), SkipReason::PathTraversal);
        assert_eq!(reason(b"a/../../evil.js"), SkipReason::PathTraversal);
        assert_eq!(reason(b"..\\evil.js"), SkipReason::PathTraversal);
        assert_eq!(reason(b"/etc/passwd"), SkipReason::AbsolutePath);
        assert_eq!(reason(b"\\\\server\\share\\x"), SkipReason::AbsolutePath);
        assert_eq!(reason(b"C:\\Windows\\x.dll"), SkipReason::AbsolutePath);
        assert_eq!(reason(b"c:x"), SkipReason::AbsolutePath);
        assert_eq!(reason(b"a\0b"), SkipReason::InvalidPath);
        assert_eq!(reason(b"a\nb"), SkipReason::InvalidPath);
        assert_eq!(reason("a\u{85}b".as_bytes()), SkipReason::InvalidPath);
    }

    #[test]
    fn escapes_invalid_utf8_but_keeps_the_rest() {
        assert_eq!(escape_name(b"caf\xe9.js"), "caf\\xe9.js");
        assert_eq!(escape_name("café.js".as_bytes()), "café.js");
        assert_eq!(escape_name(b"a\x1bb"), "a\\u{1b}b");
        assert_eq!(
            normalise_archive_path(b"dir/\xff\xfe.py").unwrap(),
            "dir/\\xff\\xfe.py"
        );
    }

    #[test]
    fn counts_and_cuts_components() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("a"), 1);
        assert_eq!(depth("a/b/c"), 3);
        assert_eq!(leading_components("a/b/c", 0), "");
        assert_eq!(leading_components("a/b/c", 2), "a/b");
        assert_eq!(leading_components("a/b/c", 3), "a/b/c");
        assert_eq!(leading_components("a/b/c", 9), "a/b/c");
    }
}
