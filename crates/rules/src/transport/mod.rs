//! AS3xx: transport and authentication.

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
