//! The second pass: the surviving entries under the application roots, streamed from
//! their layers into one tar (plus the reconstructed Dockerfile, first). Nothing is
//! extracted: file contents go from the layer stream into the tar, and links are written
//! as link entries, which the reader records and never follows.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, Read};
use std::path::Path;

use tar::{EntryType, Header};

use super::DOCKERFILE_PATH;
use super::filesystem::FileSystem;
use super::layers::{EntryKind, LayerEntry, Layers, VisitError};
use crate::SourceError;

/// Most bytes of file content written (the reader reads at most 1 GiB anyway).
pub(super) const MAX_OUTPUT_BYTES: u64 = 1024 * 1024 * 1024;
/// Most entries written.
pub(super) const MAX_OUTPUT_ENTRIES: u64 = 250_000;

/// Writes the tarball at `path`: the Dockerfile, then every surviving file and link
/// under `roots`, layer by layer.
pub(super) fn write(
    layers: &Layers,
    fs: &FileSystem,
    roots: &[String],
    dockerfile: &str,
    path: &Path,
) -> Result<(), SourceError> {
    let file = File::create(path).map_err(|e| output_error(path, &e))?;
    let mut out = Output {
        builder: tar::Builder::new(BufWriter::new(file)),
        bytes: 0,
        entries: 0,
        path,
    };
    out.file(
        DOCKERFILE_PATH,
        dockerfile.len() as u64,
        &mut dockerfile.as_bytes(),
    )
    .map_err(|e| out.failure(e))?;
    for layer in contributing_layers(fs, roots) {
        layers.visit(layer, |entry, content| {
            let Some(path) = entry.path.as_deref() else {
                return Ok(());
            };
            if !in_roots(path, roots) || !survives(fs, layer, entry, path) {
                return Ok(());
            }
            out.entry(path, &entry.kind, content)
        })?;
    }
    let writer = out
        .builder
        .into_inner()
        .map_err(|e| output_error(path, &e))?;
    writer
        .into_inner()
        .map_err(|e| output_error(path, e.error()))?
        .sync_all()
        .map_err(|e| output_error(path, &e))
}

/// The layers that provide at least one surviving file or link under `roots`.
fn contributing_layers(fs: &FileSystem, roots: &[String]) -> BTreeSet<usize> {
    let mut layers = BTreeSet::new();
    for root in roots {
        let own = fs.node(root).map(|n| (root, n));
        for (_, node) in own.into_iter().chain(fs.under(root)) {
            if node.kind != EntryKind::Dir && node.kind != EntryKind::Other {
                layers.insert(node.layer);
            }
        }
    }
    layers
}

/// Whether `path` is a root or lies under one.
fn in_roots(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|root| {
        path == root
            || path
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether this entry is the one that survives at `path`.
fn survives(fs: &FileSystem, layer: usize, entry: &LayerEntry, path: &str) -> bool {
    fs.node(path)
        .is_some_and(|n| n.layer == layer && n.ordinal == entry.ordinal)
}

/// Why writing an entry failed.
enum Failure {
    /// Reading the layer failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
    /// A cap was reached.
    Cap(SourceError),
}

/// The tar being written, and what went into it so far.
struct Output<'p> {
    builder: tar::Builder<BufWriter<File>>,
    bytes: u64,
    entries: u64,
    path: &'p Path,
}

impl Output<'_> {
    /// Writes one surviving layer entry. A name or link target with a NUL byte names no
    /// file a container could ever see (Linux file names cannot hold one) and is left out.
    fn entry(
        &mut self,
        path: &str,
        kind: &EntryKind,
        content: &mut dyn Read,
    ) -> Result<(), VisitError> {
        let target = match kind {
            EntryKind::Symlink(t) | EntryKind::Hardlink(t) => t.as_str(),
            _ => "",
        };
        if path.contains('\0') || target.contains('\0') {
            return Ok(());
        }
        let written = match kind {
            EntryKind::File { size } => self.file(path, *size, content),
            EntryKind::Symlink(target) => self.link(path, EntryType::Symlink, target),
            EntryKind::Hardlink(target) => self.link(path, EntryType::Link, target),
            EntryKind::Dir | EntryKind::Other => Ok(()),
        };
        written.map_err(|failure| match failure {
            Failure::Read(e) => VisitError::Read(e),
            other => VisitError::Stop(self.failure(other)),
        })
    }

    /// A regular file of `size` bytes read from `content`.
    fn file(&mut self, path: &str, size: u64, content: &mut dyn Read) -> Result<(), Failure> {
        self.count(size)?;
        let mut header = header(EntryType::Regular, size, 0o644);
        let mut source = Tracked {
            inner: content.take(size),
            read: 0,
            error: None,
        };
        let appended = self.builder.append_data(&mut header, path, &mut source);
        if let Some(error) = source.error.take() {
            return Err(Failure::Read(error));
        }
        appended.map_err(Failure::Write)?;
        if source.read != size {
            return Err(Failure::Read(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("`{path}` ends before its {size} bytes"),
            )));
        }
        Ok(())
    }

    /// A symbolic or hard link to `target`.
    fn link(&mut self, path: &str, kind: EntryType, target: &str) -> Result<(), Failure> {
        self.count(0)?;
        let mut header = header(kind, 0, 0o777);
        self.builder
            .append_link(&mut header, path, target)
            .map_err(Failure::Write)
    }

    /// Counts an entry of `size` bytes against the caps.
    fn count(&mut self, size: u64) -> Result<(), Failure> {
        self.entries += 1;
        self.bytes = self.bytes.saturating_add(size);
        if self.entries > MAX_OUTPUT_ENTRIES {
            return Err(Failure::Cap(SourceError::Unusable {
                what: "the image's application files".into(),
                reason: format!(
                    "more than {MAX_OUTPUT_ENTRIES} entries; choose a directory with --base-path"
                ),
            }));
        }
        if self.bytes > MAX_OUTPUT_BYTES {
            return Err(Failure::Cap(SourceError::TooLarge {
                what: "the image's application files".into(),
                limit: MAX_OUTPUT_BYTES,
            }));
        }
        Ok(())
    }

    /// The error for a failure other than reading a layer.
    fn failure(&self, failure: Failure) -> SourceError {
        match failure {
            Failure::Read(e) | Failure::Write(e) => output_error(self.path, &e),
            Failure::Cap(e) => e,
        }
    }
}

/// A header with fixed metadata (owner root, time 0).
fn header(kind: EntryType, size: u64, mode: u32) -> Header {
    let mut header = Header::new_gnu();
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(mode);
    header.set_mtime(0);
    header
}

/// A reader that counts what it read and keeps its first error (so a damaged layer is
/// told apart from a failed write when the tar builder reports either).
struct Tracked<R> {
    inner: R,
    read: u64,
    error: Option<io::Error>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.read += n as u64;
                Ok(n)
            }
            Err(e) => {
                let reported = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(reported)
            }
        }
    }
}

fn output_error(path: &Path, error: &io::Error) -> SourceError {
    SourceError::Cache {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}
