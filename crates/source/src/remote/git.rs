//! git targets (being written).

use super::{FetchContext, Fetched};
use crate::{SourceError, Target};

/// Fetches a git target.
pub fn fetch(target: &Target, _ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    Err(SourceError::Unusable {
        what: target.to_string(),
        reason: "git targets are not supported yet".into(),
    })
}
