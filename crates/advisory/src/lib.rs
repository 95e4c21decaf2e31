//! Assay's supply-chain knowledge, pure and offline (no network, no async, no SQL):
//!
//! - [`osv`]: the OSV schema's records, as published by osv.dev and its mirrors;
//! - [`version`]: version ordering per ecosystem (npm/SemVer, PyPI/PEP 440, Go, crates)
//!   and the OSV event walk that decides whether a version is affected;
//! - [`db`]: the local advisory database (import from OSV zips, directories and single
//!   records; atomic generations; indexed lookup by package);
//! - [`deps`]: dependencies from lockfiles and manifests;
//! - [`typosquat`]: names that imitate popular packages.
//!
//! Fetching OSV archives is the `source` crate's job; this crate reads what is on disk.

pub mod db;
pub mod deps;
pub mod osv;
pub mod typosquat;
pub mod version;
