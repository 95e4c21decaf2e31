//! The rows the store hands out and the requests it takes.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use assay_core::Report;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::{Result, StoreError};
use crate::scope::{Scope, ScopeSet};
use crate::summary::ReportSummary;

/// An organisation: the unit private scans are shared within.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// Opaque id.
    pub id: String,
    /// Unique name.
    pub name: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A user or service account; belongs to one org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Opaque id.
    pub id: String,
    /// The org it belongs to.
    pub org_id: String,
    /// Unique name (an e-mail address or a service name).
    pub name: String,
    /// The rate-limit tier (a name from the service's configuration).
    pub tier: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// An API key as stored: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Opaque id.
    pub id: String,
    /// The account it acts for.
    pub account_id: String,
    /// A label chosen by its owner.
    pub name: String,
    /// The public part of the key (`assay_0123456789`), safe to show.
    pub prefix: String,
    /// Granted scopes (umbrellas kept as granted).
    pub scopes: ScopeSet,
    /// Source networks the key may be used from (empty: anywhere).
    pub allowed_cidrs: Vec<IpNet>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// When it was last used (written at most once a minute).
    pub last_used_at: Option<OffsetDateTime>,
}

impl ApiKey {
    /// Whether the key is neither revoked nor expired at `now`.
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }

    /// Whether a request from `source` needing `scope` may proceed. A source outside the
    /// allowlist is refused exactly like a missing scope, so callers cannot tell which
    /// check failed.
    pub fn permits(&self, scope: Scope, source: IpAddr) -> bool {
        self.scopes.allows(scope) && crate::cidr::allows(&self.allowed_cidrs, source)
    }
}

/// A request to create a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// The account the key acts for.
    pub account_id: String,
    /// A label.
    pub name: String,
    /// Scopes to grant (at least one).
    pub scopes: ScopeSet,
    /// Lifetime (default 90 days, at most 365).
    pub lifetime: Option<Duration>,
    /// Source networks (at most 20; empty: anywhere).
    pub allowed_cidrs: Vec<String>,
}

/// A key just created, with its plaintext: show it once, then drop it. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedKey {
    /// The stored key.
    pub key: ApiKey,
    /// The whole key.
    pub plaintext: String,
}

impl fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedKey")
            .field("key", &self.key)
            .field("plaintext", &"<redacted>")
            .finish()
    }
}

/// The result of presenting a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// The key is valid: the caller still checks scopes and the source address with
    /// [`ApiKey::permits`].
    Valid(Box<Principal>),
    /// The key was refused (the service answers every reason with the same 401).
    Rejected(KeyRejection),
}

/// Who a valid key acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The key.
    pub key: ApiKey,
    /// The account it acts for.
    pub account: Account,
}

/// Why a presented key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRejection {
    /// Not shaped like an Assay key.
    Malformed,
    /// No key has that prefix.
    Unknown,
    /// The prefix exists but the secret does not match.
    WrongSecret,
    /// The key was revoked.
    Revoked,
    /// The key expired.
    Expired,
}

/// Generates `as_str`, `Display`, `FromStr` and serde (lower-case names) for a unit enum.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire and storage name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = StoreError;

            fn from_str(s: &str) -> Result<$name> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(StoreError::invalid(stringify!($name), format!("{s:?}"))),
                }
            }
        }
    };
}

named_enum!(
    /// How deep a scan goes.
    Mode {
        /// Fast static analysis.
        Fast = "fast",
        /// Deep static analysis.
        Deep = "deep",
    }
);

named_enum!(
    /// Who may see a scan.
    Visibility {
        /// Anyone: listed in recent scans and the registry, shared as a cache.
        Public = "public",
        /// The submitting org only.
        Private = "private",
    }
);

named_enum!(
    /// Where a scan job is.
    ScanStatus {
        /// Waiting for a worker.
        Queued = "queued",
        /// Leased by a worker.
        Running = "running",
        /// Finished with a report.
        Succeeded = "succeeded",
        /// Finished without a report.
        Failed = "failed",
        /// Cancelled before it finished.
        Cancelled = "cancelled",
    }
);

impl ScanStatus {
    /// Whether the scan will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ScanStatus::Succeeded | ScanStatus::Failed | ScanStatus::Cancelled
        )
    }
}

/// Who submitted a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The org (private scans are visible to it only).
    pub org_id: String,
    /// The account.
    pub account_id: String,
}

/// A scan submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScan {
    /// The submitter; `None` for anonymous (public only).
    pub owner: Option<Owner>,
    /// The target as typed.
    pub input: String,
    /// `--base-path`.
    pub base_path: Option<String>,
    /// `--ref`.
    pub git_ref: Option<String>,
    /// The canonical target key (parsed target, base path and ref), for idempotency.
    pub target_key: String,
    /// Fast or deep.
    pub mode: Mode,
    /// Public or private (private needs an owner).
    pub visibility: Visibility,
    /// The engine version that will run it (part of the idempotency key).
    pub engine_version: String,
    /// Claims allowed before the job is abandoned (at least 1).
    pub max_attempts: u32,
    /// Scan again even when a result exists.
    pub force: bool,
}

