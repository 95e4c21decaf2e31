//! Hostile-input tests of the snapshot readers. Every archive is built here, in a
//! temporary directory, with the tar, zip and flate2 crates; nothing binary is committed.

mod common;
mod directory;
mod errors;
mod tar;
mod zip;
