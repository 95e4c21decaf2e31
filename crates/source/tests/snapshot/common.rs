//! Helpers: reading a target to the end, and writing hostile archives.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use assay_core::{LimitKind, SkipReason};
use assay_source::{Entry, Limits, SnapshotSummary, open};
use flate2::Compression;
use flate2::write::GzEncoder;
use tar::{EntryType, Header};

/// Reads `path` to the end under `limits`, excluding what `exclude` says.
pub fn read_with(
    path: &Path,
    limits: &Limits,
    exclude: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> (Vec<Entry>, SnapshotSummary) {
    let mut reader = open(path, limits, Arc::new(exclude)).expect("target opens");
    let entries: Vec<Entry> = reader.by_ref().collect();
    let summary = reader.summary();
    assert_eq!(
        summary.files,
        entries.len() as u64,
        "summary counts what was yielded"
    );
    assert_eq!(
        summary.bytes,
        entries.iter().map(|e| e.bytes.len() as u64).sum::<u64>()
    );
    (entries, summary)
}

/// Reads `path` under `limits` with nothing excluded.
pub fn read_limited(path: &Path, limits: &Limits) -> (Vec<Entry>, SnapshotSummary) {
    read_with(path, limits, |_| false)
}

/// Reads `path` under the default limits with nothing excluded.
pub fn read(path: &Path) -> (Vec<Entry>, SnapshotSummary) {
    read_limited(path, &Limits::default())
}

/// The paths of `entries`, in order.
pub fn paths(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.path.as_str()).collect()
}

/// The content of the entry at `path`.
pub fn content<'a>(entries: &'a [Entry], path: &str) -> &'a [u8] {
    &entries
        .iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no entry `{path}` in {:?}", paths(entries)))
        .bytes
}

/// (path, detail) of the entries skipped for `reason`.
pub fn skipped(summary: &SnapshotSummary, reason: SkipReason) -> Vec<(String, Option<String>)> {
    summary
        .skipped
        .iter()
        .filter(|s| s.reason == reason)
        .map(|s| (s.path.clone(), s.detail.clone()))
        .collect()
}

/// The kinds of the limits hit, in order.
pub fn limit_kinds(summary: &SnapshotSummary) -> Vec<LimitKind> {
    summary.limits_hit.iter().map(|l| l.kind).collect()
}

/// One member of a tarball under construction; names and link targets are raw bytes,
/// written straight into the header so that hostile names survive.
pub struct Member<'a> {
    pub name: &'a [u8],
    pub kind: EntryType,
    pub data: &'a [u8],
    pub link: &'a [u8],
}

/// A regular file member.
pub fn file<'a>(name: &'a (impl AsRef<[u8]> + ?Sized), data: &'a [u8]) -> Member<'a> {
    Member {
        name: name.as_ref(),
        kind: EntryType::Regular,
        data,
        link: b"",
    }
}

/// A member without data: a directory, a link (to `link`) or a special file.
pub fn special<'a>(name: &'a [u8], kind: EntryType, link: &'a [u8]) -> Member<'a> {
    Member {
        name,
        kind,
        data: b"",
        link,
    }
}

/// A tar header for `member` with its raw name and link target.
pub fn header(member: &Member<'_>, size: u64) -> Header {
    let mut header = Header::new_gnu();
    let old = header.as_old_mut();
    old.name[..member.name.len()].copy_from_slice(member.name);
    old.linkname[..member.link.len()].copy_from_slice(member.link);
    header.set_mode(0o644);
    header.set_size(size);
    header.set_entry_type(member.kind);
    header.set_cksum();
    header
}

/// The bytes of a plain tarball of `members`.
pub fn tar_bytes(members: &[Member<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for member in members {
        builder
            .append(&header(member, member.data.len() as u64), member.data)
            .unwrap();
    }
    builder.into_inner().unwrap()
}

/// gzip-compresses `data`.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    File::create(&path).unwrap().write_all(bytes).unwrap();
    path
}

/// Deterministic incompressible bytes (xorshift).
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}
