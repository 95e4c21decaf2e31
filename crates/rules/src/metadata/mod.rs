//! `AS1xx`: rules on the text an agent reads — tool, prompt and resource descriptions,
//! parameter descriptions, defaults, enums, prompt templates and server instructions.
//!
//! Each item of the inventory becomes one [`SurfaceDocument`] so that a payload split
//! across fields is still seen whole.

mod document;

pub use document::{DocField, SurfaceDocument};

use crate::Rule;

/// Every `AS1xx` rule.
pub static RULES: &[&dyn Rule] = &[];
