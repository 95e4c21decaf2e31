//! Runs the provider table over a file: one Aho-Corasick pass over every detector's
//! keywords, then each hit detector's regex over a bounded window around the hit only.
//!
//! Work is bounded on huge single-line (minified) files: a detector's regex runs at most
//! once per [`AFTER`]/2 bytes of text, whatever the number of keyword hits, over a window
//! of at most [`BEFORE_KEYWORD`] + [`AFTER`] bytes, and every regex is linear-time.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder};

use super::{Detector, Pattern, detectors};
use crate::secrets::entropy::shannon;
use crate::secrets::placeholder::{is_known_public, looks_fake};
use crate::secrets::window::{self, AFTER, BEFORE_KEYWORD};

/// A detector's match in a file.
#[derive(Debug, Clone)]
pub struct ProviderMatch {
    /// The detector that matched.
    pub detector: &'static Detector,
    /// Byte range of the secret in the scanned text.
    pub secret: Range<usize>,
    /// Position of the detector in the table (lower wins overlaps).
    rank: usize,
}

/// The compiled table.
struct Engine {
    detectors: Vec<&'static Detector>,
    /// Each detector's regex, compiled the first time one of its keywords is met: most
    /// scans meet a handful of the table's keywords, and compiling all of it up front
    /// was two thirds of the work of scanning a small package.
    regexes: Vec<OnceLock<Regex>>,
    keywords: AhoCorasick,
    /// For each keyword of the automaton, the detectors it gates.
    gated: Vec<Vec<usize>>,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::build);

impl Engine {
    fn build() -> Engine {
        let detectors: Vec<&'static Detector> = detectors().collect();
        let regexes = detectors.iter().map(|_| OnceLock::new()).collect();
        let mut words: Vec<String> = Vec::new();
        let mut gated: Vec<Vec<usize>> = Vec::new();
        for (i, d) in detectors.iter().enumerate() {
            for keyword in d.keywords {
                let keyword = keyword.to_ascii_lowercase();
                match words.iter().position(|w| *w == keyword) {
                    Some(p) => gated[p].push(i),
                    None => {
                        words.push(keyword);
                        gated.push(vec![i]);
                    }
                }
            }
        }
        let keywords = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("provider keywords form a valid automaton");
        Engine {
            detectors,
            regexes,
            keywords,
            gated,
        }
    }

    /// Runs detector `d` over `window` of `text`, appending validated matches.
    fn scan(&self, d: usize, text: &str, window: &Range<usize>, found: &mut Vec<ProviderMatch>) {
        let detector = self.detectors[d];
        let regex = self.regexes[d].get_or_init(|| compile(detector));
        // The haystack ends at the window; the search starts at its start, so look-behind
        // assertions (`\b`) still see the real preceding byte.
        let haystack = &text.as_bytes()[..window.end];
        let cut_start = window::cut_at_start(text, window);
        let cut_end = window::cut_at_end(text, window);
        let mut at = window.start;
        while at < window.end {
            let Some(caps) = regex.captures_at(haystack, at) else {
                break;
            };
            let Some(whole) = caps.get(0) else { break };
            at = whole.end().max(whole.start() + 1);
            let Some(group) = caps.get(1) else { continue };
            // A token touching a cut edge of the window may continue beyond it.
            if (cut_start && group.start() == window.start)
                || (cut_end && group.end() == window.end)
            {
                continue;
            }
            let Some(secret) = text.get(group.range()) else {
                continue;
            };
            if shannon(secret) < detector.min_entropy
                || looks_fake(secret)
                || is_known_public(secret)
            {
                continue;
            }
            found.push(ProviderMatch {
                detector,
                secret: group.range(),
                rank: d,
            });
        }
    }
}

/// Compiles one detector's regex (ASCII semantics: `\b`, `\w`, `\s` are ASCII-only).
fn compile(detector: &Detector) -> Regex {
    let source = match detector.pattern {
        Pattern::Token(regex) => regex.to_string(),
        Pattern::Assigned { name, secret } => format!(
            r#"(?i:{name})[A-Za-z0-9_.\-]{{0,32}}["'`\]]?\s{{0,4}}(?:=|:=|:|=>|,)\s{{0,4}}["'`]?({secret})(?:[^A-Za-z0-9_+/=\-]|$)"#
        ),
    };
    RegexBuilder::new(&source)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("detector {}: invalid regex: {e}", detector.id))
}

/// Every provider secret in `text`, in order, overlaps resolved: of two overlapping
/// matches the earlier one wins, then the longer one, then the one earlier in the table.
pub fn find(text: &str) -> Vec<ProviderMatch> {
    let engine = &*ENGINE;
    // Per detector: keyword hits before this offset are inside text already scanned.
    let mut covered = vec![0usize; engine.detectors.len()];
    let mut found = Vec::new();
    for hit in engine.keywords.find_overlapping_iter(text) {
        for &d in &engine.gated[hit.pattern().as_usize()] {
            if hit.start() < covered[d] {
                continue;
            }
            let window = window::around(text, hit.start(), hit.end(), BEFORE_KEYWORD, AFTER);
            covered[d] = if window::cut_at_end(text, &window) {
                window.end - AFTER / 2
            } else {
                window.end
            };
            engine.scan(d, text, &window, &mut found);
        }
    }
    found.sort_by_key(|m| (m.secret.start, std::cmp::Reverse(m.secret.end), m.rank));
    let mut kept: Vec<ProviderMatch> = Vec::with_capacity(found.len());
    for m in found {
        if kept
            .last()
            .is_none_or(|last| m.secret.start >= last.secret.end)
        {
            kept.push(m);
        }
    }
    kept
}
