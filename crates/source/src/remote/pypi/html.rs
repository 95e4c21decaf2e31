//! The anchors of a PEP 503 HTML page: a small scanner, linear in the page's size, for
//! `<a …>` and `<base href>`, tolerant of hostile markup (unterminated tags and quotes,
//! comments, any case), decoding character references in attribute values.

/// One `<a>` element's attributes, names lowercased, values decoded (`None`: given
/// without a value). Its text is not used: a file is named by its URL, as pip does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Anchor {
    attributes: Vec<(String, Option<String>)>,
}

impl Anchor {
    /// An attribute's value (`Some("")` for a bare attribute such as `data-yanked`).
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }
}

/// The page's anchors and its `<base href>`, if any.
pub(super) fn scan(html: &str) -> (Vec<Anchor>, Option<String>) {
    let mut anchors = Vec::new();
    let mut base = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - 1);
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let (attributes, after) = attributes(&rest[1 + name_len..]);
        rest = after;
        match name.as_str() {
            "a" => anchors.push(Anchor { attributes }),
            "base" if base.is_none() => {
                base = attributes
                    .into_iter()
                    .find(|(n, _)| n == "href")
                    .and_then(|(_, v)| v);
            }
            _ => {}
        }
    }
    (anchors, base)
}

/// Parses a tag's attributes up to its `>`; returns them and the text after the tag.
fn attributes(tag: &str) -> (Vec<(String, Option<String>)>, &str) {
    let mut attributes = Vec::new();
    let mut rest = tag;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (attributes, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (attributes, after);
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || "=>/".contains(c))
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, remaining) = match after.chars().next() {
                    Some(quote @ ('"' | '\'')) => {
                        let body = &after[1..];
                        let end = body.find(quote).unwrap_or(body.len());
                        (&body[..end], body.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        after.split_at(end)
                    }
                };
                rest = remaining;
                Some(decode(value))
            }
            None => None,
        };
        attributes.push((name, value));
    }
}

/// Decodes character references: the five XML ones and numeric ones; anything else is
/// kept as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|end| reference(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = match name.strip_prefix(['#']) {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16),
                Some(decimal) => decimal.parse(),
                None => return None,
            };
            return char::from_u32(code.ok()?);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_anchors_with_their_attributes() {
        let html = r#"<!DOCTYPE html><html><head><BASE HREF="https://files.example/root/">
            <!-- <a href="commented.tar.gz">commented.tar.gz</a> -->
            </head><body>
            <A HREF="/p/demo-1.0.tar.gz#sha256=ab&amp;x" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</A><br/>
            <a href='demo-1.1.tar.gz' data-yanked>demo-1.1.tar.gz</a>
            <a href=demo-1.2.zip data-yanked="broken build">  demo-1.2.zip <span>x</span></a>
            <a href="unterminated"#;
        let (anchors, base) = scan(html);
        assert_eq!(base.as_deref(), Some("https://files.example/root/"));
        assert_eq!(anchors.len(), 4, "{anchors:?}");
        assert_eq!(
            anchors[0].attribute("href"),
            Some("/p/demo-1.0.tar.gz#sha256=ab&x")
        );
        assert_eq!(anchors[0].attribute("data-requires-python"), Some(">=3.8"));
        assert_eq!(anchors[0].attribute("data-yanked"), None);
        assert_eq!(anchors[1].attribute("data-yanked"), Some(""));
        assert_eq!(anchors[2].attribute("data-yanked"), Some("broken build"));
        assert_eq!(anchors[3].attribute("href"), Some("unterminated"));
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        for html in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href='",
            "<!--",
            "<a>&#xffffffff;",
            "&#;",
            "<a\u{e9}>é</a>",
        ] {
            let _ = scan(html);
        }
        assert_eq!(decode("a&#65;&#x42;&bogus;&"), "aAB&bogus;&");
    }
}
