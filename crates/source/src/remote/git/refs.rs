//! Which commit a reference names: the default branch (`HEAD`'s symref), a branch or tag
//! (looked up with `ls-remote`, tags first like git's own lookup), a full commit id
//! (fetched directly), or an abbreviated one (found among the branch and tag tips, else
//! in a tree-less clone of the history).

use std::ffi::OsStr;

use super::Session;
use crate::SourceError;

/// The ref the fetched commit is stored under in the private repository.
pub(super) const TARGET_REF: &str = "refs/assay/target";

/// Branches and tags named in a "not found" hint, each.
const HINT_NAMES: usize = 5;

/// What to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wanted {
    /// The fetch source: a full ref name, `HEAD`, or an object id.
    pub source: String,
    /// The commit, when known before fetching (for the cache).
    pub commit: Option<String>,
    /// The branch or tag name, reported as the resolved version.
    pub version: Option<String>,
    /// The repository's object format, `sha1` or `sha256`.
    pub format: &'static str,
    /// How errors name what is fetched.
    pub what: String,
}

/// What `git ls-remote` printed.
#[derive(Debug, Default)]
struct Listing {
    refs: Vec<RemoteRef>,
    /// Symbolic refs as `(target, name)`: `("refs/heads/main", "HEAD")`.
    symrefs: Vec<(String, String)>,
}

/// One line of `git ls-remote`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RemoteRef {
    oid: String,
    name: String,
}

/// Whether `reference` is a full commit id (SHA-1 or SHA-256).
pub(super) fn is_full_id(reference: &str) -> bool {
    matches!(reference.len(), 40 | 64) && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `reference` could be an abbreviated commit id (7 or more hex digits).
fn is_abbreviated(reference: &str) -> bool {
    (7..64).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The object format of a repository whose ids look like `oid`.
pub(super) fn format_of(oid: &str) -> &'static str {
    if oid.len() == 64 { "sha256" } else { "sha1" }
}

/// Refuses what git would not accept as a branch, tag or commit name (and anything that
/// could be read as an option or a revision expression).
pub(super) fn validate(reference: &str) -> Result<(), SourceError> {
    let bad = reference.is_empty()
        || reference.starts_with(['-', '/', '.'])
        || reference.ends_with(['/', '.'])
        || reference.ends_with(".lock")
        || reference.contains("..")
        || reference.contains("@{")
        || reference.contains("//")
        || reference
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c));
    if bad {
        return Err(SourceError::InvalidTarget {
            input: reference.escape_default().to_string(),
            reason: "not a valid git branch, tag or commit name".into(),
            forms: false,
        });
    }
    Ok(())
}

/// Resolves `reference` (`None`: the default branch).
pub(super) fn resolve(
    session: &Session<'_>,
    reference: Option<&str>,
) -> Result<Wanted, SourceError> {
    let name = &session.repository.name;
    match reference {
        None => default_branch(session),
        Some(id) if is_full_id(id) => {
            let id = id.to_ascii_lowercase();
            Ok(Wanted {
                what: format!("commit {id} of {name}"),
                format: format_of(&id),
                source: id.clone(),
                commit: Some(id),
                version: None,
            })
        }
        Some(reference) => named(session, reference),
    }
}

fn default_branch(session: &Session<'_>) -> Result<Wanted, SourceError> {
    let name = &session.repository.name;
    let Listing { refs, symrefs } = ls_remote(session, &["--symref"], &["HEAD"])?;
    let head =
        refs.iter()
            .find(|r| r.name == "HEAD")
            .ok_or_else(|| SourceError::RemoteNotFound {
                what: format!("the default branch of {name}"),
                hint: Some("the repository has no commits".into()),
            })?;
    let branch = symrefs
        .iter()
        .find(|(_, from)| from == "HEAD")
        .map(|(to, _)| to.strip_prefix("refs/heads/").unwrap_or(to).to_string());
    Ok(Wanted {
        source: "HEAD".into(),
        commit: Some(head.oid.clone()),
        format: format_of(&head.oid),
        what: format!("the default branch of {name}"),
        version: branch,
    })
}

fn named(session: &Session<'_>, reference: &str) -> Result<Wanted, SourceError> {
    let name = &session.repository.name;
    let refs = ls_remote(session, &[], &[reference])?.refs;
    let candidates = [
        reference.to_string(),
        format!("refs/tags/{reference}"),
        format!("refs/heads/{reference}"),
    ];
    let found = candidates
        .iter()
        .find_map(|c| refs.iter().find(|r| &r.name == c));
    if let Some(found) = found {
        let peeled = format!("{}^{{}}", found.name);
        let commit = refs
            .iter()
            .find(|r| r.name == peeled)
            .unwrap_or(found)
            .oid
            .clone();
        return Ok(Wanted {
            source: found.name.clone(),
            format: format_of(&commit),
            commit: Some(commit),
            version: Some(reference.to_string()),
            what: format!("reference `{reference}` of {name}"),
        });
    }
    let listing = ls_remote(session, &["--heads", "--tags"], &[])?.refs;
    if is_abbreviated(reference) {
        return abbreviated(session, reference, &listing);
    }
    Err(not_found(reference, name, &listing))
}

/// An abbreviated commit id: a branch or tag tip when one matches, else looked up in a
/// clone of the history without trees (`--filter=tree:0`; a server without filters
/// sends everything, still under the download cap).
fn abbreviated(
    session: &Session<'_>,
    prefix: &str,
    listing: &[RemoteRef],
) -> Result<Wanted, SourceError> {
    let name = &session.repository.name;
    let prefix = prefix.to_ascii_lowercase();
    let mut tips: Vec<&str> = listing
        .iter()
        .map(|r| r.oid.as_str())
        .filter(|oid| oid.starts_with(&prefix))
        .collect();
    tips.sort_unstable();
    tips.dedup();
    let id = match tips.as_slice() {
        [one] => (*one).to_string(),
        [] => session.find_in_history(&prefix, || not_found(&prefix, name, listing))?,
        _ => return Err(ambiguous(&prefix, name)),
    };
    Ok(Wanted {
        what: format!("commit {id} of {name}"),
        format: format_of(&id),
        source: id,
        commit: None,
        version: None,
    })
}

