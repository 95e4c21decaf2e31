//! PEP 508 requirement strings (`name[extra]>=1.0; marker`), split into name and
//! version requirement.

use assay_core::Dependency;

use super::dependency;

/// Parses one requirement. The requirement keeps the version specifier (or the
/// `@ url` of a direct reference) as written and drops extras and environment markers.
/// Blank lines, comments and pip options (`-r file`, `--index-url …`) yield `None`.
pub(super) fn parse(spec: &str, scope: &str) -> Option<Dependency> {
    let spec = spec.split(" #").next().unwrap_or(spec).trim();
    if spec.is_empty() || spec.starts_with('#') || spec.starts_with('-') {
        return None;
    }
    let name_end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = spec[name_end..].trim_start();
    if let Some(after_extras) = rest.strip_prefix('[') {
        rest = after_extras
            .split_once(']')
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    let requirement = if rest.starts_with('@') {
        // Direct reference: the URL may itself contain `;` only after a space.
        rest.split(" ;").next().unwrap_or(rest)
    } else {
        rest.split(';').next().unwrap_or(rest)
    };
    let requirement = requirement
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')');
    Some(dependency(name, Some(requirement), scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(spec: &str) -> Option<(String, Option<String>)> {
        parse(spec, "runtime").map(|d| (d.name, d.requirement))
    }

    #[test]
    fn splits_names_extras_specifiers_and_markers() {
        assert_eq!(
            split("requests[socks] >=2.31,<3 ; python_version < '3.13'"),
            Some(("requests".into(), Some(">=2.31,<3".into())))
        );
        assert_eq!(split("mcp"), Some(("mcp".into(), None)));
        assert_eq!(
            split("pkg @ https://example.invalid/pkg.whl"),
            Some((
                "pkg".into(),
                Some("@ https://example.invalid/pkg.whl".into())
            ))
        );
        assert_eq!(
            split("foo (>=1.0)"),
            Some(("foo".into(), Some(">=1.0".into())))
        );
        assert_eq!(split("  # comment"), None);
        assert_eq!(split("-r requirements.txt"), None);
        assert_eq!(split(""), None);
    }
}
