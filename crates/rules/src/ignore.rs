//! Inline suppressions: `assay-ignore: AS101 reason` in a comment silences the listed
//! rules on the comment's own line and on the next line.

use std::sync::LazyLock;

use regex::Regex;

/// One `assay-ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIgnore {
    /// Snapshot path of the file.
    pub path: String,
    /// 1-based line of the comment.
    pub line: u32,
    /// Rule ids (upper-cased) or `all`.
    pub rules: Vec<String>,
    /// The reason text after the ids, if any.
    pub reason: Option<String>,
}

impl InlineIgnore {
    /// Whether this comment covers a finding of `rule_id` starting on `line`.
    pub fn covers(&self, rule_id: &str, line: u32) -> bool {
        (line == self.line || line == self.line + 1)
            && self
                .rules
                .iter()
                .any(|r| r == "ALL" || r.eq_ignore_ascii_case(rule_id))
    }
}

static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)assay-ignore:?\s+((?:AS\d{3}|all)(?:\s*,\s*(?:AS\d{3}|all))*)[ \t]*([^\r\n]*)")
        .expect("valid regex")
});

/// Finds every `assay-ignore` comment in `text`.
pub fn find_inline_ignores(path: &str, text: &str) -> Vec<InlineIgnore> {
    if memchr::memmem::find(text.as_bytes(), b"assay-ignore").is_none() {
        return Vec::new();
    }
    IGNORE
        .captures_iter(text)
        .map(|caps| {
            let whole = caps.get(0).expect("group 0");
            let line = text[..whole.start()]
                .bytes()
                .filter(|&b| b == b'\n')
                .count()
                + 1;
            let rules = caps[1]
                .split(',')
                .map(|r| r.trim().to_ascii_uppercase())
                .collect();
            let reason = caps[2]
                .trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim()
                .to_string();
            InlineIgnore {
                path: path.to_string(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                rules,
                reason: (!reason.is_empty()).then_some(reason),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_reasons() {
        let text = "a\n// assay-ignore: AS101, as602 fixture data */\nb\n# assay-ignore: all\n";
        let found = find_inline_ignores("f.ts", text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].rules, vec!["AS101", "AS602"]);
        assert_eq!(found[0].reason.as_deref(), Some("fixture data"));
        assert!(found[0].covers("AS602", 3));
        assert!(!found[0].covers("AS602", 4));
        assert!(!found[0].covers("AS103", 2));
        assert!(found[1].covers("AS999", 4));
        assert!(find_inline_ignores("f", "assay-ignore nothing").is_empty());
    }
}
