//! A commit's tree written as a tarball straight from the object store — no checkout, so
//! no hooks, filters, `.gitattributes` (`export-ignore` hides nothing) or links on disk.
//!
//! The tarball is deterministic: entries sorted by path bytes, mtime 0, uid/gid 0, modes
//! 0644/0755/0777, GNU long-name records for long paths. Every entry sits under one
//! wrapping directory, `repo/`, which the tarball reader strips, so paths come out
//! relative to the repository's root. Regular files are files; symbolic links (mode
//! 120000) are link entries with their target, which the reader records and never
//! follows; submodules (mode 160000) are link entries whose target says
//! `git submodule <commit> (not fetched)`, so they appear among the skipped entries.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, ChildStdout};

use tar::{EntryType, Header};

use super::Session;
use crate::SourceError;

/// The wrapping directory every entry is under.
const ROOT: &[u8] = b"repo/";

/// The longest symbolic link target kept (a link blob can be any size).
const MAX_LINK: u64 = 4096;

/// The longest name a plain tar header holds.
const NAME_FIELD: usize = 100;

/// What a tree entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A regular file.
    File {
        /// Mode 100755.
        executable: bool,
    },
    /// A symbolic link (its blob is the target).
    Symlink,
    /// A submodule: a commit of another repository.
    Submodule,
}

/// One entry of `git ls-tree -r -l`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TreeEntry {
    /// The path from the repository root, raw bytes.
    pub path: Vec<u8>,
    /// What it is.
    pub kind: Kind,
    /// Its blob (or, for a submodule, commit) id.
    pub oid: String,
    /// Its size (0 for a submodule).
    pub size: u64,
}

/// The entries of `commit`'s tree (under `base_path`, when given), sorted by path.
pub(super) fn list(
    session: &Session<'_>,
    repo: &Path,
    commit: &str,
    base_path: Option<&str>,
    what: &str,
) -> Result<Vec<TreeEntry>, SourceError> {
    let mut args: Vec<&OsStr> = ["ls-tree", "-r", "-z", "--full-tree", "-l", commit, "--"]
        .map(OsStr::new)
        .to_vec();
    args.extend(base_path.map(OsStr::new));
    let out = session
        .git
        .output(Some(repo), &args, session.metadata_cap(), what, None)?
        .into_result(what, false)?;
    let mut entries = parse(&out).map_err(|reason| SourceError::Unusable {
        what: what.to_string(),
        reason,
    })?;
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// Parses NUL-terminated `<mode> <type> <oid> <size>\t<path>` records.
fn parse(out: &[u8]) -> Result<Vec<TreeEntry>, String> {
    let mut entries = Vec::new();
    for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let tab = record
            .iter()
            .position(|&b| b == b'\t')
            .ok_or("git ls-tree printed a record without a tab")?;
        let (meta, path) = (&record[..tab], &record[tab + 1..]);
        let meta = std::str::from_utf8(meta).map_err(|_| "unreadable git ls-tree record")?;
        let fields: Vec<&str> = meta.split_whitespace().collect();
        let [mode, kind, oid, size] = fields.as_slice() else {
            return Err(format!(
                "unexpected git ls-tree record `{}`",
                meta.escape_default()
            ));
        };
        let kind = match (*mode, *kind) {
            ("120000", "blob") => Kind::Symlink,
            (_, "blob") => Kind::File {
                executable: *mode == "100755",
            },
            ("160000", "commit") => Kind::Submodule,
            _ => {
                return Err(format!(
                    "unexpected tree entry of mode {mode} and type {kind}"
                ));
            }
        };
        let size = match kind {
            Kind::Submodule => 0,
            _ => size
                .parse()
                .map_err(|_| "git ls-tree printed an invalid size")?,
        };
        if !super::refs::is_full_id(oid) || path.is_empty() {
            return Err("git ls-tree printed an invalid record".into());
        }
        entries.push(TreeEntry {
            path: path.to_vec(),
            kind,
            oid: oid.to_ascii_lowercase(),
            size,
        });
    }
    Ok(entries)
}

