//! Times as the database stores them: Unix milliseconds, UTC.

use time::{Duration, OffsetDateTime};

use crate::error::{Result, StoreError};

/// `at` as Unix milliseconds.
pub(crate) fn to_millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Unix milliseconds as a UTC time.
pub(crate) fn from_millis(millis: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|e| StoreError::corrupt("timestamp", e))
}

/// An optional column.
pub(crate) fn from_millis_opt(millis: Option<i64>) -> Result<Option<OffsetDateTime>> {
    millis.map(from_millis).transpose()
}

/// `duration` in whole milliseconds (saturating).
pub(crate) fn duration_millis(duration: Duration) -> i64 {
    i64::try_from(duration.whole_milliseconds()).unwrap_or(i64::MAX)
}
