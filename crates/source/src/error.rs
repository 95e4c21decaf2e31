//! Errors opening a target.

/// Why a target could not be opened. Every message is one line meant for the user; errors
/// met while reading an opened target are not errors but skipped entries and limit hits
/// in the [`SnapshotSummary`](crate::SnapshotSummary).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Nothing exists at the path.
    #[error("target `{path}` does not exist")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// The path is neither a directory nor an archive format Assay reads.
    #[error(
        "target `{path}` is not a directory or a supported archive ({what}); supported archives: {}",
        crate::kind::SUPPORTED_ARCHIVES
    )]
    Unsupported {
        /// The path as given.
        path: String,
        /// What was found instead.
        what: String,
    },
    /// The path exists but could not be read.
    #[error("cannot read target `{path}`: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// The operating system's explanation.
        reason: String,
    },
    /// The archive's header is damaged or the file is not the archive it claims to be.
    #[error("target `{path}` is not a valid {format} archive: {reason}")]
    CorruptArchive {
        /// The path as given.
        path: String,
        /// `tar`, `gzip-compressed tar` or `zip`.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The background reader could not be started.
    #[error("cannot start reading target `{path}`: {reason}")]
    Reader {
        /// The path as given.
        path: String,
        /// The operating system's explanation.
        reason: String,
    },
}
