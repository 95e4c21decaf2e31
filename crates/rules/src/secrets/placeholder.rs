//! Known fakes and placeholders: values that look like secrets but are documentation
//! examples, test dummies or template references. Shared by every `AS6xx` rule so that
//! they agree on what "obviously not a real secret" means.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// Words that mark a documentation or test value. Matched in lower, UPPER and
/// Capitalised spelling (placeholders are written that way; random tokens mix case).
/// Long words are matched anywhere; short ones (see [`SHORT_WORD`]) only where they are
/// unlikely to occur by chance.
const FAKE_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "changeme",
    "change_me",
    "replaceme",
    "replace_me",
    "insert",
    "qwerty",
    "fake",
    "test",
    "your",
    "xxxx",
    "mock",
    "todo",
    "demo",
];

/// Words up to this many characters occur in long random tokens by chance, so they only
/// count in values of at most [`SHORT_WORD_MAX_VALUE`] characters or when delimited.
const SHORT_WORD: usize = 5;

/// See [`SHORT_WORD`].
const SHORT_WORD_MAX_VALUE: usize = 64;

/// Runs of this many ascending or descending characters (`abcdef`, `123456`) or of one
/// repeated character mark a hand-typed value; in values of at most [`SHORT_VALUE`]
/// characters one less suffices (`ABC12345`).
const RUN: usize = 6;

/// See [`RUN`].
const SHORT_VALUE: usize = 16;

/// True when `value` is a documentation example, a test dummy or a placeholder: it
/// contains a marker word (`EXAMPLE`, `dummy`, `fake`, `your`, `xxxx`, …), a masked run
/// (`****`), an ellipsis (`...`), a template (`<token>`, `${VAR}`, `{{ x }}`, `%s`), a keyboard or alphabet
/// sequence (`abcdef`, `0123456789`), a long run of one character, or too few distinct
/// characters to be random.
pub fn looks_fake(value: &str) -> bool {
    has_marker_word(value)
        || value.contains("****")
        || value.contains("...")
        || is_template(value)
        || has_sequence_or_repeat(value)
        || distinct_chars(value) < 4
}

/// True when `value` refers to a secret instead of holding one: an environment or
/// template reference (`$VAR`, `${VAR}`, `{{ var }}`, `%(name)s`, `%s`, `<name>`), or a
/// call or lookup (`process.env.X`, `os.environ[...]`, `getenv(...)`).
pub fn is_reference(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.starts_with('$')
        || is_template(value)
        || [
            "process.env",
            "os.environ",
            "getenv",
            "import.meta.env",
            "secrets.",
            "vault:",
            "env(",
        ]
        .iter()
        .any(|m| lower.contains(m))
}

/// Credentials published on purpose: emulator and specification examples that every copy
/// of a tool or library ships, e.g. the Azure Storage emulator (Azurite) account key and
/// the OAuth RFC examples.
const KNOWN_PUBLIC: &[&str] = &[
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    // RFC 6749 / RFC 6750 (OAuth 2.0) examples, copied into many OAuth libraries' docs.
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    "SplxlOBeZQQYbYS6WxSbIA",
    "7Fjfp0ZBr1KtDRbnfVdmIw",
    "mF_9.B5f-4.1JqM",
];

/// True when `value` is a credential published on purpose (see [`KNOWN_PUBLIC`]).
pub fn is_known_public(value: &str) -> bool {
    KNOWN_PUBLIC.contains(&value)
}

/// Template syntax: `<…>`, `${…}`, `{{…}}`, `%s`, `%(name)s`, `{name}` placeholders.
fn is_template(value: &str) -> bool {
    let bracketed = |open: char, close: char| {
        value
            .find(open)
            .is_some_and(|i| value[i + open.len_utf8()..].contains(close))
    };
    value.contains("${")
        || value.contains("{{")
        || value.contains("%s")
        || value.contains("%(")
        || bracketed('<', '>')
        || (bracketed('{', '}') && !value.starts_with("{\""))
}

/// True when `value` contains one of the documentation marker words (`EXAMPLE`,
/// `sample`, `dummy`, …) where it cannot be chance.
pub fn has_marker_word(value: &str) -> bool {
    let short_value = value.len() <= SHORT_WORD_MAX_VALUE;
    MARKERS
        .find_overlapping_iter(value)
        .any(|m| m.len() > SHORT_WORD || short_value || delimited(value, m.start(), m.end()))
}

/// Every [`FAKE_WORDS`] entry in lower, UPPER and Capitalised spelling, in one automaton.
static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let spellings = FAKE_WORDS.iter().flat_map(|word| {
        let mut capitalised = word.to_string();
        capitalised[..1].make_ascii_uppercase();
        [word.to_string(), word.to_ascii_uppercase(), capitalised]
    });
    crate::text::keywords(spellings).expect("marker words form a valid automaton")
});

/// True when `value[start..end]` is not glued to letters or digits on either side.
fn delimited(value: &str, start: usize, end: usize) -> bool {
    let before = value[..start].chars().next_back();
    let after = value[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

fn has_sequence_or_repeat(value: &str) -> bool {
    let bytes = value.as_bytes();
    let run = if value.chars().count() <= SHORT_VALUE {
        RUN - 1
    } else {
        RUN
    };
    let (mut up, mut down, mut same) = (1, 1, 1);
    for pair in bytes.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && a == b.wrapping_add(1) {
            down + 1
        } else {
            1
        };
        same = if a == b { same + 1 } else { 1 };
        if up >= run || down >= run || same >= run {
            return true;
        }
    }
    false
}

fn distinct_chars(value: &str) -> usize {
    let mut seen: Vec<char> = Vec::new();
    for c in value.chars() {
        if !seen.contains(&c) {
            seen.push(c);
            if seen.len() >= 4 {
                break;
            }
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_values_are_fake() {
        for value in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "your_api_key_here",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "my-dummy-token",
            "abcdef0123456789",
            "ghp_0123456789",
            "aaaaaaaaaaaa",
            "<your-token>",
            "${API_TOKEN}",
            "{{ token }}",
            "********",
            "test-token-123",
            "Sample1234Value",
            "ababababab",
            "ABC12345",
        ] {
            assert!(looks_fake(value), "{value} should look fake");
        }
    }

    #[test]
    fn random_values_are_not_fake() {
        for value in [
            "Zq8vN3kLm2Xw9Rt5Yp1B",
            "3f9a1c7e5b2d8046f1a9c3e7b5d20f48",
            "hT7kQ2mW9xR4vB8nL3pZ6cY1jF5gD0sA",
            // a short marker word glued inside a long random token is chance, not a marker
            "Kx9TestQm7vZ3R5aXRlc3RKb2tlbjRHd1RhZ0xvbmdSYW5kb21TdHJpbmdPZkJhc2U2NENoYXJz",
        ] {
            assert!(!looks_fake(value), "{value} should not look fake");
        }
    }

    #[test]
    fn references_are_recognised() {
        for value in [
            "$DB_PASSWORD",
            "${TOKEN}",
            "process.env.TOKEN",
            "os.environ['X']",
            "<token>",
        ] {
            assert!(is_reference(value), "{value}");
        }
        assert!(!is_reference("s3cr3t-V4lue-9921"));
    }

    #[test]
    fn published_examples_are_known() {
        assert!(is_known_public("2YotnFZFEjr1zCsicMWpAA"));
        assert!(!is_known_public("2YotnFZFEjr1zCsicMWpAB"));
    }
}
