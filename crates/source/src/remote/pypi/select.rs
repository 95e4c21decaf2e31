//! Which file of a project to fetch: the version the spec names, then the artifact of
//! that version Assay reads best.
//!
//! Versions come from file names (`name-1.2.tar.gz`, `name-1.2-py3-none-any.whl`), read
//! with PEP 440 (so `1.0` and `1.0.0` are one version, `1.0rc1 < 1.0 < 1.0.post1`). As
//! pip does: without a spec, the newest final release; prereleases only when a
//! specifier names one or nothing else matches; yanked files (PEP 592) only for an exact
//! `==`/`===` pin that nothing else satisfies. Of the chosen version's files the sdist is
//! preferred (source is what is analysed; `.tar.gz` before `.zip`), else a pure wheel
//! (`py3` before other `none-any` ones), else any other wheel; the file must have a
//! published digest.

use std::str::FromStr;

use pep440_rs::{Operator, Version, VersionSpecifiers};

use super::simple::IndexFile;
use crate::{Digest, SourceError};

/// The file chosen.
#[derive(Debug)]
pub(super) struct Chosen<'a> {
    /// The file.
    pub file: &'a IndexFile,
    /// Its version.
    pub version: Version,
    /// The digest the index publishes for it.
    pub digest: &'a Digest,
}

/// Most versions named in a hint.
const HINT_ITEMS: usize = 5;

