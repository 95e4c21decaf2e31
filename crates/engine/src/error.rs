use thiserror::Error;

/// Everything that can stop a scan before it produces a report. Messages are one line,
/// name the offending input, and never contain credentials.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The target could not be opened.
    #[error(transparent)]
    Source(#[from] assay_source::SourceError),
    /// The configuration file is invalid.
    #[error("invalid configuration {path}: {message}")]
    Config {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The scan was cancelled (its [`Cancel`](assay_core::Cancel) token was set) before it
    /// finished.
    #[error("the scan was cancelled")]
    Cancelled,
    /// The baseline file is invalid.
    #[error("invalid baseline {path}: {message}")]
    Baseline {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl From<assay_core::Cancelled> for EngineError {
    fn from(_: assay_core::Cancelled) -> EngineError {
        EngineError::Cancelled
    }
}

impl EngineError {
    /// A stable, machine-readable error code (the service's `error.code`): the source's
    /// code for target and fetch errors, `SCAN_CANCELLED`, else `SCAN_FAILED`.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Source(source) => source.code(),
            EngineError::Cancelled => "SCAN_CANCELLED",
            EngineError::Config { .. } | EngineError::Baseline { .. } => "SCAN_FAILED",
        }
    }
}
