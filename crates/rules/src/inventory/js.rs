//! Surface extraction for this language (being written).

use assay_core::Inventory;
use tree_sitter::Tree;

use crate::registry::FileContext;

/// Extracts the surface declared in `file`.
pub fn extract(_file: &FileContext<'_>, _tree: &Tree) -> Inventory {
    Inventory::default()
}
