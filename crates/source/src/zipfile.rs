//! Zip archives (`.zip`, `.whl`, zip sdists), read member by member through the central
//! directory without writing anything to disk.
//!
//! All names are known up front, so a wrapping top-level directory is stripped only when
//! every member lies under the same one (a zip sdist's `name-1.2.3/`); wheels, whose
//! packages sit beside a `.dist-info` directory, keep their paths.
//!
//! Decompression bombs are caught twice: a member may not expand beyond the configured
//! ratio of its compressed size, and the archive's members together not beyond that
//! ratio of the archive's size (which also catches overlapping-member bombs).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use assay_core::SkipReason;
use zip::ZipArchive;
use zip::read::ZipFile;

use crate::SourceError;
use crate::archive::{Member, member_path, record_non_file, strip_top};
use crate::path::{escape_name, normalise_archive_path};
use crate::reader::Backend;
use crate::recorder::Recorder;

/// Longest link target read from a symlink member, for the report.
const MAX_LINK_TARGET: u64 = 4096;

/// Reads a zip archive.
pub(crate) struct ZipBackend {
    archive: ZipArchive<BufReader<File>>,
    archive_len: u64,
    /// Raw names listed more than once in the central directory, with their count: the
    /// zip library keeps only the last member of each name.
    repeated: HashMap<Vec<u8>, usize>,
    /// The wrapping directory every member lies under, if any.
    top: Option<String>,
}

/// Opens the zip archive at `path` and reads its central directory.
pub(crate) fn open(path: &Path) -> Result<ZipBackend, SourceError> {
    let shown = path.display().to_string();
    let unreadable = |e: io::Error| SourceError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let corrupt = |reason: String| SourceError::CorruptArchive {
        path: shown.clone(),
        format: "zip",
        reason,
    };
    let file = File::open(path).map_err(unreadable)?;
    let archive_len = file.metadata().map_err(unreadable)?.len();
    let mut listing = BufReader::new(file.try_clone().map_err(unreadable)?);
    let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    let names = central_directory_names(&mut listing, archive.central_directory_start())
        .map_err(|e| corrupt(format!("unreadable central directory: {e}")))?;
    let mut counts: HashMap<Vec<u8>, usize> = HashMap::new();
    for name in &names {
        *counts.entry(name.clone()).or_default() += 1;
    }
    counts.retain(|_, count| *count > 1);
    Ok(ZipBackend {
        archive,
        archive_len,
        repeated: counts,
        top: common_top_dir(&names),
    })
}

const CENTRAL_HEADER_SIGNATURE: &[u8] = b"PK\x01\x02";
const CENTRAL_HEADER_LEN: usize = 46;

/// The raw member names of the central directory starting at `start`, in order and with
/// repeats (which the zip library collapses).
fn central_directory_names(
    reader: &mut (impl Read + Seek),
    start: u64,
) -> io::Result<Vec<Vec<u8>>> {
    reader.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    let mut header = [0u8; CENTRAL_HEADER_LEN];
    while reader.read_exact(&mut header).is_ok() && header.starts_with(CENTRAL_HEADER_SIGNATURE) {
        let field = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let mut name = vec![0; usize::from(name_len)];
        reader.read_exact(&mut name)?;
        reader.seek(SeekFrom::Current(
            i64::from(extra_len) + i64::from(comment_len),
        ))?;
        names.push(name);
    }
    Ok(names)
}

/// The top-level directory every named member lies under, when there is one and at least
/// one member below it.
fn common_top_dir(names: &[Vec<u8>]) -> Option<String> {
    let mut top: Option<String> = None;
    let mut below = false;
    for raw in names {
        let Ok(path) = normalise_archive_path(raw) else {
            continue;
        };
        if path.is_empty() {
            continue;
        }
        let is_dir = raw.ends_with(b"/") || raw.ends_with(b"\\");
        let (first, nested) = match path.split_once('/') {
            Some((first, _)) => (first, true),
            None if is_dir => (path.as_str(), false),
            None => return None,
        };
        match &top {
            Some(top) if top != first => return None,
            Some(_) => {}
            None => top = Some(first.to_owned()),
        }
        below |= nested;
    }
    top.filter(|_| below)
}

