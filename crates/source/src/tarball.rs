//! Streaming tarballs (`.tar`, `.tgz`, `.tar.gz`) without writing anything to disk.
//!
//! A stream cannot know all its entries up front, so the single top-level directory that
//! npm (`package/`) and sdists (`name-1.2.3/`) wrap their files in is decided from the
//! first entry: when its path lies under a directory (or is one), that directory is
//! stripped from every entry under it; entries outside it keep their full path.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use assay_core::SkipReason;
use flate2::read::MultiGzDecoder;
use tar::EntryType;

use crate::archive::{Member, member_path, record_non_file, strip_top};
use crate::path::escape_name;
use crate::reader::Backend;
use crate::recorder::Recorder;
use crate::stream::{CountingReader, ExactLen, Inflation, InflationGuard};
use crate::{Limits, SourceError};

const BLOCK: usize = 512;

/// Reads a tarball as one stream.
pub(crate) struct TarBackend {
    stream: Box<dyn Read + Send>,
    inflation: Option<Arc<Inflation>>,
}

/// Opens the tarball at `path` (through gzip when `gzip`) and checks its first header,
/// so that a file that is not a tarball fails here with a clear error.
pub(crate) fn open(path: &Path, gzip: bool, limits: &Limits) -> Result<TarBackend, SourceError> {
    let shown = path.display().to_string();
    let format = if gzip { "gzip-compressed tar" } else { "tar" };
    let corrupt = |reason: String| SourceError::CorruptArchive {
        path: shown.clone(),
        format,
        reason,
    };
    let file = File::open(path).map_err(|e| SourceError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let (mut stream, inflation): (Box<dyn Read + Send>, _) = if gzip {
        let inflation = Arc::new(Inflation::default());
        let decoder = MultiGzDecoder::new(CountingReader::new(file, Arc::clone(&inflation)));
        let guarded = InflationGuard::new(decoder, Arc::clone(&inflation), limits);
        (Box::new(guarded), Some(inflation))
    } else {
        (Box::new(BufReader::new(file)), None)
    };
    let mut first = Vec::with_capacity(BLOCK);
    (&mut stream)
        .take(BLOCK as u64)
        .read_to_end(&mut first)
        .map_err(|e| corrupt(e.to_string()))?;
    check_first_header(&first).map_err(corrupt)?;
    Ok(TarBackend {
        stream: Box::new(Cursor::new(first).chain(stream)),
        inflation,
    })
}

/// Whether `block` starts a tarball: a full header block, all zeros (an empty archive)
/// or with a valid checksum.
fn check_first_header(block: &[u8]) -> Result<(), String> {
    if block.len() < BLOCK {
        return Err("the file ends before the first tar header".into());
    }
    if block.iter().all(|&b| b == 0) {
        return Ok(());
    }
    let header = tar::Header::from_byte_slice(block);
    let stored = header
        .cksum()
        .map_err(|_| "the first header has no valid checksum field".to_string())?;
    let computed: u32 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                u32::from(b' ')
            } else {
                u32::from(b)
            }
        })
        .sum();
    if stored != computed {
        return Err("the first header's checksum does not match".into());
    }
    Ok(())
}

fn classify(entry_type: EntryType) -> Member {
    match entry_type {
        t if t.is_file() || t.is_contiguous() || t.is_gnu_sparse() => Member::File,
        t if t.is_dir() => Member::Directory,
        t if t.is_symlink() => Member::Link(SkipReason::Symlink),
        t if t.is_hard_link() => Member::Link(SkipReason::Hardlink),
        t if t.is_character_special() => Member::Special("character device".into()),
        t if t.is_block_special() => Member::Special("block device".into()),
        t if t.is_fifo() => Member::Special("FIFO".into()),
        t if t.is_pax_global_extensions() => Member::Metadata,
        t => Member::Special(format!(
            "unsupported tar entry type `{}`",
            escape_name(&[t.as_byte()])
        )),
    }
}

/// The wrapping top-level directory, decided from the first entry.
#[derive(Default)]
enum TopDir {
    #[default]
    Undecided,
    Strip(String),
    Keep,
}

impl TopDir {
    /// `path` without the wrapping directory, deciding it on the first call with a
    /// path other than the root.
    fn apply(&mut self, path: String, is_dir: bool) -> String {
        if path.is_empty() {
            return path;
        }
        if let TopDir::Undecided = self {
            *self = match path.split_once('/') {
                Some((top, _)) => TopDir::Strip(top.to_owned()),
                None if is_dir => TopDir::Strip(path.clone()),
                None => TopDir::Keep,
            };
        }
        match self {
            TopDir::Strip(top) => strip_top(top, path, is_dir),
            TopDir::Undecided | TopDir::Keep => path,
        }
    }
}

impl Backend for TarBackend {
    fn run(self: Box<Self>, recorder: &mut Recorder) {
        recorder.read_stream(self.inflation);
        let mut archive = tar::Archive::new(self.stream);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => return recorder.stream_failed(None, &e),
        };
        let mut top = TopDir::default();
        let mut last: Option<String> = None;
        for item in entries {
            if recorder.stopped() {
                break;
            }
            let mut entry = match item {
                Ok(entry) => entry,
                Err(e) => return recorder.stream_failed(last.as_deref(), &e),
            };
            let raw = entry.path_bytes().into_owned();
            let member = classify(entry.header().entry_type());
            if member == Member::Metadata {
                // `git archive` puts a global header first; it must not decide the prefix.
                continue;
            }
            let is_dir = member == Member::Directory;
            let Some(path) = member_path(recorder, &raw, &member, |p| top.apply(p, is_dir)) else {
                continue;
            };
            last = Some(path.clone());
            if member == Member::File {
                let len = entry.size();
                recorder.file(&path, &mut ExactLen::new(&mut entry, len), None);
            } else {
                let target = entry.link_name_bytes().map(|t| t.into_owned());
                record_non_file(recorder, &path, member, target.as_deref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_first_entrys_top_directory_only_under_it() {
        let mut top = TopDir::default();
        assert_eq!(
            top.apply("package/package.json".into(), false),
            "package.json"
        );
        assert_eq!(top.apply("package/lib/a.js".into(), false), "lib/a.js");
        assert_eq!(top.apply("package".into(), true), "");
        assert_eq!(top.apply("other/x.js".into(), false), "other/x.js");
        assert_eq!(top.apply("packagex/y.js".into(), false), "packagex/y.js");
    }

    #[test]
    fn the_root_entry_does_not_decide() {
        let mut top = TopDir::default();
        assert_eq!(top.apply(String::new(), true), "");
        assert_eq!(top.apply("pkg-1.0/setup.py".into(), false), "setup.py");
    }

    #[test]
    fn a_top_level_file_first_keeps_every_path() {
        let mut top = TopDir::default();
        assert_eq!(top.apply("README.md".into(), false), "README.md");
        assert_eq!(top.apply("src/a.js".into(), false), "src/a.js");
    }

    #[test]
    fn first_header_checks() {
        assert!(check_first_header(&[0; 10]).is_err());
        assert!(check_first_header(&[0; BLOCK]).is_ok());
        assert!(check_first_header(&[b'x'; BLOCK]).is_err());
        let mut header = tar::Header::new_gnu();
        header.set_path("a.txt").unwrap();
        header.set_size(0);
        header.set_cksum();
        assert!(check_first_header(header.as_bytes()).is_ok());
    }
}
