//! Reading layer blobs: gzip or plain tar (sniffed from the content), under one cap on
//! the bytes decompressed, entry by entry with normalised names.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use assay_core::Cancel;
use flate2::read::MultiGzDecoder;

use super::blobs::LayerFile;
use crate::SourceError;

/// Most bytes decompressed from all layers over both passes (a layer is read once to
/// index it and once more when it holds application files): real images are a few GiB,
/// and a decompression bomb stops here.
pub(super) const MAX_UNPACKED_BYTES: u64 = 16 * 1024 * 1024 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// What a layer entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EntryKind {
    /// A regular file of `size` bytes.
    File {
        /// Its size.
        size: u64,
    },
    /// A directory.
    Dir,
    /// A symbolic link to the target as written.
    Symlink(String),
    /// A hard link to another path of the image (normalised).
    Hardlink(String),
    /// A device, FIFO, or metadata entry: never read.
    Other,
}

/// One entry of a layer.
#[derive(Debug)]
pub(super) struct LayerEntry {
    /// The entry's position in its layer, counting every entry.
    pub ordinal: u64,
    /// The image path without a leading slash (`app/index.js`); `None` when the name is
    /// unusable (`..` components) or is the root.
    pub path: Option<String>,
    /// What it is.
    pub kind: EntryKind,
}

/// Why a visit of a layer's entries stopped.
#[derive(Debug)]
pub(super) enum VisitError {
    /// Reading the entry's content failed (a damaged layer, or the decompression cap).
    Read(io::Error),
    /// The visitor gave up.
    Stop(SourceError),
}

impl From<SourceError> for VisitError {
    fn from(error: SourceError) -> Self {
        VisitError::Stop(error)
    }
}

/// The layers of an image, bottom first, sharing one decompression budget.
pub(super) struct Layers {
    files: Vec<LayerFile>,
    unpacked: Rc<Cell<u64>>,
    cancel: Cancel,
}

impl Layers {
    /// The layers in `files`, bottom first; visiting stops once `cancel` is set.
    pub fn new(files: Vec<LayerFile>, cancel: Cancel) -> Layers {
        Layers {
            files,
            unpacked: Rc::new(Cell::new(0)),
            cancel,
        }
    }

    /// How many layers there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Calls `visit` with every entry of layer `index` and a reader of its content.
    pub fn visit(
        &self,
        index: usize,
        mut visit: impl FnMut(&LayerEntry, &mut dyn Read) -> Result<(), VisitError>,
    ) -> Result<(), SourceError> {
        let layer = &self.files[index];
        let stream = self.open(layer)?;
        let mut archive = tar::Archive::new(stream);
        let entries = archive.entries().map_err(|e| self.read_failure(layer, e))?;
        for (ordinal, item) in (0u64..).zip(entries) {
            self.cancel.check()?;
            let mut entry = item.map_err(|e| self.read_failure(layer, e))?;
            let described = LayerEntry {
                ordinal,
                path: normalise(&entry.path_bytes()),
                kind: kind_of(&entry),
            };
            visit(&described, &mut entry).map_err(|e| match e {
                VisitError::Read(e) => self.read_failure(layer, e),
                VisitError::Stop(e) => e,
            })?;
        }
        Ok(())
    }

    /// The layer's decompressed stream, counted against [`MAX_UNPACKED_BYTES`].
    fn open(&self, layer: &LayerFile) -> Result<Box<dyn Read>, SourceError> {
        let file = File::open(&layer.path).map_err(|e| SourceError::Cache {
            path: layer.path.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut buffered = BufReader::new(file);
        let head = buffered
            .fill_buf()
            .map_err(|e| self.read_failure(layer, e))?;
        let decompressed: Box<dyn Read> = if head.starts_with(&GZIP_MAGIC) {
            Box::new(MultiGzDecoder::new(buffered))
        } else if head.starts_with(&ZSTD_MAGIC) {
            return Err(SourceError::Unusable {
                what: layer.label.clone(),
                reason: "zstd-compressed layers are not supported (gzip and uncompressed tar are)"
                    .into(),
            });
        } else {
            Box::new(buffered)
        };
        Ok(Box::new(Unpacked {
            inner: decompressed,
            total: Rc::clone(&self.unpacked),
        }))
    }

    /// The error for a layer that cannot be read: the decompression cap, or damage.
    fn read_failure(&self, layer: &LayerFile, error: io::Error) -> SourceError {
        if error
            .get_ref()
            .is_some_and(|e| e.downcast_ref::<UnpackCap>().is_some())
        {
            return SourceError::TooLarge {
                what: "the image's layers (decompressed)".into(),
                limit: MAX_UNPACKED_BYTES,
            };
        }
        SourceError::Unusable {
            what: layer.label.clone(),
            reason: format!("corrupt layer: {error}"),
        }
    }
}

/// The decompression cap was reached.
#[derive(Debug)]
struct UnpackCap;

impl std::fmt::Display for UnpackCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {MAX_UNPACKED_BYTES} decompressed bytes")
    }
}

impl std::error::Error for UnpackCap {}

/// Counts decompressed bytes across all layers and fails past the cap.
struct Unpacked {
    inner: Box<dyn Read>,
    total: Rc<Cell<u64>>,
}

impl Read for Unpacked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.total.get() + n as u64;
        self.total.set(total);
        if total > MAX_UNPACKED_BYTES {
            return Err(io::Error::other(UnpackCap));
        }
        Ok(n)
    }
}

fn kind_of<R: Read>(entry: &tar::Entry<'_, R>) -> EntryKind {
    let entry_type = entry.header().entry_type();
    let link = || {
        entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
    };
    if entry_type.is_file() || entry_type.is_contiguous() || entry_type.is_gnu_sparse() {
        EntryKind::File { size: entry.size() }
    } else if entry_type.is_dir() {
        EntryKind::Dir
    } else if entry_type.is_symlink() {
        link()
            .filter(|t| !t.is_empty())
            .map_or(EntryKind::Other, EntryKind::Symlink)
    } else if entry_type.is_hard_link() {
        link()
            .and_then(|t| normalise(t.as_bytes()))
            .map_or(EntryKind::Other, EntryKind::Hardlink)
    } else {
        EntryKind::Other
    }
}

/// An entry name as an image path without the leading slash: `.` and empty components
/// dropped; `None` for the root or a name with `..` (refused, never resolved).
pub(super) fn normalise(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_traversal_refused() {
        assert_eq!(
            normalise(b"./app//index.js").as_deref(),
            Some("app/index.js")
        );
        assert_eq!(normalise(b"/etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(normalise(b"app/../../etc/passwd"), None);
        assert_eq!(normalise(b"./"), None);
    }
}