/// Writes `entries` as a tarball into `out`, streaming blobs from `git cat-file --batch`.
pub(super) fn write(
    session: &Session<'_>,
    repo: &Path,
    entries: &[TreeEntry],
    out: impl Write,
    what: &str,
) -> Result<(), SourceError> {
    let args = ["cat-file", "--batch"].map(OsStr::new);
    let blobs: Vec<&TreeEntry> = entries
        .iter()
        .filter(|e| e.kind != Kind::Submodule)
        .collect();
    session
        .git
        .run(Some(repo), &args, true, None, |stdin, stdout| {
            let blobs = &blobs;
            std::thread::scope(|scope| {
                scope.spawn(move || request(stdin, blobs));
                archive(entries, stdout, out).map_err(|e| SourceError::Unusable {
                    what: what.to_string(),
                    reason: format!("cannot write the tree as a tarball: {e}"),
                })
            })
        })?
        .into_result(what, false)
}

/// Asks `git cat-file --batch` for each blob, in order.
fn request(stdin: Option<ChildStdin>, blobs: &[&TreeEntry]) {
    let Some(stdin) = stdin else { return };
    let mut stdin = io::BufWriter::new(stdin);
    for blob in blobs {
        if writeln!(stdin, "{}", blob.oid).is_err() {
            return;
        }
    }
    let _ = stdin.flush();
}

/// Writes the tarball, reading each blob's content from `cat-file`'s output.
fn archive(entries: &[TreeEntry], stdout: ChildStdout, out: impl Write) -> io::Result<()> {
    let mut blobs = BufReader::new(stdout);
    let mut tar = tar::Builder::new(out);
    append(
        &mut tar,
        header(EntryType::Directory, 0o755, 0),
        ROOT,
        None,
        io::empty(),
    )?;
    for entry in entries {
        let path = [ROOT, &entry.path].concat();
        match entry.kind {
            Kind::File { executable } => {
                expect_blob(&mut blobs, entry)?;
                let mode = if executable { 0o755 } else { 0o644 };
                let content = Exact::new(blobs.by_ref().take(entry.size), entry.size);
                append(
                    &mut tar,
                    header(EntryType::Regular, mode, entry.size),
                    &path,
                    None,
                    content,
                )?;
            }
            Kind::Symlink => {
                expect_blob(&mut blobs, entry)?;
                let mut target = Vec::new();
                blobs
                    .by_ref()
                    .take(entry.size.min(MAX_LINK))
                    .read_to_end(&mut target)?;
                io::copy(
                    &mut blobs.by_ref().take(entry.size - target.len() as u64),
                    &mut io::sink(),
                )?;
                let link = header(EntryType::Symlink, 0o777, 0);
                append(&mut tar, link, &path, Some(&target), io::empty())?;
            }
            Kind::Submodule => {
                let target = format!("git submodule {} (not fetched)", entry.oid);
                let link = header(EntryType::Symlink, 0o777, 0);
                append(&mut tar, link, &path, Some(target.as_bytes()), io::empty())?;
                continue;
            }
        }
        let mut newline = [0u8; 1];
        blobs.read_exact(&mut newline)?;
    }
    tar.into_inner()?.flush()
}

/// Reads `cat-file`'s `<oid> blob <size>` line and checks it against `entry`.
fn expect_blob(blobs: &mut impl BufRead, entry: &TreeEntry) -> io::Result<()> {
    let mut line = Vec::new();
    blobs.take(256).read_until(b'\n', &mut line)?;
    let expected = format!("{} blob {}\n", entry.oid, entry.size);
    if line != expected.as_bytes() {
        return Err(io::Error::other(format!(
            "git cat-file answered `{}` for blob {}",
            String::from_utf8_lossy(&line).trim_end().escape_default(),
            entry.oid
        )));
    }
    Ok(())
}

