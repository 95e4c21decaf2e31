use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A package manifest found in the snapshot (`package.json`, `pyproject.toml`,
/// `setup.cfg`/`setup.py`, `go.mod`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PackageInfo {
    /// `npm`, `pypi` or `go`.
    pub ecosystem: String,
    /// Package (or module) name, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Version, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Path of the manifest inside the snapshot.
    pub manifest: String,
    /// Declared dependencies.
    pub dependencies: Vec<Dependency>,
    /// Install-time and lifecycle scripts (`preinstall`, `install`, `postinstall`,
    /// `prepare`), as `name: command`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_scripts: Vec<String>,
    /// Executables the package installs (`bin`, `[project.scripts]`, console scripts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_points: Vec<String>,
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Dependency {
    /// Dependency name.
    pub name: String,
    /// Version requirement as written (`^1.2.0`, `>=2,<3`, `v1.4.0`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    /// `runtime`, `dev`, `optional`, `peer` or `build`.
    pub scope: String,
}
