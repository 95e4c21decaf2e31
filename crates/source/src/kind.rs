//! What kind of local target a path is: by file name first, then by magic bytes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::SourceError;

/// The archive extensions Assay reads, for error messages.
pub(crate) const SUPPORTED_ARCHIVES: &str = ".tar, .tar.gz, .tgz, .zip, .whl";

/// What kind of local target a snapshot is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A directory tree.
    Directory,
    /// A tarball, plain or gzip-compressed (`.tar`, `.tgz`, `.tar.gz`: npm packages,
    /// sdists).
    Tar,
    /// A zip archive (`.zip`, `.whl`: wheels, zip sdists).
    Zip,
}

impl SourceKind {
    /// The target type as reports name it: `directory` or `archive`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceKind::Directory => "directory",
            SourceKind::Tar | SourceKind::Zip => "archive",
        }
    }
}

/// How to read a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Walk a directory.
    Directory,
    /// Stream a tarball, through gzip when `gzip`.
    Tar {
        /// The file starts with the gzip magic.
        gzip: bool,
    },
    /// Read a zip archive through its central directory.
    Zip,
}

impl Format {
    /// The public kind of this format.
    pub(crate) fn kind(self) -> SourceKind {
        match self {
            Format::Directory => SourceKind::Directory,
            Format::Tar { .. } => SourceKind::Tar,
            Format::Zip => SourceKind::Zip,
        }
    }
}

const GZIP_MAGIC: &[u8] = b"\x1f\x8b";
const ZIP_MAGICS: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
const USTAR_MAGIC_OFFSET: usize = 257;
const USTAR_MAGIC: &[u8] = b"ustar";

/// Decides how to read `path`, or says in one line why it cannot be read.
pub(crate) fn detect(path: &Path) -> Result<Format, SourceError> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::NotFound {
            path: shown.clone(),
        },
        _ => SourceError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        },
    })?;
    if metadata.is_dir() {
        return Ok(Format::Directory);
    }
    if !metadata.is_file() {
        return Err(SourceError::Unsupported {
            path: shown,
            what: "a special file".into(),
        });
    }
    let head = read_head(path).map_err(|e| SourceError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let gzip = head.starts_with(GZIP_MAGIC);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if [".tar", ".tgz", ".tar.gz"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return Ok(Format::Tar { gzip });
    }
    if [".zip", ".whl"].iter().any(|ext| name.ends_with(ext)) {
        return Ok(Format::Zip);
    }
    if gzip {
        return Ok(Format::Tar { gzip });
    }
    if ZIP_MAGICS.iter().any(|magic| head.starts_with(magic)) {
        return Ok(Format::Zip);
    }
    if head.get(USTAR_MAGIC_OFFSET..USTAR_MAGIC_OFFSET + USTAR_MAGIC.len()) == Some(USTAR_MAGIC) {
        return Ok(Format::Tar { gzip: false });
    }
    Err(SourceError::Unsupported {
        path: shown,
        what: if head.is_empty() {
            "an empty file".into()
        } else {
            "a file of an unrecognised type".into()
        },
    })
}

/// The first bytes of a file, enough for every magic number checked.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    File::open(path)?.take(512).read_to_end(&mut head)?;
    Ok(head)
}
