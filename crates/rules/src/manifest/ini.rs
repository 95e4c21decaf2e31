//! A small INI reader for `setup.cfg`: `[section]` headers, `key = value` or `key: value`
//! pairs, indented continuation lines, `#`/`;` comment lines.

/// One `key = value` entry; continuation lines are joined with `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// Section name, as written (without brackets).
    pub section: String,
    /// Key, trimmed.
    pub key: String,
    /// Value, trimmed, with continuation lines.
    pub value: String,
}

/// Parses `text` into entries, in file order. Lines that fit nowhere are skipped.
pub(super) fn parse(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section = String::new();
    // Whether the last line started an entry that indented lines may continue.
    let mut open = false;
    for line in text.lines() {
        let trimmed = line.trim();
        let indented = line.starts_with([' ', '\t']);
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with(['#', ';']) {
            continue;
        }
        if indented && open {
            if let Some(last) = entries.last_mut() {
                if !last.value.is_empty() {
                    last.value.push('\n');
                }
                last.value.push_str(trimmed);
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.trim().to_string();
            open = false;
            continue;
        }
        match trimmed.find(['=', ':']) {
            Some(split) => {
                entries.push(Entry {
                    section: section.clone(),
                    key: trimmed[..split].trim().to_string(),
                    value: trimmed[split + 1..].trim().to_string(),
                });
                open = true;
            }
            None => open = false,
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_pairs_and_continuations() {
        let entries = parse(
            "[metadata]\nname = demo\n# c\n[options]\ninstall_requires =\n    a>=1\n    b\nzip_safe: false\n",
        );
        let pairs: Vec<_> = entries
            .iter()
            .map(|e| (e.section.as_str(), e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("metadata", "name", "demo"),
                ("options", "install_requires", "a>=1\nb"),
                ("options", "zip_safe", "false"),
            ]
        );
    }
}
