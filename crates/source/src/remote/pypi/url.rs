//! Resolving the links of an index page against the page's URL (RFC 3986 §5.2).

/// `reference` (fragment already removed) resolved against the absolute `base`; `None`
/// when `base` is not absolute.
pub(super) fn join(base: &str, reference: &str) -> Option<String> {
    let reference = reference.trim();
    if has_scheme(reference) {
        return Some(reference.to_string());
    }
    let (scheme, rest) = base.split_once("://")?;
    let rest = rest.split('#').next().unwrap_or_default();
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(authority_end);
    let base_path = path_and_query.split('?').next().unwrap_or_default();
    if let Some(network) = reference.strip_prefix("//") {
        return Some(format!("{scheme}://{network}"));
    }
    let (ref_path, query) = match reference.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (reference, None),
    };
    let path = if ref_path.starts_with('/') {
        remove_dot_segments(ref_path)
    } else if ref_path.is_empty() {
        base_path.to_string()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        remove_dot_segments(&format!("{dir}{ref_path}"))
    };
    let query = match (query, ref_path.is_empty()) {
        (Some(query), _) => format!("?{query}"),
        (None, true) => path_and_query[base_path.len()..].to_string(),
        (None, false) => String::new(),
    };
    Some(format!("{scheme}://{authority}{path}{query}"))
}

/// The file name a URL names: its last path segment, percent-decoded (kept as written
/// when that is not UTF-8).
pub(super) fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let raw = path.rsplit('/').next().unwrap_or_default();
    String::from_utf8(percent_decode(raw)).unwrap_or_else(|_| raw.to_string())
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn has_scheme(reference: &str) -> bool {
    match reference.find(':') {
        Some(colon) => {
            let scheme = &reference[..colon];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// An absolute path with `.` and `..` segments resolved (never above the root).
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references_like_a_browser() {
        let base = "http://h:8080/simple/demo/?x=1";
        for (reference, expected) in [
            ("../../packages/a.tar.gz", "http://h:8080/packages/a.tar.gz"),
            ("/packages/a.whl", "http://h:8080/packages/a.whl"),
            ("a.zip", "http://h:8080/simple/demo/a.zip"),
            (
                "./sub/./a.zip?dl=1",
                "http://h:8080/simple/demo/sub/a.zip?dl=1",
            ),
            ("//files.example/a.whl", "http://files.example/a.whl"),
            (
                "https://files.example/p/a.whl",
                "https://files.example/p/a.whl",
            ),
            ("../../../../../etc/passwd", "http://h:8080/etc/passwd"),
            ("", "http://h:8080/simple/demo/?x=1"),
        ] {
            assert_eq!(
                join(base, reference).as_deref(),
                Some(expected),
                "{reference}"
            );
        }
        assert_eq!(join("http://h", "a.whl").as_deref(), Some("http://h/a.whl"));
        assert_eq!(join("not-absolute", "a.whl"), None);
    }

    #[test]
    fn file_names_are_percent_decoded() {
        assert_eq!(
            file_name("http://h/p/demo-1.0%2Blocal.tar.gz?x#sha256=00"),
            "demo-1.0+local.tar.gz"
        );
        assert_eq!(file_name("http://h/p/%zz%2%+1"), "%zz%2%+1");
        assert_eq!(file_name("http://h/p/%ff"), "%ff");
        assert_eq!(file_name("http://h/p/"), "");
    }
}
