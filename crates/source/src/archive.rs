//! What tar and zip readers share: member kinds, the wrapping top-level directory, and
//! turning a member's raw name into the path it is read at.

use assay_core::SkipReason;

use crate::path::{EMPTY_NAME, escape_name, normalise_archive_path};
use crate::recorder::Recorder;

/// What an archive member is, as far as reading goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Member {
    /// Regular file: read.
    File,
    /// Directory: nothing to read.
    Directory,
    /// Symbolic or hard link: recorded with its target, never followed.
    Link(SkipReason),
    /// Device, FIFO, socket or unknown type: recorded with what it is.
    Special(String),
    /// Archive metadata (e.g. global tar attributes): not content.
    Metadata,
}

impl Member {
    /// The member kind of a Unix file mode, `None` for a regular file or no type bits.
    pub(crate) fn from_unix_mode(mode: u32) -> Option<Member> {
        match mode & 0o170_000 {
            0o040_000 => Some(Member::Directory),
            0o120_000 => Some(Member::Link(SkipReason::Symlink)),
            0o020_000 => Some(Member::Special("character device".into())),
            0o060_000 => Some(Member::Special("block device".into())),
            0o010_000 => Some(Member::Special("FIFO".into())),
            0o140_000 => Some(Member::Special("socket".into())),
            _ => None,
        }
    }
}

/// `path` without the wrapping directory `top`: the directory itself becomes the root
/// (`""`), paths under it lose the prefix, other paths are kept whole.
pub(crate) fn strip_top(top: &str, path: String, is_dir: bool) -> String {
    if path == top && is_dir {
        return String::new();
    }
    match path
        .strip_prefix(top)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        Some(rest) => rest.to_owned(),
        None => path,
    }
}

/// The path a member is read at: `raw` normalised, passed through `strip`, and checked
/// against excludes and the depth limit. `None` when the member is recorded as refused or
/// pruned, or has nothing to read (a directory). `strip` sees every well-formed name,
/// directories included.
pub(crate) fn member_path(
    recorder: &mut Recorder,
    raw: &[u8],
    member: &Member,
    strip: impl FnOnce(String) -> String,
) -> Option<String> {
    let path = match normalise_archive_path(raw) {
        Ok(path) => strip(path),
        Err(rejection) => {
            recorder.reject(&escape_name(raw), rejection);
            return None;
        }
    };
    match member {
        // Nothing to read: an excluded directory is recorded when a member under it
        // turns up, and an empty one needs no record at all.
        Member::Directory | Member::Metadata => return None,
        _ if path.is_empty() => {
            recorder.reject(&escape_name(raw), EMPTY_NAME);
            return None;
        }
        _ => {}
    }
    if recorder.pruned(&path) {
        return None;
    }
    Some(path)
}

/// Records a member that is neither a file nor a directory; `link_target` is the raw
/// target of a link.
pub(crate) fn record_non_file(
    recorder: &mut Recorder,
    path: &str,
    member: Member,
    link_target: Option<&[u8]>,
) {
    match member {
        Member::Link(reason) => {
            let target = link_target.map(|t| format!("-> {}", escape_name(t)));
            recorder.skip(path, reason, target);
        }
        Member::Special(kind) => recorder.skip(path, SkipReason::SpecialFile, Some(kind)),
        Member::File | Member::Directory | Member::Metadata => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_under_the_top_directory() {
        assert_eq!(strip_top("package", "package/a.js".into(), false), "a.js");
        assert_eq!(strip_top("package", "package".into(), true), "");
        assert_eq!(strip_top("package", "package".into(), false), "package");
        assert_eq!(
            strip_top("package", "packagex/a.js".into(), false),
            "packagex/a.js"
        );
        assert_eq!(
            strip_top("package", "other/a.js".into(), false),
            "other/a.js"
        );
    }

    #[test]
    fn unix_modes() {
        assert_eq!(Member::from_unix_mode(0o100_644), None);
        assert_eq!(Member::from_unix_mode(0o644), None);
        assert_eq!(
            Member::from_unix_mode(0o120_777),
            Some(Member::Link(SkipReason::Symlink))
        );
        assert_eq!(Member::from_unix_mode(0o040_755), Some(Member::Directory));
        assert_eq!(
            Member::from_unix_mode(0o010_644),
            Some(Member::Special("FIFO".into()))
        );
    }
}