/// A listed file that is a distribution of the project.
struct Candidate<'a> {
    file: &'a IndexFile,
    version: Version,
    /// Lower is preferred.
    rank: u8,
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_` and `.` made one `-`.
pub(super) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The version and preference rank of `filename` when it is an sdist or wheel of
/// `project` (normalised), in a format Assay reads.
fn distribution(filename: &str, project: &str) -> Option<(Version, u8)> {
    let plain = filename
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.+!".contains(&b));
    if !plain || filename.len() > 255 {
        return None;
    }
    let lower = filename.to_ascii_lowercase();
    let sdist = [(".tar.gz", 0u8), (".zip", 1)]
        .into_iter()
        .find(|(ext, _)| lower.ends_with(ext));
    if let Some((ext, rank)) = sdist {
        // The name may contain `-`: the version follows the `-` after which the
        // prefix is the project's name.
        let stem = &filename[..filename.len() - ext.len()];
        return stem
            .match_indices('-')
            .find(|(i, _)| normalize(&stem[..*i]) == project)
            .and_then(|(i, _)| Version::from_str(&stem[i + 1..]).ok())
            .map(|version| (version, rank));
    }
    if !lower.ends_with(".whl") {
        return None;
    }
    let stem = &filename[..filename.len() - ".whl".len()];
    let parts: Vec<&str> = stem.split('-').collect();
    if !(5..=6).contains(&parts.len()) || normalize(parts[0]) != project {
        return None;
    }
    let version = Version::from_str(parts[1]).ok()?;
    let (python, abi, platform) = (
        parts[parts.len() - 3],
        parts[parts.len() - 2],
        parts[parts.len() - 1],
    );
    let rank = match (abi, platform) {
        ("none", "any") if python.split('.').any(|tag| tag == "py3") => 2,
        ("none", "any") => 3,
        _ => 4,
    };
    Some((version, rank))
}

/// Chooses the file to fetch from the `files` listed for `project` (normalised), as
/// `spec` asks (see the module docs).
pub(super) fn choose<'a>(
    files: &'a [IndexFile],
    project: &str,
    spec: Option<&str>,
) -> Result<Chosen<'a>, SourceError> {
    let candidates: Vec<Candidate<'a>> = files
        .iter()
        .filter_map(|file| {
            let (version, rank) = distribution(&file.filename, project)?;
            Some(Candidate {
                file,
                version,
                rank,
            })
        })
        .collect();
    if candidates.is_empty() {
        return Err(SourceError::RemoteNotFound {
            what: format!("PyPI project {project}"),
            hint: Some("the index lists no sdist or wheel of it".into()),
        });
    }
    let specifiers = specifiers(project, spec)?;
    let version =
        pick_version(&candidates, &specifiers).ok_or_else(|| SourceError::RemoteNotFound {
            what: match spec {
                Some(spec) => format!(
                    "version `{}` of PyPI project {project}",
                    spec.escape_default()
                ),
                None => format!("a release of PyPI project {project}"),
            },
            hint: Some(hint(&candidates)),
        })?;
    let yanked_ok = candidates
        .iter()
        .filter(|c| c.version == version)
        .all(|c| c.file.yanked);
    let mut files: Vec<&Candidate<'a>> = candidates
        .iter()
        .filter(|c| c.version == version && (yanked_ok || !c.file.yanked))
        .collect();
    files.sort_by(|a, b| (a.rank, &a.file.filename).cmp(&(b.rank, &b.file.filename)));
    let (file, digest) = files
        .iter()
        .find_map(|c| c.file.digest.as_ref().map(|digest| (c.file, digest)))
        .ok_or_else(|| SourceError::Unusable {
            what: files[0].file.filename.clone(),
            reason: "unverifiable: the index publishes no sha256 for it".into(),
        })?;
    Ok(Chosen {
        file,
        version,
        digest,
    })
}

/// The spec as PEP 440 specifiers: a bare version means `==version`.
fn specifiers(project: &str, spec: Option<&str>) -> Result<VersionSpecifiers, SourceError> {
    let Some(spec) = spec.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(VersionSpecifiers::empty());
    };
    let text = if spec.starts_with(|c: char| c.is_ascii_digit()) {
        format!("=={spec}")
    } else {
        spec.to_string()
    };
    VersionSpecifiers::from_str(&text).map_err(|e| SourceError::InvalidTarget {
        input: format!("pypi:{project}{}", text.escape_default()),
        reason: format!(
            "not a PEP 440 version or specifier: {}",
            e.to_string().lines().next().unwrap_or_default()
        ),
        forms: false,
    })
}

/// The newest version satisfying `specifiers`: finals first, then prereleases, then
/// (for an exact pin) yanked versions.
fn pick_version(candidates: &[Candidate<'_>], specifiers: &VersionSpecifiers) -> Option<Version> {
    let names_prerelease = specifiers.iter().any(|s| s.any_prerelease());
    let exact_pin = specifiers.len() == 1
        && matches!(
            specifiers[0].operator(),
            Operator::Equal | Operator::ExactEqual
        );
    let newest = |allow_yanked: bool, allow_pre: bool| {
        candidates
            .iter()
            .filter(|c| allow_yanked || !c.file.yanked)
            .filter(|c| allow_pre || !c.version.any_prerelease())
            .filter(|c| specifiers.contains(&c.version))
            .map(|c| &c.version)
            .max()
            .cloned()
    };
    newest(false, names_prerelease)
        .or_else(|| newest(false, true))
        .or_else(|| exact_pin.then(|| newest(true, true)).flatten())
}

/// The newest versions listed (yanked ones marked), for a not-found error.
fn hint(candidates: &[Candidate<'_>]) -> String {
    let mut versions: Vec<(&Version, bool)> = Vec::new();
    for c in candidates {
        match versions.iter_mut().find(|(v, _)| **v == c.version) {
            Some((_, all_yanked)) => *all_yanked &= c.file.yanked,
            None => versions.push((&c.version, c.file.yanked)),
        }
    }
    versions.sort_by(|a, b| b.0.cmp(a.0));
    let shown: Vec<String> = versions
        .iter()
        .take(HINT_ITEMS)
        .map(|(v, yanked)| {
            if *yanked {
                format!("{v} (yanked)")
            } else {
                v.to_string()
            }
        })
        .collect();
    format!("newest versions: {}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(filename: &str, yanked: bool) -> IndexFile {
        IndexFile {
            filename: filename.into(),
            url: format!("https://files.example/{filename}"),
            digest: Digest::from_hex("sha256", &"a".repeat(64)),
            yanked,
        }
    }

    fn listing() -> Vec<IndexFile> {
        vec![
            file("demo_mcp-0.9.tar.gz", false),
            file("Demo.MCP-1.0.tar.gz", false),
            file("demo_mcp-1.0-py3-none-any.whl", false),
            file("demo_mcp-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", false),
            file("demo_mcp-1.1-py2.py3-none-any.whl", false),
            file("demo_mcp-1.1-cp312-cp312-win_amd64.whl", false),
            file("demo_mcp-1.2.zip", false),
            file("demo_mcp-1.3.tar.gz", true),
            file("demo_mcp-2.0rc1.tar.gz", false),
            file("demo_mcp-1.0.tar.bz2", false),
            file("other_project-9.0.tar.gz", false),
            file("demo_mcp-not.a.version.tar.gz", false),
        ]
    }

    fn pick(spec: Option<&str>) -> (String, String) {
        let files = listing();
        let chosen = choose(&files, "demo-mcp", spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
        (chosen.version.to_string(), chosen.file.filename.clone())
    }

    #[test]
    fn newest_final_non_yanked_by_default() {
        assert_eq!(pick(None), ("1.2".into(), "demo_mcp-1.2.zip".into()));
    }

    #[test]
    fn exact_versions_and_specifiers() {
        assert_eq!(pick(Some("1.0")).0, "1.0");
        assert_eq!(pick(Some("1.0.0")).0, "1.0");
        assert_eq!(pick(Some("==0.9")).0, "0.9");
        assert_eq!(pick(Some(">=1,<1.2")).0, "1.1");
        assert_eq!(pick(Some("~=1.0")).0, "1.2");
        assert_eq!(pick(Some("==1.*")).0, "1.2");
        assert_eq!(pick(Some("!=1.2,<2")).0, "1.1");
        // A specifier naming a prerelease admits prereleases.
        assert_eq!(pick(Some(">=2.0rc1")).0, "2.0rc1");
        // So does a range nothing final satisfies.
        assert_eq!(pick(Some(">1.3")).0, "2.0rc1");
        // A yanked release only for an exact pin.
        assert_eq!(
            pick(Some("1.3")),
            ("1.3".into(), "demo_mcp-1.3.tar.gz".into())
        );
        let files = listing();
        let error = choose(&files, "demo-mcp", Some(">=1.3,<2.0rc1")).unwrap_err();
        assert_eq!(error.code(), "REMOTE_NOT_FOUND");
    }

    #[test]
    fn sdist_then_pure_wheel_then_any_wheel() {
        assert_eq!(pick(Some("1.0")).1, "Demo.MCP-1.0.tar.gz");
        assert_eq!(pick(Some("1.1")).1, "demo_mcp-1.1-py2.py3-none-any.whl");
        let files = vec![
            file("demo_mcp-3.0-cp312-cp312-win_amd64.whl", false),
            file("demo_mcp-3.0-cp311-cp311-win_amd64.whl", false),
        ];
        let chosen = choose(&files, "demo-mcp", None).unwrap();
        assert_eq!(
            chosen.file.filename,
            "demo_mcp-3.0-cp311-cp311-win_amd64.whl"
        );
    }

    #[test]
    fn a_file_without_digest_is_passed_over_and_none_at_all_refused() {
        let mut files = vec![
            file("demo_mcp-1.0.tar.gz", false),
            file("demo_mcp-1.0-py3-none-any.whl", false),
        ];
        files[0].digest = None;
        let chosen = choose(&files, "demo-mcp", None).unwrap();
        assert_eq!(chosen.file.filename, "demo_mcp-1.0-py3-none-any.whl");
        files[1].digest = None;
        let error = choose(&files, "demo-mcp", None).unwrap_err();
        assert_eq!(error.code(), "REMOTE_UNUSABLE");
        assert!(
            error
                .to_string()
                .starts_with("demo_mcp-1.0.tar.gz: unverifiable"),
            "{error}"
        );
    }

    #[test]
    fn not_found_lists_the_newest_versions() {
        let files = listing();
        let error = choose(&files, "demo-mcp", Some(">=3")).unwrap_err();
        assert_eq!(error.code(), "REMOTE_NOT_FOUND");
        let message = error.to_string();
        assert!(
            message.contains("version `>=3` of PyPI project demo-mcp"),
            "{message}"
        );
        assert!(
            message.contains("newest versions: 2.0rc1, 1.3 (yanked), 1.2, 1.1, 1.0"),
            "{message}"
        );
        let error = choose(&files, "absent", None).unwrap_err();
        assert!(error.to_string().contains("no sdist or wheel"), "{error}");
        let error = choose(&files, "demo-mcp", Some(">=>1")).unwrap_err();
        assert_eq!(error.code(), "INVALID_TARGET");
        assert_eq!(error.to_string().lines().count(), 1);
    }

    #[test]
    fn pep_440_ordering_and_normalisation() {
        let mut versions: Vec<Version> = [
            "1.0.post1",
            "1.0rc1",
            "1.0",
            "1.0.dev0",
            "1.0a1",
            "0.9",
            "1!0.1",
        ]
        .iter()
        .map(|v| Version::from_str(v).unwrap())
        .collect();
        versions.sort();
        let shown: Vec<String> = versions.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "0.9",
                "1.0.dev0",
                "1.0a1",
                "1.0rc1",
                "1.0",
                "1.0.post1",
                "1!0.1"
            ]
        );
        assert_eq!(normalize("Demo__MCP.-server"), "demo-mcp-server");
        assert_eq!(
            distribution("demo-mcp-server-1.0.tar.gz", "demo-mcp-server").map(|d| d.0.to_string()),
            Some("1.0".into())
        );
        assert_eq!(
            distribution("demo-1.0-1-py3-none-any.whl", "demo").map(|d| d.1),
            Some(2)
        );
        assert!(distribution("demo-1.0.tar.gz/../x", "demo").is_none());
        assert!(distribution("demo-1.0.exe", "demo").is_none());
    }
}
