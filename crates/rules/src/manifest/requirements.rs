//! pip requirement files (`requirements.txt`, `requirements-dev.txt`,
//! `requirements/base.txt`, …): one requirement or option per logical line, with
//! positions, so rules can point at the line that names a source.

use std::ops::Range;

use assay_core::Dependency;

use super::pep508;

/// What one logical line of a requirement file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A PEP 508 requirement (`name>=1`, `name @ https://…`).
    Requirement(Dependency),
    /// A bare URL or path requirement, `-e`/`--editable` included
    /// (`git+https://host/repo@ref#egg=name`, `https://host/pkg.whl`, `./local`).
    Direct {
        /// The project name from `#egg=name`, if given.
        name: Option<String>,
        /// The URL or path, fragment included.
        source: String,
        /// Installed in editable mode.
        editable: bool,
    },
    /// A pip option that changes where packages come from.
    Source {
        /// The option, normalised: `index-url`, `extra-index-url`, `find-links` or
        /// `trusted-host`.
        option: &'static str,
        /// Its value.
        value: String,
    },
}

/// One entry and the byte range of its logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The entry.
    pub entry: Entry,
    /// The line, trimmed, without its comment.
    pub span: Range<usize>,
}

/// Options with a value, short and long spellings, and what they normalise to.
const SOURCE_OPTIONS: &[(&str, &str)] = &[
    ("-i", "index-url"),
    ("--index-url", "index-url"),
    ("--extra-index-url", "extra-index-url"),
    ("-f", "find-links"),
    ("--find-links", "find-links"),
    ("--trusted-host", "trusted-host"),
];

/// True for pip requirement files: `requirements*.txt`, `*requirements.txt`,
/// `*.txt` under a `requirements/` directory, and `constraints*.txt`.
pub fn is_requirements_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or("");
    let parent = parts.next().unwrap_or("");
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    stem.starts_with("requirements")
        || stem.ends_with("requirements")
        || stem.starts_with("constraints")
        || parent == "requirements"
}

/// Reads the entries of a requirement file. Unknown options, `-r`/`-c` includes,
/// comments and blank lines are skipped.
pub fn read(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut logical = String::new();
    let mut logical_start = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        logical_start.get_or_insert(start + lead);
        match content.strip_suffix('\\') {
            Some(continued) => logical.push_str(continued),
            None => {
                logical.push_str(content);
                let begin = logical_start.take().unwrap_or(start);
                if let Some(line) = parse_line(&logical, begin, start + content.len()) {
                    out.push(line);
                }
                logical.clear();
            }
        }
    }
    out
}

/// Parses one logical line spanning `begin..end` of the file.
fn parse_line(logical: &str, begin: usize, end: usize) -> Option<Line> {
    // A comment starts at `#` at the line start or after whitespace (pip's rule), so
    // `#egg=` fragments survive.
    let code = match logical.find(" #").or_else(|| logical.find("\t#")) {
        Some(i) => &logical[..i],
        None if logical.trim_start().starts_with('#') => "",
        None => logical,
    };
    let code = code.trim();
    if code.is_empty() {
        return None;
    }
    let span = begin..end.max(begin);
    let entry = if code.starts_with('-') {
        option_entry(code)?
    } else if looks_like_direct(code) {
        direct(code, false)
    } else {
        Entry::Requirement(pep508::parse(code, "runtime")?)
    };
    Some(Line { entry, span })
}

/// `-i URL`, `--index-url=URL`, `-e URL`, …
fn option_entry(code: &str) -> Option<Entry> {
    let (flag, value) = match code.split_once(['=', ' ', '\t']) {
        Some((flag, value)) => (flag, value.trim()),
        None => (code, ""),
    };
    if matches!(flag, "-e" | "--editable") {
        return (!value.is_empty()).then(|| direct(value, true));
    }
    let option = SOURCE_OPTIONS
        .iter()
        .find(|(spelling, _)| *spelling == flag)
        .map(|(_, option)| *option)?;
    (!value.is_empty()).then(|| Entry::Source {
        option,
        value: value.to_string(),
    })
}

/// A requirement given as a URL or a path rather than a name.
fn looks_like_direct(code: &str) -> bool {
    let first = code.split_whitespace().next().unwrap_or("");
    (first.contains("://") && !first.contains('@') || first.starts_with("git+"))
        || code.starts_with(['.', '/'])
        || code.starts_with("file:")
}

fn direct(source: &str, editable: bool) -> Entry {
    let name = source
        .split_once("#egg=")
        .map(|(_, egg)| egg.split(['&', ' ']).next().unwrap_or(egg).to_string())
        .filter(|n| !n.is_empty());
    Entry::Direct {
        name,
        source: source.to_string(),
        editable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_requirement_files() {
        for path in [
            "requirements.txt",
            "app/requirements-dev.txt",
            "dev-requirements.txt",
            "requirements/base.txt",
            "constraints.txt",
        ] {
            assert!(is_requirements_file(path), "{path}");
        }
        for path in ["README.txt", "requirements.in", "src/notes.txt"] {
            assert!(!is_requirements_file(path), "{path}");
        }
    }

    #[test]
    fn reads_requirements_urls_and_options() {
        let text = "# deps\nmcp>=1.2  # sdk\n--extra-index-url https://pkgs.internal/simple\n-e git+https://git.host/o/r@main#egg=tool\npkg @ https://files.host/pkg-1.0.tar.gz\nhttpx \\\n  >=0.27\n-r other.txt\n";
        let lines = read(text);
        let kinds: Vec<String> = lines
            .iter()
            .map(|l| match &l.entry {
                Entry::Requirement(d) => format!("req {} {:?}", d.name, d.requirement),
                Entry::Direct {
                    name,
                    source,
                    editable,
                } => format!("direct {name:?} {source} {editable}"),
                Entry::Source { option, value } => format!("{option} {value}"),
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "req mcp Some(\">=1.2\")".to_string(),
                "extra-index-url https://pkgs.internal/simple".to_string(),
                "direct Some(\"tool\") git+https://git.host/o/r@main#egg=tool true".to_string(),
                "req pkg Some(\"@ https://files.host/pkg-1.0.tar.gz\")".to_string(),
                "req httpx Some(\">=0.27\")".to_string(),
            ]
        );
        assert_eq!(
            &text[lines[1].span.clone()],
            "--extra-index-url https://pkgs.internal/simple"
        );
        assert_eq!(&text[lines[4].span.clone()], "httpx \\\n  >=0.27");
    }
}
