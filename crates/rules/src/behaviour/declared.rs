//! What a tool says about itself: its declared text and the words that admit a capability.

use assay_core::Tool;

use crate::taint::EffectKind;

/// Everything the tool tells the model about itself: name, title, description and
/// parameter descriptions, lower-cased.
pub(super) fn declared_text(tool: &Tool) -> String {
    let mut text = tool.name.replace(['_', '-'], " ");
    for part in [
        tool.annotations.title.as_deref(),
        tool.description.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(
        tool.parameters
            .iter()
            .filter_map(|p| p.description.as_deref()),
    ) {
        text.push(' ');
        text.push_str(part);
    }
    text.to_lowercase()
}

/// Whether `text` contains any of `words` as a whole word (or word prefix ending in `*`).
pub(super) fn mentions_any(text: &str, words: &[&str]) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|word| {
            words.iter().any(|w| match w.strip_suffix('*') {
                Some(prefix) => word.starts_with(prefix),
                None => word == *w,
            })
        })
}

/// Words by which a description admits that a tool runs programs.
pub(super) const EXECUTION_WORDS: &[&str] = &[
    "run*",
    "execut*",
    "exec",
    "command*",
    "shell",
    "script*",
    "process*",
    "spawn*",
    "launch*",
    "invok*",
    "terminal",
    "cli",
    "git",
    "npm",
    "pip",
    "build*",
    "compil*",
    "test*",
    "lint*",
    "install*",
    "docker",
    "kubectl",
    "program*",
    "binary",
    "subprocess",
    "open*",
    "start*",
];

/// Words by which a description admits that a tool talks to other hosts.
pub(super) const NETWORK_WORDS: &[&str] = &[
    "send*",
    "post*",
    "upload*",
    "publish*",
    "notif*",
    "messag*",
    "email*",
    "mail",
    "slack",
    "discord",
    "webhook*",
    "api",
    "apis",
    "http",
    "https",
    "url*",
    "remote",
    "sync*",
    "shar*",
    "submit*",
    "search*",
    "fetch*",
    "request*",
    "download*",
    "web",
    "online",
    "internet",
    "cloud",
    "service*",
    "github",
    "gitlab",
    "jira",
    "translat*",
    "weather",
    "forecast",
    "stock*",
    "news",
    "issue*",
    "repo*",
    "endpoint*",
];

/// Describes an effect kind for messages.
pub(super) fn effect_name(kind: EffectKind) -> &'static str {
    match kind {
        EffectKind::Execute => "runs programs or evaluates code",
        EffectKind::FileWrite => "writes files",
        EffectKind::FileDelete => "deletes files",
        EffectKind::FileRead => "reads files",
        EffectKind::Network => "makes network requests",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_and_prefixes() {
        assert!(mentions_any("runs the linter", EXECUTION_WORDS));
        assert!(mentions_any("executes a query", EXECUTION_WORDS));
        assert!(!mentions_any("adds two numbers", EXECUTION_WORDS));
        assert!(!mentions_any("brunch menu", &["run*"]));
        assert!(mentions_any("posts to slack", NETWORK_WORDS));
    }
}
