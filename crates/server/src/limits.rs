//! Rate limits: tiers from configuration, fixed windows counted through the store per key
//! and per account (or per source address for anonymous callers), and the
//! `X-RateLimit-*` headers.
//!
//! Every keyed request counts against the `minute` bucket. A scan submission also counts
//! against `day`, `week` and `month` (public scans) or `private_month` (private scans),
//! plus `deep_month` / `private_deep_month` for deep scans. A missing limit means no cap
//! for that window. Buckets are checked in order and each check counts the request, so a
//! refused request may have used up room in the buckets checked before the one that refused.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use assay_store::{Bucket, Mode, RateDecision, Store, Subject, Visibility};
use axum::http::{HeaderMap, HeaderValue};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::counters::LocalCounters;
use crate::error::ApiError;

/// The tier anonymous callers get.
pub const ANONYMOUS: &str = "anonymous";
/// The tier new accounts get unless another is named.
pub const DEFAULT_TIER: &str = "developer";

/// Caps of one tier; `None` is unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Requests per minute.
    pub minute: Option<u64>,
    /// Public scans per day.
    pub day: Option<u64>,
    /// Public scans per week.
    pub week: Option<u64>,
    /// Public scans per month.
    pub month: Option<u64>,
    /// Deep public scans per month.
    pub deep_month: Option<u64>,
    /// Private scans per month.
    pub private_month: Option<u64>,
    /// Deep private scans per month.
    pub private_deep_month: Option<u64>,
}

impl Tier {
    fn limit(&self, bucket: Bucket) -> Option<u64> {
        match bucket {
            Bucket::Minute => self.minute,
            Bucket::Day => self.day,
            Bucket::Week => self.week,
            Bucket::Month => self.month,
            Bucket::DeepMonth => self.deep_month,
            Bucket::PrivateMonth => self.private_month,
            Bucket::PrivateDeepMonth => self.private_deep_month,
        }
    }
}

/// The configured tiers by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiers(BTreeMap<String, Tier>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TiersFile {
    #[serde(default)]
    tiers: BTreeMap<String, Tier>,
}

impl Default for Tiers {
    /// MCPSafe's published tiers: anonymous, free, developer, team, business.
    fn default() -> Tiers {
        let tier = |minute, day, month, deep_month, private_month, private_deep_month| Tier {
            minute: Some(minute),
            day,
            week: None,
            month,
            deep_month: Some(deep_month),
            private_month: Some(private_month),
            private_deep_month: Some(private_deep_month),
        };
        Tiers(BTreeMap::from([
            (ANONYMOUS.into(), tier(3, Some(10), None, 0, 0, 0)),
            ("free".into(), tier(5, Some(20), None, 6, 0, 0)),
            ("developer".into(), tier(10, None, Some(200), 20, 70, 20)),
            ("team".into(), tier(20, None, Some(2_000), 60, 700, 40)),
            (
                "business".into(),
                tier(30, None, Some(20_000), 180, 4_000, 120),
            ),
        ]))
    }
}

impl Tiers {
    /// The defaults, with the `[tiers.NAME]` tables of a TOML file replacing or adding tiers.
    pub fn load(path: &Path) -> Result<Tiers, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: TiersFile =
            toml::from_str(&text).map_err(|e| format!("invalid {}: {e}", path.display()))?;
        let mut tiers = Tiers::default();
        tiers.0.extend(file.tiers);
        Ok(tiers)
    }

    /// The tier with this name; an unknown name gets the most restrictive signed-in tier
    /// (`free`), never more.
    pub fn get(&self, name: &str) -> (&str, Tier) {
        match self.0.get_key_value(name) {
            Some((name, tier)) => (name, tier.clone()),
            None => ("free", self.0.get("free").cloned().unwrap_or_default()),
        }
    }
}

/// A refused request, for the 429 body and `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimited {
    /// The bucket that refused (`minute`, `day`, …).
    pub window: &'static str,
    /// The caller's tier.
    pub tier: String,
    /// Requests in the window counting this one.
    pub current: u64,
    /// The cap.
    pub limit: u64,
    /// Seconds until the window resets.
    pub retry_after_seconds: u64,
    /// When the window resets (Unix seconds).
    pub reset: i64,
}

/// What the `X-RateLimit-*` headers show: the tightest bucket checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSnapshot {
    /// The cap.
    pub limit: u64,
    /// Room left.
    pub remaining: u64,
    /// When the window resets (Unix seconds).
    pub reset: i64,
}

impl RateSnapshot {
    /// The tighter of two snapshots (less room left).
    pub fn tighter(self, other: Option<RateSnapshot>) -> RateSnapshot {
        match other {
            Some(other) if other.remaining < self.remaining => other,
            _ => self,
        }
    }

    /// Sets `X-RateLimit-Limit`, `-Remaining` and `-Reset`.
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset));
    }
}

/// Whose counters a request is charged to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// Key and account, or the source address.
    pub subjects: Vec<Subject>,
    /// The tier's name.
    pub tier_name: String,
    /// Its caps.
    pub tier: Tier,
}