/// The error for an abbreviated id that more than one object starts with.
pub(super) fn ambiguous(prefix: &str, name: &str) -> SourceError {
    SourceError::InvalidTarget {
        input: prefix.to_string(),
        reason: format!("more than one object of {name} starts with it; give more digits"),
        forms: false,
    }
}

/// "Reference not found", with a few branches and tags that exist.
fn not_found(reference: &str, name: &str, listing: &[RemoteRef]) -> SourceError {
    let short = |prefix: &str| -> Vec<&str> {
        listing
            .iter()
            .filter_map(|r| r.name.strip_prefix(prefix))
            .filter(|n| !n.ends_with("^{}"))
            .collect()
    };
    let mut parts = Vec::new();
    for (label, names) in [
        ("branches", short("refs/heads/")),
        ("tags", short("refs/tags/")),
    ] {
        if names.is_empty() {
            continue;
        }
        let more = names.len().saturating_sub(HINT_NAMES);
        let mut shown: Vec<String> = names
            .iter()
            .take(HINT_NAMES)
            .map(|n| n.escape_default().to_string())
            .collect();
        if more > 0 {
            shown.push(format!("and {more} more"));
        }
        parts.push(format!("{label}: {}", shown.join(", ")));
    }
    let hint = if parts.is_empty() {
        "the repository has no branches or tags".to_string()
    } else {
        parts.join("; ")
    };
    SourceError::RemoteNotFound {
        what: format!("reference `{}` of {name}", reference.escape_default()),
        hint: Some(hint),
    }
}

/// `git ls-remote <options> -- <url> <patterns>`.
fn ls_remote(
    session: &Session<'_>,
    options: &[&str],
    patterns: &[&str],
) -> Result<Listing, SourceError> {
    let repository = &session.repository;
    let mut args: Vec<&OsStr> = vec![OsStr::new("ls-remote")];
    args.extend(options.iter().map(OsStr::new));
    args.push(OsStr::new("--"));
    args.push(OsStr::new(&repository.url));
    args.extend(patterns.iter().map(OsStr::new));
    let out = session
        .git
        .output(None, &args, session.metadata_cap(), &repository.name, None)?
        .into_result(&repository.name, session.had_credentials())?;
    parse_ls_remote(&String::from_utf8_lossy(&out)).map_err(|reason| SourceError::Unusable {
        what: repository.name.clone(),
        reason,
    })
}

/// Parses `<oid>\t<name>` lines and `ref: <target>\t<name>` symref lines.
fn parse_ls_remote(text: &str) -> Result<Listing, String> {
    let mut listing = Listing::default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (left, name) = line
            .split_once('\t')
            .ok_or_else(|| "git ls-remote printed a line without a tab".to_string())?;
        if let Some(target) = left.strip_prefix("ref: ") {
            listing.symrefs.push((target.to_string(), name.to_string()));
        } else if is_full_id(left) {
            listing.refs.push(RemoteRef {
                oid: left.to_ascii_lowercase(),
                name: name.to_string(),
            });
        } else {
            return Err("the server listed a ref with an invalid object id".into());
        }
    }
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_remote_lines() {
        let a = "a".repeat(40);
        let text = format!("ref: refs/heads/main\tHEAD\n{a}\tHEAD\n{a}\trefs/heads/main\n");
        let listing = parse_ls_remote(&text).unwrap();
        assert_eq!(listing.refs.len(), 2);
        assert_eq!(
            listing.symrefs,
            vec![("refs/heads/main".into(), "HEAD".into())]
        );
        assert!(parse_ls_remote("zz\tHEAD\n").is_err());
        assert!(parse_ls_remote("no tab\n").is_err());
    }

    #[test]
    fn reference_names() {
        for ok in ["main", "v1.2.3", "feature/x", "deadbeef", "refs/heads/main"] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "-x", "a..b", "a b", "x~1", "x^{}", "a:b", "*", "x.lock", "/x", "x/", "@{-1}",
            "a\\b",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert!(is_full_id(&"A".repeat(40)));
        assert!(is_full_id(&"0".repeat(64)));
        assert!(!is_full_id(&"0".repeat(41)));
        assert!(is_abbreviated("abc1234"));
        assert!(!is_abbreviated("abc123"));
        assert!(!is_abbreviated("main123"));
    }

    #[test]
    fn hints_name_a_few_branches_and_tags() {
        let oid = "b".repeat(40);
        let mut listing: Vec<RemoteRef> = (0..7)
            .map(|i| RemoteRef {
                oid: oid.clone(),
                name: format!("refs/tags/v{i}"),
            })
            .collect();
        listing.push(RemoteRef {
            oid: oid.clone(),
            name: "refs/tags/v0^{}".into(),
        });
        listing.push(RemoteRef {
            oid,
            name: "refs/heads/main".into(),
        });
        let error = not_found("nope", "github:o/r", &listing).to_string();
        assert_eq!(
            error,
            "reference `nope` of github:o/r not found: branches: main; tags: v0, v1, v2, v3, v4, and 2 more"
        );
        let empty = not_found("x", "git:u", &[]).to_string();
        assert!(
            empty.ends_with("the repository has no branches or tags"),
            "{empty}"
        );
    }
}
