//! AS2xx: handler code — taint from tool parameters and remote data to dangerous sinks.

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
