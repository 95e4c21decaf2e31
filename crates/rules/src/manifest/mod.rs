//! Package manifest readers: `package.json`, `pyproject.toml`, `setup.cfg`, `setup.py`
//! (literal `setup(...)` keywords only — never executed), `go.mod`.
//!
//! Also position-keeping readers for rules that point into such files: [`jsonc`] (JSON
//! with spans, comments and trailing commas), [`requirements`] (pip requirement files)
//! and [`go_replaces`] (`go.mod` `replace` directives).
//!
//! Readers are matched on the file name in any directory. Manifests are attacker-written:
//! oversized input is refused, malformed JSON/TOML yields `None`, nothing panics.
//!
//! Dependency scopes: `runtime`, `dev`, `optional`, `peer`, `build`, and `indirect` for
//! Go modules marked `// indirect`.

mod gomod;
mod ini;
pub mod jsonc;
mod npm;
mod pep508;
mod pyproject;
pub mod requirements;
mod setup_cfg;
mod setup_py;

pub use gomod::{Replace, replaces as go_replaces};
pub(crate) use setup_py::find_setup_call;

use assay_core::{Dependency, PackageInfo};

/// Manifests larger than this are not read (real ones are a few KiB).
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;

/// Reads the manifest at `path` if its file name is a known manifest.
pub fn read(path: &str, text: &str) -> Option<PackageInfo> {
    if text.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let file_name = path.rsplit('/').next().unwrap_or(path);
    match file_name {
        "package.json" => npm::read(path, text),
        "pyproject.toml" => pyproject::read(path, text),
        "setup.cfg" => setup_cfg::read(path, text),
        "setup.py" => setup_py::read(path, text),
        "go.mod" => gomod::read(path, text),
        _ => None,
    }
}

/// An empty [`PackageInfo`] of `ecosystem` for the manifest at `path`.
fn package(ecosystem: &str, path: &str) -> PackageInfo {
    PackageInfo {
        ecosystem: ecosystem.to_string(),
        name: None,
        version: None,
        manifest: path.to_string(),
        dependencies: Vec::new(),
        install_scripts: Vec::new(),
        entry_points: Vec::new(),
    }
}

/// A dependency with an optional requirement (empty requirements become `None`).
fn dependency(name: &str, requirement: Option<&str>, scope: &str) -> Dependency {
    Dependency {
        name: name.trim().to_string(),
        requirement: requirement
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string),
        scope: scope.to_string(),
    }
}

/// Appends the PEP 508 requirement strings of `specs` as dependencies of `scope`.
fn push_requirements<'a>(
    out: &mut Vec<Dependency>,
    specs: impl IntoIterator<Item = &'a str>,
    scope: &str,
) {
    for spec in specs {
        if let Some(dep) = pep508::parse(spec, scope) {
            out.push(dep);
        }
    }
}
