//! AS7xx: MCP client configuration files.

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
