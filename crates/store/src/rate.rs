//! Fixed-window rate-limit buckets and subjects. Pure: the windows are computed here, the
//! counting is the store's atomic `increment_and_get`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, Time};

use crate::error::StoreError;

/// Who a counter belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// One API key (leak isolation).
    Key(String),
    /// One account, across all of its keys.
    Account(String),
    /// An unauthenticated client, by source address.
    Anonymous(IpAddr),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Key(id) => write!(f, "key:{id}"),
            Subject::Account(id) => write!(f, "account:{id}"),
            Subject::Anonymous(ip) => write!(f, "ip:{}", ip.to_canonical()),
        }
    }
}

/// A counting window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Requests per minute (burst).
    Minute,
    /// Scans per UTC day.
    Day,
    /// Scans per ISO week (Monday 00:00 UTC).
    Week,
    /// Scans per calendar month (UTC).
    Month,
    /// Deep scans per calendar month.
    DeepMonth,
    /// Private scans per calendar month.
    PrivateMonth,
    /// Private deep scans per calendar month.
    PrivateDeepMonth,
}

impl Bucket {
    /// Every bucket.
    pub const ALL: [Bucket; 7] = [
        Bucket::Minute,
        Bucket::Day,
        Bucket::Week,
        Bucket::Month,
        Bucket::DeepMonth,
        Bucket::PrivateMonth,
        Bucket::PrivateDeepMonth,
    ];

    /// The wire and storage name (`deep_month`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Minute => "minute",
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::DeepMonth => "deep_month",
            Bucket::PrivateMonth => "private_month",
            Bucket::PrivateDeepMonth => "private_deep_month",
        }
    }

    /// The window containing `now`: its start (inclusive) and end (exclusive), UTC.
    pub fn window(self, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
        let now = now.to_offset(time::UtcOffset::UTC);
        let midnight = |date: Date| date.with_time(Time::MIDNIGHT).assume_utc();
        match self {
            Bucket::Minute => {
                let start = now
                    .replace_second(0)
                    .and_then(|t| t.replace_nanosecond(0))
                    .unwrap_or(now);
                (start, start + Duration::MINUTE)
            }
            Bucket::Day => {
                let start = midnight(now.date());
                (start, start + Duration::DAY)
            }
            Bucket::Week => {
                let back = i64::from(now.weekday().number_days_from_monday());
                let start = midnight(now.date()) - Duration::days(back);
                (start, start + Duration::WEEK)
            }
            Bucket::Month | Bucket::DeepMonth | Bucket::PrivateMonth | Bucket::PrivateDeepMonth => {
                let first = now.date().replace_day(1).unwrap_or(now.date());
                let (year, month) = match first.month() {
                    Month::December => (first.year() + 1, Month::January),
                    month => (first.year(), month.next()),
                };
                let next = Date::from_calendar_date(year, month, 1).unwrap_or(first);
                (midnight(first), midnight(next))
            }
        }
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Bucket {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Bucket, StoreError> {
        Bucket::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| StoreError::invalid("rate bucket", format!("{s:?}")))
    }
}

/// The outcome of one `increment_and_get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request was counted (it was under the limit).
    pub allowed: bool,
    /// The window's count after this call (unchanged when refused).
    pub count: u64,
    /// The limit that was applied.
    pub limit: u64,
}

impl RateDecision {
    /// Requests left in the window.
    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_align_to_utc_calendar_boundaries() {
        let now = datetime!(2026-03-18 14:37:22.5 UTC); // a Wednesday
        assert_eq!(
            Bucket::Minute.window(now),
            (
                datetime!(2026-03-18 14:37 UTC),
                datetime!(2026-03-18 14:38 UTC)
            )
        );
        assert_eq!(
            Bucket::Day.window(now),
            (
                datetime!(2026-03-18 0:00 UTC),
                datetime!(2026-03-19 0:00 UTC)
            )
        );
        assert_eq!(
            Bucket::Week.window(now),
            (
                datetime!(2026-03-16 0:00 UTC),
                datetime!(2026-03-23 0:00 UTC)
            )
        );
        assert_eq!(
            Bucket::DeepMonth.window(now),
            (
                datetime!(2026-03-01 0:00 UTC),
                datetime!(2026-04-01 0:00 UTC)
            )
        );
        assert_eq!(
            Bucket::Month.window(datetime!(2026-12-31 23:59:59 UTC)),
            (
                datetime!(2026-12-01 0:00 UTC),
                datetime!(2027-01-01 0:00 UTC)
            )
        );
        // A non-UTC clock lands in the same UTC window.
        assert_eq!(
            Bucket::Day.window(datetime!(2026-03-19 01:00 +02:00)).0,
            datetime!(2026-03-18 0:00 UTC)
        );
        // Monday is the first day of its own week.
        assert_eq!(
            Bucket::Week.window(datetime!(2026-03-16 0:00 UTC)).0,
            datetime!(2026-03-16 0:00 UTC)
        );
    }

    #[test]
    fn names_round_trip_and_subjects_are_distinct() {
        for bucket in Bucket::ALL {
            assert_eq!(bucket.as_str().parse::<Bucket>().unwrap(), bucket);
        }
        assert!("fortnight".parse::<Bucket>().is_err());
        assert_eq!(Subject::Key("k1".into()).to_string(), "key:k1");
        assert_eq!(Subject::Account("k1".into()).to_string(), "account:k1");
        assert_eq!(
            Subject::Anonymous("::ffff:192.0.2.1".parse().unwrap()).to_string(),
            "ip:192.0.2.1"
        );
    }
}
