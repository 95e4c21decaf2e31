//! Assay's analysis: bytes in, findings out.
//!
//! * [`lang`] — language detection and budgeted tree-sitter parsing.
//! * [`inventory`] — static extraction of the MCP surface (tools, prompts, resources).
//! * [`manifest`] — package manifest readers.
//! * [`registry`] — the [`Rule`] trait and the list of every rule.
//! * [`metadata`] — `AS1xx` rules on tool/prompt/resource text.
//! * [`secrets`] — `AS6xx` secret detection.
//! * [`taint`] — taint analysis from tool parameters and remote data to sinks.
//! * [`package`] — the package-level facts package rules see.
//!
//! The crate is pure and synchronous: no I/O, no network, no threads. The engine feeds it
//! one file at a time ([`analyze_file`]) and then the whole surface ([`analyze_surface`]).

pub mod behaviour;
pub mod client_config;
pub mod code;
pub mod code_patterns;
pub mod container;
pub mod context;
pub mod dependencies;
pub mod ignore;
pub mod inventory;
pub mod lang;
pub mod malicious;
pub mod manifest;
pub mod metadata;
pub mod package;
pub mod registry;
pub mod secrets;
pub mod supply_chain;
pub mod taint;
pub mod text;
pub mod transport;

mod analyze;

pub use analyze::{FileAnalysis, analyze_file, analyze_package, analyze_surface, timings};
pub use context::PathContext;
pub use dependencies::{DependencyFacts, HandlerImports, analyze_dependencies};
pub use registry::{FileContext, Rule, RuleSet, all_rules, find_rule, new_finding};
