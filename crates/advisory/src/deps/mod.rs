//! Dependencies from lockfiles, manifests and installed packages.
//!
//! [`is_dependency_file`] tells by file name whether [`parse`] reads a file; [`parse`]
//! turns one file into [`ResolvedDependency`] values; [`merge`] joins the files of a
//! snapshot (lockfiles win over manifests in the same project directory, duplicates
//! collapse, order is deterministic); [`extract`] does all three for a whole snapshot and
//! follows `requirements.txt` includes.
//!
//! | ecosystem | lockfiles and installed packages | manifests |
//! |---|---|---|
//! | npm | `package-lock.json` (v1–v3), `npm-shrinkwrap.json`, `yarn.lock` (v1, berry), `pnpm-lock.yaml` (v5–v9), `node_modules/[@scope/]name/package.json` | `package.json` |
//! | PyPI | `poetry.lock`, `uv.lock`, `Pipfile.lock`, `*.dist-info/METADATA` | `requirements*.txt` (and `*.txt` in a `requirements/` directory), `pyproject.toml` (PEP 621, PEP 735 groups, Poetry) |
//! | Go | `go.mod` (the selected version of every module since Go 1.17), `go.sum` | |
//! | crates.io | `Cargo.lock` (v1–v4) | |
//!
//! Manifest ranges become the lowest version they allow, marked
//! [`version_from_range`](ResolvedDependency::version_from_range); `*`, dist-tags and
//! similar leave the version empty. Names are kept as the ecosystem spells them (PyPI
//! names as written; matching normalises). Every parser is linear in its input, caps
//! nesting, decodes invalid UTF-8 lossily and reports a malformed file as one
//! [`ParseError`] line.
//!
//! `requirements.txt` includes (`-r other.txt`, `-c constraints.txt`) are not read by
//! [`parse`], which sees one file: [`includes`] lists them, resolved against the including
//! file's directory, and [`extract`] reads those present in the snapshot.

mod cargo_lock;
mod common;
mod dist_info;
mod error;
mod extract;
mod go_mod;
mod go_sum;
mod graph;
mod json_lines;
mod merge;
mod node_modules;
mod npm_spec;
mod package_json;
mod package_lock;
mod pep440_range;
mod pep508;
mod pipfile_lock;
mod pnpm_lock;
mod poetry_lock;
mod pyproject;
mod requirements;
mod uv_lock;
mod yaml;
mod yarn_berry;
mod yarn_classic;

use assay_core::ResolvedDependency;

pub use error::ParseError;
pub use extract::{Extracted, extract};
pub use merge::merge;
pub use requirements::{
    Include, IncludeKind, includes, looks_like_requirements, parse_requirements,
};

/// The formats [`parse`] reads, told apart by file name (and, for `yarn.lock`, by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    PackageLock,
    YarnLock,
    PnpmLock,
    PackageJson,
    InstalledNpm,
    Requirements,
    Pyproject,
    PoetryLock,
    UvLock,
    PipfileLock,
    DistInfo,
    GoMod,
    GoSum,
    CargoLock,
}

impl Format {
    /// The format of the file at `path` (a `/`-separated snapshot path).
    fn of(path: &str) -> Option<Self> {
        let (dir, file) = match path.rsplit_once('/') {
            Some((dir, file)) => (dir, file),
            None => ("", path),
        };
        Some(match file {
            "package-lock.json" | "npm-shrinkwrap.json" => Self::PackageLock,
            "yarn.lock" => Self::YarnLock,
            "pnpm-lock.yaml" => Self::PnpmLock,
            "package.json" if node_modules::is_installed_package_dir(dir) => Self::InstalledNpm,
            "package.json" if common::has_segment(dir, "node_modules") => return None,
            "package.json" => Self::PackageJson,
            "pyproject.toml" => Self::Pyproject,
            "poetry.lock" => Self::PoetryLock,
            "uv.lock" => Self::UvLock,
            "Pipfile.lock" => Self::PipfileLock,
            "METADATA" if dir.ends_with(".dist-info") => Self::DistInfo,
            "go.mod" => Self::GoMod,
            "go.sum" => Self::GoSum,
            "Cargo.lock" => Self::CargoLock,
            _ if requirements::is_requirements_file(dir, file) => Self::Requirements,
            _ => return None,
        })
    }

    /// True for files that pin what is installed (lockfiles, installed packages, and
    /// `go.mod`, whose requirements are the versions Go selects).
    fn is_lock(self) -> bool {
        !matches!(
            self,
            Self::PackageJson | Self::Requirements | Self::Pyproject | Self::GoSum
        )
    }

    /// True for lockfiles that say which packages are development-only or optional;
    /// for the others, [`merge`] takes the scope from the manifest.
    fn records_scope(self) -> bool {
        matches!(
            self,
            Self::PackageLock
                | Self::PnpmLock
                | Self::PoetryLock
                | Self::UvLock
                | Self::PipfileLock
        )
    }
}

/// True when [`parse`] reads the file at `path` (decided by its name alone).
pub fn is_dependency_file(path: &str) -> bool {
    Format::of(path).is_some()
}

/// The dependencies declared or pinned by the file at `path`.
///
/// `None` when the file is not a dependency file; `Err` when it is one but malformed
/// (one line, with the line number when known). Duplicates within the file are
/// collapsed as [`merge`] does.
pub fn parse(path: &str, bytes: &[u8]) -> Option<Result<Vec<ResolvedDependency>, ParseError>> {
    let format = Format::of(path)?;
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let parsed = match format {
        Format::PackageLock => package_lock::parse(path, text),
        Format::YarnLock if yarn_berry::is_berry(text) => yarn_berry::parse(path, text),
        Format::YarnLock => yarn_classic::parse(path, text),
        Format::PnpmLock => pnpm_lock::parse(path, text),
        Format::PackageJson => package_json::parse(path, text),
        Format::InstalledNpm => node_modules::parse(path, text),
        Format::Requirements => requirements::parse(path, text),
        Format::Pyproject => pyproject::parse(path, text),
        Format::PoetryLock => poetry_lock::parse(path, text),
        Format::UvLock => uv_lock::parse(path, text),
        Format::PipfileLock => pipfile_lock::parse(path, text),
        Format::DistInfo => dist_info::parse(path, text),
        Format::GoMod => go_mod::parse(path, text),
        Format::GoSum => go_sum::parse(path, text),
        Format::CargoLock => cargo_lock::parse(path, text),
    };
    Some(parsed.map(common::dedupe))
}
