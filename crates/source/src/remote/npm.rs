//! npm targets (being written).

use super::{FetchContext, Fetched};
use crate::{SourceError, Target};

/// Fetches a npm target.
pub fn fetch(target: &Target, _ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    Err(SourceError::Unusable {
        what: target.to_string(),
        reason: "npm targets are not supported yet".into(),
    })
}
