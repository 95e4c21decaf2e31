use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A progress event emitted during a scan (CLI progress line, service SSE stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProgressEvent {
    /// The scan started on a target.
    Started {
        /// The target as given.
        target: String,
    },
    /// Files analysed so far.
    Files {
        /// Files done.
        done: u64,
        /// Bytes done.
        bytes: u64,
    },
    /// A phase began (`reading`, `analysing`, `surface`, `scoring`).
    Phase {
        /// Phase name.
        name: String,
    },
    /// The scan finished.
    Finished {
        /// Number of findings.
        findings: u64,
        /// Package score.
        score: u8,
    },
}
