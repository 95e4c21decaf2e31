//! AS8xx: container images and Dockerfiles.

use crate::Rule;

/// Every rule of this family.
pub static RULES: &[&dyn Rule] = &[];
