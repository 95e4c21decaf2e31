use std::fmt;

/// Everything that can go wrong in the store. Every message is one line and never carries
/// a key's secret or a scan's credentials.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one this build can open.
    #[error("unsupported database URL {0:?}: expected sqlite://PATH[?mode=rwc] or postgres://…")]
    UnsupportedUrl(String),
    /// No data directory is known for the default database.
    #[error("cannot locate the data directory: set ASSAY_DATA_DIR (or XDG_DATA_HOME or HOME)")]
    NoDataDir,
    /// The database could not be reached or a statement failed.
    #[error("database error: {0}")]
    Database(String),
    /// The schema on disk does not match what this build knows.
    #[error("database migration error: {0}")]
    Migration(String),
    /// A stored value could not be decoded (a corrupt row, or a newer writer).
    #[error("corrupt stored value in {what}: {detail}")]
    Corrupt {
        /// The column or table.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// Input the caller passed was refused.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The offending field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The referenced row does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique name is already taken.
    #[error("{what} {name:?} already exists")]
    Conflict {
        /// What kind of row.
        what: &'static str,
        /// The taken name.
        name: String,
    },
    /// The account already has the maximum number of active keys.
    #[error("the account already has {0} active API keys; revoke one first")]
    KeyLimit(usize),
    /// The worker no longer holds the lease on the job (it expired and was requeued or
    /// claimed by another worker, or the job was cancelled).
    #[error("worker {worker:?} does not hold the lease on scan {scan}")]
    LeaseLost {
        /// The scan id.
        scan: String,
        /// The worker that tried.
        worker: String,
    },
    /// The operating system's random number generator failed.
    #[error("no randomness available: {0}")]
    Random(String),
}

impl StoreError {
    /// An [`StoreError::Invalid`] for `field`.
    pub(crate) fn invalid(field: &'static str, reason: impl fmt::Display) -> StoreError {
        StoreError::Invalid {
            field,
            reason: one_line(&reason.to_string()),
        }
    }

    /// A [`StoreError::Corrupt`] for `what`.
    pub(crate) fn corrupt(what: &'static str, detail: impl fmt::Display) -> StoreError {
        StoreError::Corrupt {
            what,
            detail: one_line(&detail.to_string()),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        StoreError::Database(one_line(&error.to_string()))
    }
}

/// Collapses `text` onto one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Shorthand for results in this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
