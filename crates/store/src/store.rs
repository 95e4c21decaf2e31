//! The [`Store`] trait: everything the service persists, independent of the database.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use assay_core::Report;

use crate::error::Result;
use crate::model::{
    Account, ApiKey, CreatedKey, KeyCheck, NewKey, NewScan, Org, Page, RegistryQuery, Requeued,
    Scan, ScanEvent, ScanQuery, StatusCounts, Submitted,
};
use crate::rate::{Bucket, RateDecision, Subject};
use crate::stats::PublicStats;

/// The service's persistence. Every method is atomic; times are passed in by the caller
/// (`now`) so that behaviour is deterministic and testable.
#[async_trait]
pub trait Store: Send + Sync {
    // ---- orgs and accounts ----

    /// Creates an org; its name must be unused.
    async fn create_org(&self, name: &str, now: OffsetDateTime) -> Result<Org>;
    /// The org with this id.
    async fn org(&self, id: &str) -> Result<Option<Org>>;
    /// Creates an account in an org; its name must be unused.
    async fn create_account(
        &self,
        org_id: &str,
        name: &str,
        tier: &str,
        now: OffsetDateTime,
    ) -> Result<Account>;
    /// The account with this id.
    async fn account(&self, id: &str) -> Result<Option<Account>>;
    /// The account with this name.
    async fn account_by_name(&self, name: &str) -> Result<Option<Account>>;

    // ---- API keys ----

    /// Creates a key and returns its plaintext once. Fails with
    /// [`crate::StoreError::KeyLimit`] when the account already has 10 active keys.
    async fn create_key(&self, request: NewKey, now: OffsetDateTime) -> Result<CreatedKey>;
    /// An account's keys, newest first (revoked and expired ones included).
    async fn keys(&self, account_id: &str) -> Result<Vec<ApiKey>>;
    /// Revokes a key; `false` when there is no such key or it was already revoked.
    async fn revoke_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool>;
    /// Checks a presented key: prefix lookup, constant-time hash comparison, revocation
    /// and expiry. Does not record use: see [`Store::touch_key`].
    async fn authenticate(&self, presented: &str, now: OffsetDateTime) -> Result<KeyCheck>;
    /// Records that a key was used at `now`, unless it was recorded less than a minute
    /// before; returns whether it wrote.
    async fn touch_key(&self, key_id: &str, now: OffsetDateTime) -> Result<bool>;

    // ---- scans ----

    /// Queues a scan, or returns an existing one: a succeeded result (or a queued or
    /// running job) for the same target key, mode, engine version and visibility — for
    /// private scans, of the same org only. `force` always queues a new job.
    async fn submit(&self, request: NewScan, now: OffsetDateTime) -> Result<Submitted>;
    /// The scan with this id, with its report, whoever owns it: check
    /// [`Scan::visible_to`] before showing it, or use [`Store::scan_for`].
    async fn scan(&self, id: &str) -> Result<Option<Scan>>;
    /// The scan with this id if a viewer from `org_id` (`None`: anonymous) may see it.
    async fn scan_for(&self, id: &str, org_id: Option<&str>) -> Result<Option<Scan>> {
        Ok(self.scan(id).await?.filter(|scan| scan.visible_to(org_id)))
    }
    /// An org's scans, newest first, without reports.
    async fn scans(&self, query: &ScanQuery) -> Result<Page<Scan>>;
    /// The most recently finished public scans that succeeded, without reports.
    async fn recent_public(&self, limit: u32) -> Result<Vec<Scan>>;
    /// The latest public result per package, without reports.
    async fn registry(&self, query: &RegistryQuery) -> Result<Page<Scan>>;
    /// The latest public result of one package, with its report.
    async fn registry_package(&self, source: &str, package: &str) -> Result<Option<Scan>>;
    /// The latest public result per version of a package, newest first, without reports.
    async fn versions(&self, source: &str, package: &str) -> Result<Vec<Scan>>;
    /// Jobs by status (public and private).
    async fn status_counts(&self) -> Result<StatusCounts>;
    /// Statistics over public scans only, with the `top_rules` rules found in the most
    /// packages: see [`PublicStats`].
    async fn stats(&self, top_rules: u32) -> Result<PublicStats>;

    // ---- the job queue ----

    /// Leases the oldest claimable job to `worker` for `lease`: a queued job, or a running
    /// one whose lease expired (its worker is presumed dead). Counts an attempt. Jobs
    /// whose expired lease was their last attempt are failed instead.
    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<Scan>>;
    /// Extends `worker`'s lease; `false` when it no longer holds it (stop working).
    async fn heartbeat(
        &self,
        scan_id: &str,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<bool>;
    /// Stores the report of `worker`'s job and marks it succeeded.
    async fn complete(
        &self,
        scan_id: &str,
        worker: &str,
        report: &Report,
        now: OffsetDateTime,
    ) -> Result<Scan>;
    /// Marks `worker`'s job failed (final: retries happen only when a lease expires).
    async fn fail(
        &self,
        scan_id: &str,
        worker: &str,
        code: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<Scan>;
    /// Gives `worker`'s job back to the queue without counting the attempt (graceful
    /// shutdown).
    async fn release(&self, scan_id: &str, worker: &str) -> Result<bool>;
    /// Requeues running jobs whose lease expired before `now`, or fails them with
    /// [`crate::ATTEMPTS_EXHAUSTED`] when that was their last attempt.
    async fn requeue_expired(&self, now: OffsetDateTime) -> Result<Requeued>;
    /// Cancels a queued or running job; `false` when it had already finished (or does not
    /// exist).
    async fn cancel(&self, scan_id: &str, now: OffsetDateTime) -> Result<bool>;
    /// Returns when a job may have become claimable — a submission, release or requeue
    /// through this store or, on PostgreSQL, by any process (`LISTEN`/`NOTIFY`) — or after
    /// `timeout`. Idle workers call it when [`Store::claim`] found nothing, then claim
    /// again; a wake-up that lands between that claim and this call is noticed only at the
    /// timeout, so keep it to seconds (it also bounds how soon expired leases are seen).
    async fn wait_for_work(&self, timeout: Duration);

    // ---- progress events ----

    /// Appends an event to a scan's stream; returns its sequence number (1, 2, …).
    async fn append_event(
        &self,
        scan_id: &str,
        kind: &str,
        payload: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Result<u64>;
    /// Events with a sequence number above `after` (the SSE `Last-Event-ID`), in order.
    async fn events_after(&self, scan_id: &str, after: u64, limit: u32) -> Result<Vec<ScanEvent>>;

    // ---- rate limits ----

    /// Counts one request against `subject`'s `bucket` window starting at `window_start`,
    /// unless that would exceed `limit`: then nothing is counted and `allowed` is false.
    /// Atomic: concurrent callers never push the count past `limit`.
    async fn increment_and_get(
        &self,
        subject: &Subject,
        bucket: Bucket,
        window_start: OffsetDateTime,
        limit: u64,
    ) -> Result<RateDecision>;
    /// Deletes counters of windows that started before `before`; returns how many.
    async fn prune_rate_counters(&self, before: OffsetDateTime) -> Result<u64>;
}
