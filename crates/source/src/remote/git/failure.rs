//! What git's failures mean: its standard error (git runs in the C locale) mapped to
//! the error kinds every fetcher reports, in one line.

use crate::SourceError;

/// Phrases git (or the server, through it) uses when credentials are missing or wrong.
const DENIED: [&str; 4] = [
    "returned error: 401",
    "authentication failed",
    "could not read username",
    "could not read password",
];

/// Phrases meaning the repository, reference or commit does not exist (or is hidden).
const MISSING: [&str; 9] = [
    "returned error: 404",
    "returned error: 410",
    "not found",
    "does not appear to be a git repository",
    "repository not exported",
    "no such repository",
    "not our ref",
    "couldn't find remote ref",
    "unadvertised object",
];

/// The longest summary of git's complaint put in an error.
const MAX_SUMMARY: usize = 300;

/// The error a failed git command means for `what`, from its (scrubbed) standard error.
pub(super) fn classify(stderr: &str, what: &str, had_credentials: bool) -> SourceError {
    let lower = stderr.to_ascii_lowercase();
    let says = |phrases: &[&str]| phrases.iter().any(|p| lower.contains(p));
    if says(&DENIED) {
        SourceError::AccessDenied {
            what: what.to_string(),
            status: 401,
            had_credentials,
        }
    } else if says(&["returned error: 403"]) {
        SourceError::AccessDenied {
            what: what.to_string(),
            status: 403,
            had_credentials,
        }
    } else if says(&MISSING) {
        SourceError::RemoteNotFound {
            what: what.to_string(),
            hint: None,
        }
    } else {
        SourceError::Network {
            what: what.to_string(),
            reason: summary(stderr),
        }
    }
}

/// git's complaint in one line: from its first `fatal:` or `error:` line on (else its
/// last line), control characters escaped, at most [`MAX_SUMMARY`] characters.
pub(super) fn summary(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("fatal: ") || l.starts_with("error: "));
    let mut chosen: Vec<&str> = match first {
        Some(first) => lines[first..]
            .iter()
            .map(|l| {
                l.strip_prefix("fatal: ")
                    .or_else(|| l.strip_prefix("error: "))
                    .unwrap_or(l)
            })
            .collect(),
        None => lines.last().into_iter().copied().collect(),
    };
    chosen.dedup();
    if chosen.is_empty() {
        return "git failed without saying why".into();
    }
    let text: String = chosen.join("; ").escape_debug().collect();
    match text.char_indices().nth(MAX_SUMMARY) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_failure() {
        let denied = classify(
            "fatal: could not read Username for 'https://h': terminal prompts disabled\n",
            "r",
            false,
        );
        assert_eq!(denied.code(), "ACCESS_DENIED");
        let forbidden = classify(
            "fatal: unable to access 'https://h/r/': The requested URL returned error: 403\n",
            "r",
            true,
        );
        assert!(matches!(
            forbidden,
            SourceError::AccessDenied {
                status: 403,
                had_credentials: true,
                ..
            }
        ));
        let missing = classify(
            "fatal: remote error: access denied or repository not exported: /x\n",
            "r",
            false,
        );
        assert_eq!(missing.code(), "REMOTE_NOT_FOUND");
        let other = classify("warning: x\nfatal: unable to connect\n", "r", false);
        assert_eq!(other.to_string(), "cannot fetch r: unable to connect");
    }

    #[test]
    fn summaries_are_one_short_line() {
        assert_eq!(summary("error: a\nfatal: b\nfatal: b\n"), "a; b");
        assert_eq!(
            summary("remote: hi\nfatal: unable to connect to h:\nh[0: ::1]: errno=refused\n"),
            "unable to connect to h:; h[0: ::1]: errno=refused"
        );
        assert_eq!(summary("remote: odd\x1b[31m\n"), "remote: odd\\u{1b}[31m");
        assert_eq!(summary(""), "git failed without saying why");
        let long = summary(&format!("fatal: {}\n", "é".repeat(1000)));
        assert_eq!(long.chars().count(), MAX_SUMMARY + 1);
        assert_eq!(long.lines().count(), 1);
    }
}
