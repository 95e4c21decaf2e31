//! The listing columns stored next to a finished scan's report: score, grade, and the
//! package it was (source, package, version), derived from the report's canonical id.

use assay_core::Report;

/// What a listing shows of a finished scan without opening its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// 0–100.
    pub score: u8,
    /// `A`–`F`.
    pub grade: String,
    /// The report's canonical id (`npm:@scope/name@1.2.3`).
    pub canonical_id: String,
    /// The part before the first `:` of the canonical id (`npm`, `pypi`, `github`, `git`,
    /// `docker`, `ghcr`, `oci`, `local`).
    pub source: String,
    /// The package without its version (`@scope/name`, `owner/repo`, `org/image`).
    pub package: String,
    /// The version, commit or image digest, when the target was pinned to one.
    pub version: Option<String>,
}

impl ReportSummary {
    /// The summary of `report`.
    pub fn of(report: &Report) -> ReportSummary {
        let canonical_id = report.target.canonical_id.clone();
        let (source, rest) = canonical_id
            .split_once(':')
            .unwrap_or((report.target.kind.as_str(), canonical_id.as_str()));
        let (package, pinned) = split_version(source, rest);
        let resolved = report.target.resolved.as_ref();
        let version = resolved
            .and_then(|r| r.version.clone().or_else(|| r.commit.clone()))
            .or(pinned.map(str::to_string));
        ReportSummary {
            score: report.score.score,
            grade: report.score.grade.to_string(),
            source: source.to_string(),
            package: package.to_string(),
            version,
            canonical_id,
        }
    }

    /// The source, package and pinned version of a canonical id or a package reference
    /// (`npm:@scope/name@1.2.3` → `npm`, `@scope/name`, `1.2.3`); `None` without a
    /// `source:` prefix.
    pub fn package_of(reference: &str) -> Option<(&str, &str, Option<&str>)> {
        let (source, rest) = reference.split_once(':')?;
        let (package, version) = split_version(source, rest);
        Some((source, package, version))
    }
}

/// Splits `name@version`, `name==version`, `image@sha256:…` or `image:tag` by source.
fn split_version<'a>(source: &str, rest: &'a str) -> (&'a str, Option<&'a str>) {
    match source {
        "pypi" => match rest.split_once("==") {
            Some((name, version)) => (name, Some(version)),
            None => (rest, None),
        },
        "docker" | "ghcr" | "oci" => {
            if let Some(at) = rest.find("@sha256:") {
                (&rest[..at], Some(&rest[at + 1..]))
            } else {
                let name_start = rest.rfind('/').map_or(0, |i| i + 1);
                match rest[name_start..].rfind(':') {
                    Some(colon) => (
                        &rest[..name_start + colon],
                        Some(&rest[name_start + colon + 1..]),
                    ),
                    None => (rest, None),
                }
            }
        }
        "local" => (rest, None),
        _ => match rest.rfind('@') {
            Some(at) if at > 0 => (&rest[..at], Some(&rest[at + 1..])),
            _ => (rest, None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(canonical: &str) -> (String, String, Option<String>) {
        let (source, package, version) = ReportSummary::package_of(canonical).unwrap();
        (source.into(), package.into(), version.map(Into::into))
    }

    #[test]
    fn canonical_ids_split_into_package_and_version() {
        let cases = [
            ("npm:@scope/name@1.2.3", "npm", "@scope/name", Some("1.2.3")),
            ("npm:left-pad@1.0.0", "npm", "left-pad", Some("1.0.0")),
            ("npm:@scope/name", "npm", "@scope/name", None),
            (
                "pypi:mcp-server-git==0.6.2",
                "pypi",
                "mcp-server-git",
                Some("0.6.2"),
            ),
            (
                "github:owner/repo@0123abc",
                "github",
                "owner/repo",
                Some("0123abc"),
            ),
            (
                "git:https://user@host.example/r.git@0123abc",
                "git",
                "https://user@host.example/r.git",
                Some("0123abc"),
            ),
            (
                "docker:org/image@sha256:ab12",
                "docker",
                "org/image",
                Some("sha256:ab12"),
            ),
            (
                "oci://reg.example:5000/repo:1.0",
                "oci",
                "//reg.example:5000/repo",
                Some("1.0"),
            ),
            ("ghcr:org/image", "ghcr", "org/image", None),
            ("local:my-server", "local", "my-server", None),
        ];
        for (canonical, source, package, version) in cases {
            assert_eq!(
                split(canonical),
                (source.into(), package.into(), version.map(Into::into)),
                "{canonical}"
            );
        }
        assert_eq!(ReportSummary::package_of("0b5d-scan-id"), None);
    }
}