/// A header with the fixed metadata every entry gets.
fn header(kind: EntryType, mode: u32, size: u64) -> Header {
    let mut header = Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header
}

/// Appends an entry with raw `path` (and link target) bytes, preceded by GNU long-name
/// records when they do not fit the header.
fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    mut header: Header,
    path: &[u8],
    link: Option<&[u8]>,
    content: impl Read,
) -> io::Result<()> {
    if path.len() > NAME_FIELD {
        long_name(tar, b'L', path)?;
    }
    fill(&mut header.as_old_mut().name, path);
    if let Some(link) = link {
        if link.len() > NAME_FIELD {
            long_name(tar, b'K', link)?;
        }
        fill(&mut header.as_old_mut().linkname, link);
    }
    header.set_cksum();
    tar.append(&header, content)
}

/// A GNU `././@LongLink` record holding a long path (`L`) or link target (`K`).
fn long_name<W: Write>(tar: &mut tar::Builder<W>, kind: u8, name: &[u8]) -> io::Result<()> {
    let mut header = header(EntryType::new(kind), 0o644, name.len() as u64 + 1);
    fill(&mut header.as_old_mut().name, b"././@LongLink");
    header.set_cksum();
    tar.append(&header, name.chain(&[0u8][..]))
}

/// Copies as much of `value` as fits into a header field.
fn fill(field: &mut [u8], value: &[u8]) {
    let n = value.len().min(field.len());
    field[..n].copy_from_slice(&value[..n]);
}

/// A reader that fails unless it yields exactly `len` bytes (a blob cut short must not
/// become a short tar entry).
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R> Exact<R> {
    fn new(inner: R, len: u64) -> Self {
        Exact { inner, left: len }
    }
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.left > 0 && !buf.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_tree_records() {
        let a = "a".repeat(40);
        let out = format!(
            "100755 blob {a}      12\tbin/run\0120000 blob {a}       9\tlink\0160000 commit {a}       -\tvendor/lib\0100644 blob {a}       1\twith\ttab\0"
        );
        let entries = parse(out.as_bytes()).unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].kind, Kind::File { executable: true });
        assert_eq!(entries[0].size, 12);
        assert_eq!(entries[1].kind, Kind::Symlink);
        assert_eq!(entries[2].kind, Kind::Submodule);
        assert_eq!(entries[3].path, b"with\ttab");
        assert!(parse(format!("040000 tree {a}       -\tdir\0").as_bytes()).is_err());
        assert!(parse(b"100644 blob zz 1\tx\0").is_err());
    }

    #[test]
    fn long_names_round_trip() {
        let long = [b"d/".repeat(80), b"f".to_vec()].concat();
        let mut tar = tar::Builder::new(Vec::new());
        append(
            &mut tar,
            header(EntryType::Regular, 0o644, 2),
            &long,
            None,
            &b"hi"[..],
        )
        .unwrap();
        let target = b"t/".repeat(70);
        append(
            &mut tar,
            header(EntryType::Symlink, 0o777, 0),
            b"l",
            Some(&target),
            io::empty(),
        )
        .unwrap();
        let bytes = tar.into_inner().unwrap();
        let mut archive = tar::Archive::new(&bytes[..]);
        let mut entries = archive.entries().unwrap();
        let mut file = entries.next().unwrap().unwrap();
        assert_eq!(&*file.path_bytes(), &long[..]);
        assert_eq!(file.header().mtime().unwrap(), 0);
        let mut content = String::new();
        file.read_to_string(&mut content).unwrap();
        assert_eq!(content, "hi");
        let link = entries.next().unwrap().unwrap();
        assert_eq!(&*link.link_name_bytes().unwrap(), &target[..]);
    }

    #[test]
    fn short_content_is_an_error() {
        let mut tar = tar::Builder::new(Vec::new());
        let short = Exact::new(&b"abc"[..], 5);
        let result = append(
            &mut tar,
            header(EntryType::Regular, 0o644, 5),
            b"f",
            None,
            short,
        );
        assert!(result.is_err());
    }
}
