//! `go.mod`: the module path and `require` directives.

use assay_core::PackageInfo;

use super::{dependency, package};

/// Reads a `go.mod`. A file without a `module` directive yields `None`.
pub(super) fn read(path: &str, text: &str) -> Option<PackageInfo> {
    let mut info = package("go", path);
    let mut in_require_block = false;
    let mut in_other_block = false;
    for raw in text.lines() {
        let (code, comment) = match raw.find("//") {
            Some(i) => (&raw[..i], &raw[i + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if in_require_block || in_other_block {
            if code == ")" {
                in_require_block = false;
                in_other_block = false;
            } else if in_require_block {
                push_require(code, comment, &mut info);
            }
            continue;
        }
        let (directive, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
        let rest = rest.trim();
        match directive {
            "module" => info.name = Some(unquote(rest).to_string()),
            "require" if rest == "(" => in_require_block = true,
            "require" => push_require(rest, comment, &mut info),
            _ if rest == "(" => in_other_block = true,
            _ => {}
        }
    }
    info.name.is_some().then_some(info)
}

/// One `path version` requirement; `// indirect` marks a transitive dependency.
fn push_require(spec: &str, comment: &str, info: &mut PackageInfo) {
    let mut fields = spec.split_whitespace();
    let (Some(module), Some(version)) = (fields.next(), fields.next()) else {
        return;
    };
    let indirect = comment.split(';').any(|part| part.trim() == "indirect");
    let scope = if indirect { "indirect" } else { "runtime" };
    info.dependencies
        .push(dependency(unquote(module), Some(version), scope));
}

fn unquote(s: &str) -> &str {
    s.trim()
        .trim_start_matches(['"', '`'])
        .trim_end_matches(['"', '`'])
}

/// One `replace old [version] => new [version]` directive of a `go.mod`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    /// The module being replaced.
    pub old: String,
    /// The replacement: a module path or a local directory (`./x`, `../x`, `/abs`).
    pub new: String,
    /// The replacement's version (absent for local directories).
    pub new_version: Option<String>,
    /// The directive's line in the file (without its comment).
    pub span: std::ops::Range<usize>,
}

impl Replace {
    /// True when the replacement is a directory on disk rather than a module.
    pub fn is_local(&self) -> bool {
        self.new.starts_with("./")
            || self.new.starts_with("../")
            || self.new.starts_with('/')
            || self.new == "."
            || self.new == ".."
    }
}

/// Every `replace` directive of a `go.mod`, single-line or in a `replace ( … )` block.
pub fn replaces(text: &str) -> Vec<Replace> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let code = raw.find("//").map_or(raw, |i| &raw[..i]);
        let trimmed = code.trim();
        let spec = if in_block {
            if trimmed == ")" {
                in_block = false;
                continue;
            }
            trimmed
        } else {
            match trimmed.strip_prefix("replace") {
                Some(rest) if rest.trim() == "(" => {
                    in_block = true;
                    continue;
                }
                Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim(),
                _ => continue,
            }
        };
        let Some((old, new)) = spec.split_once("=>") else {
            continue;
        };
        let mut new_fields = new.split_whitespace().map(unquote);
        let (Some(old), Some(new)) = (old.split_whitespace().next(), new_fields.next()) else {
            continue;
        };
        let lead = code.len() - code.trim_start().len();
        out.push(Replace {
            old: unquote(old).to_string(),
            new: new.to_string(),
            new_version: new_fields.next().map(str::to_string),
            span: line_start + lead..line_start + lead + trimmed.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_replace_directives() {
        let text = "module m\n\nreplace a.io/x => ../x\nreplace (\n\tb.io/y v1.0.0 => c.io/fork/y v1.0.1 // fork\n)\n";
        let got = replaces(text);
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].old.as_str(), got[0].new.as_str()),
            ("a.io/x", "../x")
        );
        assert!(got[0].is_local() && got[0].new_version.is_none());
        assert_eq!(&text[got[0].span.clone()], "replace a.io/x => ../x");
        assert_eq!(got[1].new_version.as_deref(), Some("v1.0.1"));
        assert!(!got[1].is_local());
        assert_eq!(
            &text[got[1].span.clone()],
            "b.io/y v1.0.0 => c.io/fork/y v1.0.1"
        );
    }
}
