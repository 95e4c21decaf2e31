//! AS4xx: supply chain (package-level: install scripts, bundled binaries, non-registry sources).

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