impl Backend for ZipBackend {
    fn run(mut self: Box<Self>, recorder: &mut Recorder) {
        let mut inflation = ArchiveInflation {
            allowance: recorder.limits().inflation_allowance(self.archive_len),
            inflated: 0,
        };
        for index in 0..self.archive.len() {
            if recorder.stopped() {
                break;
            }
            let error = match self.archive.by_index(index) {
                Ok(member) => {
                    let names = Names {
                        top: self.top.as_deref(),
                        repeated: &self.repeated,
                    };
                    read_member(recorder, member, names, &mut inflation);
                    continue;
                }
                Err(e) => e.to_string(),
            };
            let name = self.archive.name_for_index(index).unwrap_or_default();
            recorder.skip(
                &escape_name(name.as_bytes()),
                SkipReason::Unreadable,
                Some(error),
            );
        }
    }
}

/// What the archive's names say about each member.
#[derive(Clone, Copy)]
struct Names<'a> {
    top: Option<&'a str>,
    repeated: &'a HashMap<Vec<u8>, usize>,
}

/// How much the archive's members may still expand, together.
struct ArchiveInflation {
    allowance: u64,
    inflated: u64,
}

/// Reads or records one member.
fn read_member(
    recorder: &mut Recorder,
    mut member: ZipFile<'_, BufReader<File>>,
    names: Names<'_>,
    inflation: &mut ArchiveInflation,
) {
    let raw = member.name_raw().to_vec();
    let kind = if member.is_dir() {
        Member::Directory
    } else {
        member
            .unix_mode()
            .and_then(Member::from_unix_mode)
            .unwrap_or(Member::File)
    };
    let is_dir = kind == Member::Directory;
    let strip = |path: String| match names.top {
        Some(top) => strip_top(top, path, is_dir),
        None => path,
    };
    let Some(path) = member_path(recorder, &raw, &kind, strip) else {
        return;
    };
    if let Some(count) = names.repeated.get(&raw) {
        recorder.skip(
            &path,
            SkipReason::Duplicate,
            Some(format!(
                "the central directory lists this name {count} times; only the last member is readable and analysed"
            )),
        );
    }
    match kind {
        Member::File => {
            let allowance = recorder
                .limits()
                .inflation_allowance(member.compressed_size())
                .min(inflation.allowance.saturating_sub(inflation.inflated));
            inflation.inflated += recorder.file(&path, &mut member, Some(allowance));
        }
        Member::Link(_) => {
            let mut target = Vec::new();
            let read = (&mut member).take(MAX_LINK_TARGET).read_to_end(&mut target);
            record_non_file(recorder, &path, kind, read.ok().map(|_| target.as_slice()));
        }
        other => record_non_file(recorder, &path, other, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|n| n.as_bytes().to_vec()).collect()
    }

    #[test]
    fn a_zip_sdist_has_a_top_dir() {
        let top = common_top_dir(&names(&[
            "pkg-1.0/",
            "pkg-1.0/setup.py",
            "pkg-1.0/pkg/__init__.py",
        ]));
        assert_eq!(top.as_deref(), Some("pkg-1.0"));
    }

    #[test]
    fn a_wheel_has_none() {
        assert_eq!(
            common_top_dir(&names(&["pkg/__init__.py", "pkg-1.0.dist-info/METADATA"])),
            None
        );
        assert_eq!(
            common_top_dir(&names(&["setup.py", "pkg/__init__.py"])),
            None
        );
        assert_eq!(common_top_dir(&names(&["pkg/"])), None);
        assert_eq!(common_top_dir(&[]), None);
    }
}
