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
    /// The target string is not in any accepted form, or a reference or base path is
    /// malformed.
    #[error("invalid target `{input}`: {reason}{}", if *forms { format!("; accepted forms: {}", crate::target::ACCEPTED_FORMS) } else { String::new() })]
    InvalidTarget {
        /// The offending input (credentials cut out, control characters escaped).
        input: String,
        /// What is wrong.
        reason: String,
        /// Whether to list the accepted target forms.
        forms: bool,
    },
    /// A credential was supplied that is malformed or empty.
    #[error("invalid credentials: {reason}")]
    InvalidCredentials {
        /// What is wrong (never the credential itself).
        reason: String,
    },
    /// A credential for one kind of target was supplied for another.
    #[error(
        "credential type `{credential}` does not match the target ({target}); nothing was downloaded"
    )]
    CredentialTypeMismatch {
        /// The credential's type.
        credential: String,
        /// The kind of target.
        target: String,
    },
    /// A host resolved only to addresses the network policy refuses.
    #[error(
        "refused to connect to `{host}`: it resolves to a {class} address ({address}); pass --allow-private-network to allow it"
    )]
    PrivateNetwork {
        /// The host.
        host: String,
        /// The address refused.
        address: String,
        /// `loopback`, `private`, `link-local`, `metadata`…
        class: &'static str,
    },
    /// The package, version, repository, reference or image does not exist (or is not
    /// visible with the credentials given).
    #[error("{what} not found{}", hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default())]
    RemoteNotFound {
        /// What was looked for (`npm package foo`, `version 9.9.9 of npm package foo`).
        what: String,
        /// More detail, e.g. the versions that exist.
        hint: Option<String>,
    },
    /// The remote refused the request for lack of (valid) credentials.
    #[error("{what}: access denied (HTTP {status}){}", if *had_credentials { "; the credentials given were not accepted" } else { "; it may be private: pass --token" })]
    AccessDenied {
        /// What was requested.
        what: String,
        /// The HTTP status (401 or 403), or 0 for a non-HTTP transport.
        status: u16,
        /// Whether credentials were sent.
        had_credentials: bool,
    },
    /// Downloaded content does not match the digest the registry published.
    #[error("integrity check failed for {what}: expected {expected}, got {actual}")]
    Integrity {
        /// The artifact.
        what: String,
        /// The published digest.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// A download or response exceeded its size cap.
    #[error("{what} is larger than the {limit}-byte download limit")]
    TooLarge {
        /// The artifact.
        what: String,
        /// The cap.
        limit: u64,
    },
    /// A network, protocol or remote-side failure.
    #[error("cannot fetch {what}: {reason}")]
    Network {
        /// What was being fetched (a URL without credentials or query).
        what: String,
        /// Why.
        reason: String,
    },
    /// The remote answered with something Assay cannot use (bad JSON, no usable
    /// artifact, an unsupported manifest type…).
    #[error("{what}: {reason}")]
    Unusable {
        /// What was being read.
        what: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The download cache could not be used.
    #[error("cache error at {path}: {reason}")]
    Cache {
        /// The cache path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The scan was cancelled while fetching or reading the target.
    #[error("the scan was cancelled")]
    Cancelled,
    /// The background reader could not be started.
    #[error("cannot start reading target `{path}`: {reason}")]
    Reader {
        /// The path as given.
        path: String,
        /// The operating system's explanation.
        reason: String,
    },
}

impl SourceError {
    /// A stable, machine-readable error code (the service's `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::NotFound { .. } => "TARGET_NOT_FOUND",
            SourceError::Unsupported { .. } | SourceError::InvalidTarget { .. } => "INVALID_TARGET",
            SourceError::Unreadable { .. } | SourceError::Reader { .. } => "TARGET_UNREADABLE",
            SourceError::CorruptArchive { .. } => "CORRUPT_ARCHIVE",
            SourceError::InvalidCredentials { .. } => "INVALID_CREDENTIALS",
            SourceError::CredentialTypeMismatch { .. } => "CREDENTIAL_TYPE_MISMATCH",
            SourceError::PrivateNetwork { .. } => "PRIVATE_NETWORK_REFUSED",
            SourceError::RemoteNotFound { .. } => "REMOTE_NOT_FOUND",
            SourceError::AccessDenied { .. } => "ACCESS_DENIED",
            SourceError::Integrity { .. } => "INTEGRITY_MISMATCH",
            SourceError::TooLarge { .. } => "DOWNLOAD_TOO_LARGE",
            SourceError::Network { .. } => "NETWORK_ERROR",
            SourceError::Unusable { .. } => "REMOTE_UNUSABLE",
            SourceError::Cache { .. } => "CACHE_ERROR",
            SourceError::Cancelled => "SCAN_CANCELLED",
        }
    }
}

impl From<assay_core::Cancelled> for SourceError {
    fn from(_: assay_core::Cancelled) -> SourceError {
        SourceError::Cancelled
    }
}
