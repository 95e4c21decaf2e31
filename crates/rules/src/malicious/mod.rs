//! AS5xx: malicious-behaviour indicators.

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
