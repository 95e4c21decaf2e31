//! Turning matches into findings: one finding per rule per document, the strongest match
//! as snippet and message, every match as evidence.

use std::ops::Range;

use assay_core::{Confidence, Evidence, Finding, RuleMeta, Severity, SurfaceKind, is_invisible};

use super::SurfaceDocument;
use super::chars::code_point;
use super::normalize::Normalized;
use super::phrases::Cue;
use crate::registry::new_finding;
use crate::text::MAX_SNIPPET_CHARS;

/// Longest matched phrase kept in evidence, in characters.
const MAX_PHRASE_CHARS: usize = 160;
/// Most evidence items of matched phrases per finding.
const MAX_PHRASES: usize = 8;

/// One match of a rule in a document.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    /// Byte range of the match in the *original* document text.
    pub range: Range<usize>,
    /// Byte range of the sentence (or block) to show as the snippet, in the original text.
    pub context: Range<usize>,
    /// What the text asks the model to do (or what was found), completing "The … of tool
    /// `x` …", e.g. "asks the model to hide the action from the user".
    pub asks: String,
    /// How sure this match is.
    pub confidence: Confidence,
}

impl Hit {
    /// A hit whose normalised `range` lies in the normalised sentence around it.
    pub(crate) fn in_sentence(
        norm: &Normalized,
        range: Range<usize>,
        asks: impl Into<String>,
        confidence: Confidence,
    ) -> Self {
        let sentence = norm.sentence_at(range.start);
        Hit {
            range: norm.original_range(range),
            context: norm.original_range(sentence),
            asks: asks.into(),
            confidence,
        }
    }
}

/// Emits one finding of `meta` for `doc` from phrase cues found in `norm`.
pub(crate) fn report_cues(
    meta: &'static RuleMeta,
    doc: &SurfaceDocument<'_>,
    norm: &Normalized,
    cues: Vec<Cue>,
    extra: Extra,
    out: &mut Vec<Finding>,
) {
    let hits: Vec<Hit> = cues
        .into_iter()
        .map(|c| Hit::in_sentence(norm, c.range, c.asks, c.confidence))
        .collect();
    report(meta, doc, &hits, extra, out);
}

/// The whole `check_surface` of a plain phrase-cue rule: the cues `find` finds in the
/// normalised text of `doc`, reported as one finding of `meta` with no extras.
pub(crate) fn report_found_cues(
    meta: &'static RuleMeta,
    doc: &SurfaceDocument<'_>,
    find: impl FnOnce(&Normalized) -> Vec<Cue>,
    out: &mut Vec<Finding>,
) {
    let norm = Normalized::new(&doc.text);
    report_cues(meta, doc, &norm, find(&norm), Extra::default(), out);
}

/// The byte range of the line of `text` around `range`.
pub(crate) fn line_around(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    start..end
}

/// Options of a finding beyond its hits.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    /// Evidence added after the matched phrases.
    pub evidence: Vec<Evidence>,
    /// A severity other than the rule's default.
    pub severity: Option<Severity>,
}

/// Emits one finding of `meta` for `doc` from `hits` (nothing when there are none).
pub(crate) fn report(
    meta: &'static RuleMeta,
    doc: &SurfaceDocument<'_>,
    hits: &[Hit],
    extra: Extra,
    out: &mut Vec<Finding>,
) {
    let Some(primary) = hits.iter().max_by(|a, b| {
        a.confidence
            .cmp(&b.confidence)
            .then(b.range.start.cmp(&a.range.start))
    }) else {
        return;
    };
    let field = field_label(doc, primary.range.start);
    let mut message = format!("The {field} of {} {}.", item_label(doc), primary.asks);
    let others = hits.len() - 1;
    if others > 0 {
        message.push_str(&format!(
            " {others} more match{} listed in the evidence.",
            if others == 1 { " is" } else { "es are" }
        ));
    }
    let snippet = visible(&doc.text[primary.context.clone()], MAX_SNIPPET_CHARS);
    let mut finding = new_finding(meta, doc.location.clone(), snippet, message);
    finding.tool = doc.tool_name();
    finding.confidence = combined_confidence(hits);
    if let Some(severity) = extra.severity {
        finding.severity = severity;
    }
    let mut seen = Vec::new();
    for hit in hits {
        let phrase = visible(&doc.text[hit.range.clone()], MAX_PHRASE_CHARS);
        let value = format!("\"{phrase}\" in the {}", field_label(doc, hit.range.start));
        if seen.len() < MAX_PHRASES && !seen.contains(&value) {
            seen.push(value);
        }
    }
    finding.evidence = seen
        .into_iter()
        .map(|value| Evidence::new("matched phrase", value))
        .chain(extra.evidence)
        .collect();
    out.push(finding);
}

/// The strongest confidence of the hits, one level higher when three or more agree.
fn combined_confidence(hits: &[Hit]) -> Confidence {
    let best = hits
        .iter()
        .map(|h| h.confidence)
        .max()
        .unwrap_or(Confidence::Low);
    if hits.len() >= 3 && best == Confidence::Low {
        Confidence::Medium
    } else if hits.len() >= 3 {
        Confidence::High
    } else {
        best
    }
}

/// The label of the field holding original byte `at`.
pub(crate) fn field_label(doc: &SurfaceDocument<'_>, at: usize) -> String {
    doc.field_at(at)
        .map_or_else(|| "text".to_string(), |f| f.label.clone())
}

/// "tool `x`", "prompt `x`", "resource `x`" or "the server instructions".
fn item_label(doc: &SurfaceDocument<'_>) -> String {
    match doc.kind {
        SurfaceKind::Tool => format!("tool `{}`", doc.name),
        SurfaceKind::Prompt => format!("prompt `{}`", doc.name),
        SurfaceKind::Resource => format!("resource `{}`", doc.name),
        SurfaceKind::Instructions => "the server instructions".to_string(),
    }
}

/// `text` for display: whitespace collapsed, invisible and control characters shown as
/// code points (long runs summarised), cut to `max` characters.
pub(crate) fn visible(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            while chars.next_if(|n| n.is_whitespace()).is_some() {}
            out.push(' ');
        } else if is_invisible(c) {
            let mut run = vec![c];
            while let Some(n) = chars.next_if(|&n| is_invisible(n)) {
                run.push(n);
            }
            out.push_str(&describe_run(&run));
        } else {
            out.push(c);
        }
    }
    truncate(&out, max)
}

/// `⟨U+200B⟩`, or `⟨U+E0049…U+E0020 ×40⟩` for longer runs.
fn describe_run(run: &[char]) -> String {
    match run {
        [] => String::new(),
        [a] => format!("⟨{}⟩", code_point(*a)),
        [a, b] => format!("⟨{}⟩⟨{}⟩", code_point(*a), code_point(*b)),
        [first, .., last] => format!(
            "⟨{}…{} ×{}⟩",
            code_point(*first),
            code_point(*last),
            run.len()
        ),
    }
}

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_shows_hidden_characters() {
        assert_eq!(visible("a\u{200B}b  \n c", 100), "a⟨U+200B⟩b c");
        let tags: String = "hello"
            .chars()
            .map(|c| char::from_u32(0xE0000 + c as u32).unwrap())
            .collect();
        assert_eq!(visible(&format!("x{tags}"), 100), "x⟨U+E0068…U+E006F ×5⟩");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
