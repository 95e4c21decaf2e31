//! A project's page of the simple repository API: PEP 691 JSON or PEP 503 HTML, read
//! into the list of files it offers (absolute URL, published digest, yanked or not).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{html, url};
use crate::{Digest, SourceError};

/// What the page is asked for: JSON first, HTML accepted.
pub(super) const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1";

/// A file the index lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IndexFile {
    /// Its file name, as the index gives it (JSON) or as its URL ends (HTML).
    pub filename: String,
    /// Its absolute URL, without fragment.
    pub url: String,
    /// The digest the index publishes for it (SHA-256, else SHA-512).
    pub digest: Option<Digest>,
    /// Whether it is yanked (PEP 592).
    pub yanked: bool,
}

/// The files of a project page fetched from `page_url` (after redirects), read as JSON
/// when the server says so, else as HTML.
pub(super) fn parse(
    body: &[u8],
    content_type: Option<&str>,
    page_url: &str,
    what: &str,
) -> Result<Vec<IndexFile>, SourceError> {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some(m) if m.ends_with("json") => parse_json(body, page_url, what),
        _ => Ok(parse_html(&String::from_utf8_lossy(body), page_url)),
    }
}

#[derive(Deserialize)]
struct JsonPage {
    #[serde(default)]
    meta: JsonMeta,
    #[serde(default)]
    files: Vec<JsonFile>,
}

#[derive(Deserialize, Default)]
struct JsonMeta {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
}

#[derive(Deserialize)]
struct JsonFile {
    filename: String,
    url: String,
    #[serde(default)]
    hashes: BTreeMap<String, Value>,
    /// `true`, or a reason string, when yanked.
    #[serde(default)]
    yanked: Value,
}

/// A PEP 691 JSON page (API version 1.x).
fn parse_json(body: &[u8], page_url: &str, what: &str) -> Result<Vec<IndexFile>, SourceError> {
    let unusable = |reason: String| SourceError::Unusable {
        what: what.to_string(),
        reason,
    };
    let page: JsonPage =
        serde_json::from_slice(body).map_err(|e| unusable(format!("invalid JSON: {e}")))?;
    if let Some(version) = &page.meta.api_version
        && version.split('.').next() != Some("1")
    {
        return Err(unusable(format!(
            "unsupported simple API version {}",
            version.escape_default()
        )));
    }
    Ok(page
        .files
        .into_iter()
        .filter_map(|file| {
            let hash = |algorithm: &str| {
                file.hashes
                    .get(algorithm)
                    .and_then(Value::as_str)
                    .and_then(|hex| Digest::from_hex(algorithm, hex))
            };
            Some(IndexFile {
                url: url::join(page_url, file.url.split('#').next().unwrap_or_default())?,
                digest: hash("sha256").or_else(|| hash("sha512")),
                yanked: matches!(file.yanked, Value::Bool(true) | Value::String(_)),
                filename: file.filename,
            })
        })
        .collect())
}

