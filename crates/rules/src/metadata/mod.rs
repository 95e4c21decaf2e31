//! `AS1xx`: rules on the text an agent reads — tool, prompt and resource descriptions,
//! parameter descriptions, defaults, enums, prompt templates and server instructions.
//!
//! Each item of the inventory becomes one [`SurfaceDocument`] so that a payload split
//! across fields is still seen whole. The rules share one pipeline:
//!
//! * `normalize` — lower-cases, folds look-alikes and strips invisible characters and
//!   terminal escapes, keeping a map back to the original text, and splits sentences;
//! * `phrases` — imperative position, negation and denial, and the generic detector of
//!   directives aimed at the model;
//! * `payload` — what decoded hidden content is (instruction, URL, command, script);
//! * `emit` — one finding per rule per document, strongest match first.
//!
//! Rules are kept disjoint: each phrase pattern belongs to exactly one rule. The markup
//! rule (AS101) reports the *hiding*; the concealment, path-lure, shadowing and override
//! rules report *what is asked*, wherever it appears; the Unicode, encoding and ANSI rules
//! report content the user cannot see.

mod ansi_escape_sequences;
mod chars;
mod cross_tool_shadowing;
mod decode;
mod document;
mod emit;
mod encoded_payload;
mod hidden_instruction_markup;
mod instruction_override;
mod invisible_unicode;
mod normalize;
mod payload;
mod phrases;
mod sensitive_path_lure;
mod user_concealment;

pub use document::{DocField, SurfaceDocument};

use crate::Rule;

/// Every `AS1xx` rule, in id order.
pub static RULES: &[&dyn Rule] = &[
    &hidden_instruction_markup::HiddenInstructionMarkup,
    &user_concealment::UserConcealment,
    &sensitive_path_lure::SensitivePathLure,
    &cross_tool_shadowing::CrossToolShadowing,
    &invisible_unicode::InvisibleUnicode,
    &encoded_payload::EncodedPayload,
    &ansi_escape_sequences::AnsiEscapeSequences,
    &instruction_override::InstructionOverride,
];
