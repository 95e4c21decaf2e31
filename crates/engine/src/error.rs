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
    /// The baseline file is invalid.
    #[error("invalid baseline {path}: {message}")]
    Baseline {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}
