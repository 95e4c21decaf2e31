//! Scoring: an AIVSS score per finding ([`aivss`]) and the package score and grade
//! ([`package`]). `docs/scoring.md` states the same formulas; the constants live here
//! only, and the docs quote them from this module's tests.

pub mod aivss;
pub mod package;

pub use aivss::score_finding;
pub use package::{FORMULA_VERSION, grade_for, score_package, sub_score};