/// A PEP 503 HTML page: every anchor with an `href`, the digest from its
/// `#<algorithm>=<hex>` fragment, yanked when it has `data-yanked`.
fn parse_html(text: &str, page_url: &str) -> Vec<IndexFile> {
    let (anchors, base) = html::scan(text);
    let base = base
        .and_then(|b| url::join(page_url, &b))
        .unwrap_or_else(|| page_url.to_string());
    anchors
        .iter()
        .filter_map(|anchor| {
            let href = anchor.attribute("href")?;
            let (location, fragment) = href.split_once('#').unwrap_or((href, ""));
            let url = url::join(&base, location)?;
            let digest = fragment
                .split_once('=')
                .and_then(|(algorithm, hex)| match algorithm {
                    "sha256" | "sha512" => Digest::from_hex(algorithm, hex),
                    _ => None,
                });
            Some(IndexFile {
                filename: url::file_name(&url),
                url,
                digest,
                yanked: anchor.attribute("data-yanked").is_some(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "4b8f783e18977490eb5587c01e1c2789637eadf18ea1254934a2ff53c159a3bb";

    /// A PEP 691 page as an index serves it (shape of the PEP's example, trimmed).
    fn json_page() -> String {
        format!(
            r#"{{"meta": {{"api-version": "1.1", "_last-serial": 1}}, "name": "demo-mcp",
            "files": [
              {{"filename": "demo_mcp-1.0.tar.gz", "url": "../../packages/demo_mcp-1.0.tar.gz",
                "hashes": {{"sha256": "{SHA}"}}, "requires-python": ">=3.10", "yanked": false}},
              {{"filename": "demo_mcp-0.9-py3-none-any.whl", "url": "https://files.example/d/demo_mcp-0.9-py3-none-any.whl#frag",
                "hashes": {{"md5": "00"}}, "yanked": "broken"}},
              {{"filename": "demo_mcp-0.8.zip", "url": "/p/demo_mcp-0.8.zip", "hashes": {{}}, "yanked": true,
                "core-metadata": {{"sha256": "{SHA}"}}}}
            ],
            "versions": ["0.8", "0.9", "1.0"]}}"#
        )
    }

    #[test]
    fn reads_pep_691_json() {
        let files = parse(
            json_page().as_bytes(),
            Some("application/vnd.pypi.simple.v1+json"),
            "https://index.example/simple/demo-mcp/",
            "page",
        )
        .unwrap();
        assert_eq!(
            files[0],
            IndexFile {
                filename: "demo_mcp-1.0.tar.gz".into(),
                url: "https://index.example/packages/demo_mcp-1.0.tar.gz".into(),
                digest: Digest::from_hex("sha256", SHA),
                yanked: false,
            }
        );
        assert_eq!(
            files[1].url,
            "https://files.example/d/demo_mcp-0.9-py3-none-any.whl"
        );
        assert_eq!(files[1].digest, None);
        assert!(files[1].yanked);
        assert_eq!(files[2].url, "https://index.example/p/demo_mcp-0.8.zip");
        assert!(files[2].yanked);

        let error = parse(
            br#"{"meta": {"api-version": "2.0"}, "files": []}"#,
            Some("application/vnd.pypi.simple.v1+json"),
            "https://index.example/simple/x/",
            "page",
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unsupported simple API version 2.0")
        );
        let error = parse(b"<html>", Some("application/json"), "https://i/", "page").unwrap_err();
        assert_eq!(error.code(), "REMOTE_UNUSABLE");
    }

    #[test]
    fn reads_pep_503_html() {
        let html = format!(
            r#"<html><body>
            <a href="/packages/Demo_MCP.server-1.0.0.tar.gz#sha256={SHA}">Demo_MCP.server-1.0.0.tar.gz</a><br>
            <a href="../../packages/demo-1.1.zip#md5=abc" data-yanked="">demo-1.1.zip</a>
            <a href="demo-1.2.zip#sha256=nothex">demo-1.2.zip</a>
            <a name="no-href">x</a>
            </body></html>"#
        );
        let files = parse(
            html.as_bytes(),
            Some("text/html; charset=UTF-8"),
            "http://127.0.0.1:1234/simple/demo/",
            "page",
        )
        .unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].filename, "Demo_MCP.server-1.0.0.tar.gz");
        assert_eq!(
            files[0].url,
            "http://127.0.0.1:1234/packages/Demo_MCP.server-1.0.0.tar.gz"
        );
        assert_eq!(files[0].digest, Digest::from_hex("sha256", SHA));
        assert!(!files[0].yanked);
        assert_eq!(files[1].url, "http://127.0.0.1:1234/packages/demo-1.1.zip");
        assert_eq!(files[1].digest, None);
        assert!(files[1].yanked);
        assert_eq!(
            files[2].url,
            "http://127.0.0.1:1234/simple/demo/demo-1.2.zip"
        );
        assert_eq!(files[2].digest, None);
    }

    #[test]
    fn html_base_href_is_honoured() {
        let html = r#"<base href="https://files.example/root/"><a href="a-1.0.tar.gz">a</a>"#;
        let files = parse(
            html.as_bytes(),
            None,
            "https://index.example/simple/a/",
            "p",
        )
        .unwrap();
        assert_eq!(files[0].url, "https://files.example/root/a-1.0.tar.gz");
    }
}
