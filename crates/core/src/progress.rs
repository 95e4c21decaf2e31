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
    /// A remote target was resolved to a concrete artifact.
    Resolved {
        /// The canonical id (`npm:name@1.2.3`, `github:owner/repo@<commit>`).
        canonical_id: String,
        /// Whether the artifact came from the download cache.
        cached: bool,
    },
    /// Bytes of an artifact downloaded so far.
    Download {
        /// What is downloading (a file name, `layer 2/5`, `git objects`).
        what: String,
        /// Bytes so far.
        done: u64,
        /// Expected size, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<u64>,
    },
    /// Files analysed so far.
    Files {
        /// Files done.
        done: u64,
        /// Bytes done.
        bytes: u64,
    },
    /// A phase began (`fetching`, `analysing`, `surface`, `scoring`).
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
