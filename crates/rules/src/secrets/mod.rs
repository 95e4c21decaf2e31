//! `AS6xx`: leaked secrets, gitleaks-style: a keyword prefilter (Aho-Corasick), then
//! regexes, then entropy and known-fake checks. Every finding is redacted at the source.

use crate::Rule;

/// Every `AS6xx` rule.
pub static RULES: &[&dyn Rule] = &[];
