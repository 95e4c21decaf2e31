//! oci targets (being written).

use super::{FetchContext, Fetched};
use crate::{SourceError, Target};

/// Fetches a oci target.
pub fn fetch(target: &Target, _ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    Err(SourceError::Unusable {
        what: target.to_string(),
        reason: "oci targets are not supported yet".into(),
    })
}
