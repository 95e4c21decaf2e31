//! Shared machinery of the pattern-based file rules (`AS3xx` transport, `AS5xx`
//! malicious-behaviour indicators): source text with comments blanked out and string
//! literals located ([`CodeText`]), bracket matching, a small bounded local data flow over
//! assignments ([`flow`]), vocabularies of calls per language ([`apis`]) and the one way
//! these rules turn matches into findings ([`report`]).
//!
//! These rules look for *shapes* of code (a TLS option set to `false`, a decoder feeding
//! `eval`) rather than taint from tool parameters, so they work on text. Comments never
//! count as code, every search is behind a literal prefilter, and every scan is linear and
//! bounded, so minified bundles of several megabytes stay cheap.

pub mod apis;
mod code_text;
pub mod flow;
pub mod functions;
mod js_assign;
pub mod report;

pub use code_text::CodeText;
