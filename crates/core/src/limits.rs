use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which configured limit a scan ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// Too many files in the target.
    FileCount,
    /// Too many bytes in total (after decompression).
    TotalBytes,
    /// A single file was larger than the per-file limit.
    FileBytes,
    /// A path was nested deeper than allowed.
    PathDepth,
    /// An archive member expanded suspiciously (decompression-bomb guard).
    CompressionRatio,
    /// A file's parse exceeded its size/work budget (content rules still ran).
    ParseBudget,
    /// A file ran past a bound of the pattern analyses (more assignments or functions
    /// than are followed in one file) and was analysed in reduced mode: the rest of it
    /// was not followed.
    AnalysisBudget,
}

impl LimitKind {
    /// Whether hitting this limit means content went unanalysed, making the scan
    /// incomplete. A parse budget hit does not: content rules still ran on the file.
    pub fn makes_incomplete(self) -> bool {
        !matches!(self, LimitKind::ParseBudget)
    }
}

/// A limit that was hit, with enough detail to raise it knowingly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LimitHit {
    /// Which limit.
    pub kind: LimitKind,
    /// The configured limit value.
    pub limit: u64,
    /// The path concerned, when the limit is about one entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Human explanation.
    pub message: String,
}

/// Why an entry of the target was not analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Symbolic link (never followed).
    Symlink,
    /// Hard link (never followed).
    Hardlink,
    /// Device, FIFO, socket or other special file.
    SpecialFile,
    /// Absolute path in an archive.
    AbsolutePath,
    /// Path with `..` components escaping the root (zip-slip).
    PathTraversal,
    /// Path that is not valid UTF-8 or contains control characters.
    InvalidPath,
    /// A repeated path in an archive (recorded; every readable copy is analysed).
    Duplicate,
    /// Entry that could not be read (corrupt archive member, I/O error).
    Unreadable,
    /// Excluded by configuration (`paths.exclude`).
    Excluded,
    /// Skipped because a limit was hit.
    Limit,
}

/// An entry of the target that was not analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedEntry {
    /// The entry's path as recorded (escaped when not printable).
    pub path: String,
    /// Why.
    pub reason: SkipReason,
    /// Details, e.g. the link target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl SkipReason {
    /// Whether skipping this entry leaves content of the target unanalysed, so the scan
    /// must be reported incomplete. Links and special files carry no content of their
    /// own, duplicates are analysed, and excludes are the user's choice; rejected
    /// paths (absolute, traversal, invalid) and unreadable members hide bytes.
    pub fn makes_incomplete(self) -> bool {
        matches!(
            self,
            SkipReason::AbsolutePath
                | SkipReason::PathTraversal
                | SkipReason::InvalidPath
                | SkipReason::Unreadable
                | SkipReason::Limit
        )
    }
}
