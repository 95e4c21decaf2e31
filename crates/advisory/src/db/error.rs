//! Errors of the advisory database: each message is one line meant for the user.

use std::path::Path;

/// Why the database could not be read, or an import could not complete. A failed import
/// changes nothing: the database in use stays as it was.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A file or directory of the database could not be read or written.
    #[error("advisory database: cannot {action} {path}: {reason}")]
    Io {
        /// What was being done (`read`, `write`, `create`…).
        action: &'static str,
        /// The path.
        path: String,
        /// The operating system's explanation.
        reason: String,
    },
    /// The installed database is damaged or was written by an incompatible version.
    #[error(
        "advisory database at {path} is unusable ({reason}); rebuild it with `assay db update` or `assay db import`"
    )]
    Corrupt {
        /// The generation directory or file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Another import or update holds the database's lock.
    #[error("advisory database at {path} is being updated by another process; try again later")]
    Busy {
        /// The database directory.
        path: String,
    },
    /// An input could not be imported (missing, not a zip or a JSON record, damaged, over
    /// a limit): nothing was imported.
    #[error("cannot import {input}: {reason}; nothing was imported")]
    Input {
        /// The input as given.
        input: String,
        /// What is wrong.
        reason: String,
    },
}

impl DbError {
    /// An I/O error on `path`.
    pub(crate) fn io(action: &'static str, path: &Path, error: &std::io::Error) -> DbError {
        DbError::Io {
            action,
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    /// A damaged database file.
    pub(crate) fn corrupt(path: &Path, reason: impl Into<String>) -> DbError {
        DbError::Corrupt {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }

    /// An input that cannot be imported.
    pub(crate) fn input(input: &str, reason: impl Into<String>) -> DbError {
        DbError::Input {
            input: input.to_string(),
            reason: reason.into(),
        }
    }
}
