//! `GET /badge/{source}/{package}.svg`: a shields-style badge of a package's latest public
//! result (`assay | A 93`, coloured by grade; `assay | unknown` in grey when no public
//! scan of it succeeded). No key; private scans never show.
//!
//! The package name is caller input: it appears in the badge's `<title>` only after XML
//! escaping, with characters XML cannot carry replaced.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// How long clients and caches may keep a badge.
const CACHE_CONTROL: &str = "public, max-age=300";
/// The left half's text.
const LABEL: &str = "assay";
/// Width of one character in the badge font (11px Verdana, an average).
const CHAR_WIDTH: usize = 7;
/// Horizontal padding of each half.
const PADDING: usize = 10;

/// The colour of a grade (shields' palette); grey when unknown.
fn colour(grade: Option<&str>) -> &'static str {
    match grade {
        Some("A") => "#4c1",
        Some("B") => "#97ca00",
        Some("C") => "#dfb317",
        Some("D") => "#fe7d37",
        Some("F") => "#e05d44",
        _ => "#9f9f9f",
    }
}

/// `text` for XML character data and attribute values: markup characters escaped, and
/// characters XML 1.0 forbids replaced by U+FFFD.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The badge's SVG: `message` on a `colour` right half; `subject` names the package in
/// the title.
pub fn svg(subject: &str, message: &str, colour: &str) -> String {
    let label_width = LABEL.chars().count() * CHAR_WIDTH + PADDING;
    let message_width = message.chars().count() * CHAR_WIDTH + PADDING;
    let width = label_width + message_width;
    let title = xml_escape(&format!("{LABEL}: {subject}: {message}"));
    let message = xml_escape(message);
    let (label_x, message_x) = (label_width / 2, label_width + message_width / 2);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{LABEL}: {message}"><title>{title}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{label_width}" height="20" fill="#555"/><rect x="{label_width}" width="{message_width}" height="20" fill="{colour}"/><rect width="{width}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="{label_x}" y="14">{LABEL}</text><text x="{message_x}" y="14">{message}</text></g></svg>"##
    )
}

/// `GET /badge/{source}/{package}.svg`.
#[utoipa::path(
    get,
    path = "/badge/{source}/{*package}",
    operation_id = "getBadge",
    tag = "public",
    summary = "A package's badge (SVG, no key)",
    params(
        ("source" = String, Path, description = "`npm`, `pypi`, `github`, …"),
        ("package" = String, Path, description = "The package name, slashes included, then \
            `.svg` (`/badge/npm/@scope/name.svg`)."),
    ),
    security(()),
    responses(
        (status = 200, description = "The badge: grade and score of the latest public result, or \
            `unknown` in grey.", content_type = "image/svg+xml", body = String,
            headers(("Cache-Control" = String, description = "`public, max-age=300`."))),
        (status = 404, description = "`NOT_FOUND`: the path does not end in `.svg`.",
            body = ErrorEnvelope),
    )
)]
pub async fn badge(
    State(state): State<AppState>,
    Path((source, package)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let package = package
        .strip_suffix(".svg")
        .map(|p| p.trim_start_matches('/'))
        .filter(|p| !p.is_empty())
        .ok_or(ApiError::NotFound("badge"))?;
    let summary = state
        .store
        .registry_package(&source, package)
        .await?
        .and_then(|scan| scan.summary);
    let (message, grade) = match &summary {
        Some(s) => (format!("{} {}", s.grade, s.score), Some(s.grade.as_str())),
        None => ("unknown".to_string(), None),
    };
    let body = svg(&format!("{source}:{package}"), &message, colour(grade));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_characters_xml_cannot_carry_are_neutralised() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}\n"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD} "
        );
        let badge = svg("npm:</title><script>", "A 93", colour(Some("A")));
        assert!(!badge.contains("<script>"), "{badge}");
        assert!(badge.contains("&lt;/title&gt;&lt;script&gt;"), "{badge}");
        assert!(badge.contains("#4c1"));
    }
}