impl Charge {
    /// An anonymous caller at `ip`.
    pub fn anonymous(tiers: &Tiers, ip: IpAddr) -> Charge {
        let (name, tier) = tiers.get(ANONYMOUS);
        Charge {
            subjects: vec![Subject::Anonymous(ip)],
            tier_name: name.to_string(),
            tier,
        }
    }

    /// A key and the account it acts for.
    pub fn keyed(tiers: &Tiers, key_id: &str, account_id: &str, tier: &str) -> Charge {
        let (name, tier) = tiers.get(tier);
        Charge {
            subjects: vec![
                Subject::Key(key_id.to_string()),
                Subject::Account(account_id.to_string()),
            ],
            tier_name: name.to_string(),
            tier,
        }
    }

    /// Counts one request in the minute window.
    pub async fn request(
        &self,
        counter: Counter<'_>,
        now: OffsetDateTime,
    ) -> Result<Option<RateSnapshot>, ApiError> {
        self.count(counter, &[Bucket::Minute], now).await
    }

    /// Counts one scan submission in the windows its mode and visibility use.
    pub async fn submission(
        &self,
        store: &dyn Store,
        mode: Mode,
        visibility: Visibility,
        now: OffsetDateTime,
    ) -> Result<Option<RateSnapshot>, ApiError> {
        let deep = mode == Mode::Deep;
        let buckets: &[Bucket] = match (visibility, deep) {
            (Visibility::Public, false) => &[Bucket::Day, Bucket::Week, Bucket::Month],
            (Visibility::Public, true) => {
                &[Bucket::Day, Bucket::Week, Bucket::Month, Bucket::DeepMonth]
            }
            (Visibility::Private, false) => &[Bucket::PrivateMonth],
            (Visibility::Private, true) => &[Bucket::PrivateMonth, Bucket::PrivateDeepMonth],
        };
        self.count(Counter::Store(store), buckets, now).await
    }

    async fn count(
        &self,
        counter: Counter<'_>,
        buckets: &[Bucket],
        now: OffsetDateTime,
    ) -> Result<Option<RateSnapshot>, ApiError> {
        let mut tightest: Option<RateSnapshot> = None;
        for &bucket in buckets {
            let Some(limit) = self.tier.limit(bucket) else {
                continue;
            };
            let (start, end) = bucket.window(now);
            for subject in &self.subjects {
                let decision = counter
                    .increment_and_get(subject, bucket, start, limit)
                    .await?;
                if !decision.allowed {
                    return Err(ApiError::RateLimited(RateLimited {
                        window: bucket.as_str(),
                        tier: self.tier_name.clone(),
                        current: decision.count + 1,
                        limit,
                        retry_after_seconds: (end - now).whole_seconds().max(1) as u64,
                        reset: end.unix_timestamp(),
                    }));
                }
                let snapshot = RateSnapshot {
                    limit,
                    remaining: decision.remaining(),
                    reset: end.unix_timestamp(),
                };
                tightest = Some(snapshot.tighter(tightest));
            }
        }
        Ok(tightest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiers_file_replaces_and_adds_tiers_over_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiers.toml");
        std::fs::write(
            &path,
            "[tiers.developer]\nminute = 2\n[tiers.ci]\nminute = 100\nmonth = 5\n",
        )
        .unwrap();
        let tiers = Tiers::load(&path).unwrap();
        assert_eq!(tiers.get("developer").1.minute, Some(2));
        assert_eq!(tiers.get("developer").1.month, None);
        assert_eq!(tiers.get("ci").1.month, Some(5));
        assert_eq!(tiers.get("team").1.minute, Some(20));
        assert_eq!(tiers.get("nonexistent").0, "free");
        std::fs::write(&path, "[tiers.x]\nhourly = 2\n").unwrap();
        assert!(Tiers::load(&path).unwrap_err().contains("hourly"));
    }

    #[test]
    fn anonymous_callers_get_no_deep_or_private_room() {
        let (_, anon) = Tiers::default().get(ANONYMOUS);
        assert_eq!(anon.deep_month, Some(0));
        assert_eq!(anon.private_month, Some(0));
        assert_eq!(anon.minute, Some(3));
    }

    #[test]
    fn the_tighter_snapshot_has_less_room() {
        let a = RateSnapshot {
            limit: 10,
            remaining: 5,
            reset: 1,
        };
        let b = RateSnapshot {
            limit: 3,
            remaining: 1,
            reset: 2,
        };
        assert_eq!(a.tighter(Some(b)), b);
        assert_eq!(b.tighter(Some(a)), b);
        assert_eq!(a.tighter(None), a);
    }
}

/// Where a window is counted: the database (shared by every process) or this process's
/// memory.
#[derive(Clone, Copy)]
pub enum Counter<'a> {
    /// [`Store::increment_and_get`].
    Store(&'a dyn Store),
    /// [`LocalCounters::increment_and_get`].
    Local(&'a LocalCounters),
}

impl Counter<'_> {
    async fn increment_and_get(
        self,
        subject: &Subject,
        bucket: Bucket,
        start: OffsetDateTime,
        limit: u64,
    ) -> assay_store::Result<RateDecision> {
        match self {
            Counter::Store(store) => store.increment_and_get(subject, bucket, start, limit).await,
            Counter::Local(local) => Ok(local.increment_and_get(subject, bucket, start, limit)),
        }
    }
}
