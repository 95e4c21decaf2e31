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