/// How a submission was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOrigin {
    /// A new job was queued.
    Created,
    /// An existing finished result was returned (`cached: true`).
    Cached,
    /// An identical job already queued or running was returned.
    Joined,
}

/// The answer to a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// The scan (new or existing).
    pub scan: Scan,
    /// How it was found.
    pub origin: SubmitOrigin,
}

impl Submitted {
    /// Whether an existing finished result was returned.
    pub fn cached(&self) -> bool {
        self.origin == SubmitOrigin::Cached
    }
}

/// Why a scan failed. Messages are one line and never carry credentials: the store never
/// receives any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    /// Machine-readable code (`TARGET_NOT_FOUND`, [`ATTEMPTS_EXHAUSTED`]).
    pub code: String,
    /// Human message.
    pub message: String,
}

/// The error code of a job abandoned after its last attempt lost its lease.
pub const ATTEMPTS_EXHAUSTED: &str = "ATTEMPTS_EXHAUSTED";
/// The error code of a cancelled job.
pub const CANCELLED: &str = "CANCELLED";

/// A scan job and, when it succeeded, its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// Opaque id (a UUID).
    pub id: String,
    /// The submitter; `None` for anonymous.
    pub owner: Option<Owner>,
    /// The target as typed.
    pub input: String,
    /// `--base-path`.
    pub base_path: Option<String>,
    /// `--ref`.
    pub git_ref: Option<String>,
    /// The canonical target key.
    pub target_key: String,
    /// Fast or deep.
    pub mode: Mode,
    /// Public or private.
    pub visibility: Visibility,
    /// The engine version.
    pub engine_version: String,
    /// Where the job is.
    pub status: ScanStatus,
    /// Claims so far.
    pub attempts: u32,
    /// Claims allowed.
    pub max_attempts: u32,
    /// The worker holding the lease.
    pub lease_owner: Option<String>,
    /// When the lease runs out.
    pub lease_expires_at: Option<OffsetDateTime>,
    /// The last heartbeat.
    pub heartbeat_at: Option<OffsetDateTime>,
    /// Submission time.
    pub created_at: OffsetDateTime,
    /// First claim.
    pub started_at: Option<OffsetDateTime>,
    /// Completion, failure or cancellation.
    pub finished_at: Option<OffsetDateTime>,
    /// Why it failed or was cancelled.
    pub error: Option<ScanError>,
    /// Listing columns of the result.
    pub summary: Option<ReportSummary>,
    /// How many later identical submissions were answered with this scan's result
    /// ([`SubmitOrigin::Cached`]).
    pub cache_hits: u64,
    /// The report (JSON of [`Report`]); `None` until it succeeds, and in listings.
    pub report_json: Option<String>,
}

impl Scan {
    /// The report, decoded.
    pub fn report(&self) -> Result<Option<Report>> {
        self.report_json
            .as_deref()
            .map(|json| serde_json::from_str(json).map_err(|e| StoreError::corrupt("report", e)))
            .transpose()
    }

    /// Whether a viewer from `org_id` (`None`: anonymous) may see the scan: public scans
    /// are visible to everyone, private ones to their org only.
    pub fn visible_to(&self, org_id: Option<&str>) -> bool {
        match self.visibility {
            Visibility::Public => true,
            Visibility::Private => {
                matches!((&self.owner, org_id), (Some(owner), Some(org)) if owner.org_id == org)
            }
        }
    }
}

/// Filters for an org's own history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanQuery {
    /// The org whose scans to list.
    pub org_id: String,
    /// Only this account's scans.
    pub account_id: Option<String>,
    /// Only this status.
    pub status: Option<ScanStatus>,
    /// Only this visibility.
    pub visibility: Option<Visibility>,
    /// Only this source (`npm`, `pypi`, `github`, …; from the result's canonical id).
    pub source: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows matching the filters in all pages.
    pub total: u64,
}

/// Sort order of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrySort {
    /// Highest score first.
    #[default]
    ScoreDesc,
    /// Lowest score first.
    ScoreAsc,
    /// Most recently scanned first.
    Recent,
    /// Least recently scanned first.
    Oldest,
    /// By package name, A to Z.
    Name,
    /// By package name, Z to A.
    NameDesc,
}

/// Filters for the registry: the latest public result per package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryQuery {
    /// A substring of the package name (case-insensitive).
    pub search: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Order.
    pub sort: RegistrySort,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// One progress event of a scan, for SSE.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanEvent {
    /// The scan.
    pub scan_id: String,
    /// 1, 2, 3… per scan: the SSE event id.
    pub seq: u64,
    /// The SSE event name (`queued`, `phase`, `finished`, …).
    pub kind: String,
    /// The data.
    pub payload: serde_json::Value,
    /// When it was appended.
    pub created_at: OffsetDateTime,
}

/// Jobs by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Waiting.
    pub queued: u64,
    /// Leased.
    pub running: u64,
    /// Finished with a report.
    pub succeeded: u64,
    /// Finished without one.
    pub failed: u64,
    /// Cancelled.
    pub cancelled: u64,
}

/// What [`crate::Store::requeue_expired`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requeued {
    /// Jobs put back in the queue.
    pub requeued: u64,
    /// Jobs failed with [`ATTEMPTS_EXHAUSTED`].
    pub abandoned: u64,
}
