//! Package-level facts: what rules see once every file is analysed.

use assay_core::Inventory;

use crate::taint::{HandlerEffects, TaintFlow};

/// Everything known about the package as a whole.
pub struct PackageFacts<'a> {
    /// The merged, sorted inventory.
    pub inventory: &'a Inventory,
    /// Every taint flow, in-file and cross-file ([`crate::taint::link`]).
    pub flows: &'a [TaintFlow],
    /// The effects of every handler.
    pub handlers: &'a [HandlerEffects],
}
