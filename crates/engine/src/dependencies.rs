//! The dependency check of a scan: collect the dependency files while the snapshot
//! streams by, resolve them into dependencies, match those (and the package itself)
//! against the local advisory database and the typosquat lists, and hand the facts to
//! the `AS404`–`AS407` rules.
//!
//! The advisory database is optional. Without one the dependencies are still listed and
//! the typosquat check still runs, and the report's `dependency_check` says the
//! advisory match was skipped and why — a scan never looks clean for lack of data.

use std::collections::BTreeMap;
use std::path::PathBuf;

use assay_advisory::db::Database;
use assay_advisory::deps;
use assay_advisory::typosquat;
use assay_core::{
    AdvisoryMatch, DependencyCheck, DependencySource, PackageInfo, ResolvedDependency,
    TyposquatCandidate, osv_ecosystem,
};
use assay_rules::HandlerImports;

/// Largest file kept for dependency extraction (a requirements include of another name
/// than `requirements*.txt` is read only when it is at most this large).
const MAX_INCLUDE_BYTES: usize = 1024 * 1024;

/// Which advisory database a scan matches against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AdvisoryDatabase {
    /// The user's (`ASSAY_DATA_DIR/advisory`, else the platform data dir).
    #[default]
    Default,
    /// The database in this directory.
    Dir(PathBuf),
    /// None: skip the advisory match.
    Off,
}

/// What the snapshot offers the dependency check, gathered while it streams.
#[derive(Debug, Default)]
pub(crate) struct DependencyInputs {
    files: BTreeMap<String, Vec<u8>>,
    handler_imports: Vec<HandlerImports>,
}

impl DependencyInputs {
    /// Whether the file at `path` must be kept: a dependency file, or a small text file
    /// that reads like requirements (a `-r`/`-c` include may have any name). Everything
    /// else is left alone, so the scan does not hold a copy of every text file.
    pub(crate) fn wants(path: &str, bytes: &[u8]) -> bool {
        deps::is_dependency_file(path)
            || (bytes.len() <= MAX_INCLUDE_BYTES
                && (path.ends_with(".txt") || path.ends_with(".in"))
                && deps::looks_like_requirements(bytes))
    }

    /// Keeps a file [`DependencyInputs::wants`].
    pub(crate) fn add_file(&mut self, path: String, bytes: Vec<u8>) {
        self.files.insert(path, bytes);
    }

    /// Records what a tool-declaring file imports.
    pub(crate) fn add_imports(&mut self, imports: HandlerImports) {
        self.handler_imports.push(imports);
    }
}

/// The outcome of the dependency check.
#[derive(Debug, Default)]
pub(crate) struct DependencyOutcome {
    pub dependencies: Vec<ResolvedDependency>,
    pub advisories: Vec<AdvisoryMatch>,
    pub package_advisories: Vec<AdvisoryMatch>,
    pub typosquats: Vec<TyposquatCandidate>,
    pub handler_imports: Vec<HandlerImports>,
    pub check: DependencyCheck,
    /// Dependency files that could not be read, one line each.
    pub errors: Vec<String>,
}

/// Runs the dependency check over what was gathered. `packages` are the manifests of the
/// snapshot; `resolved_version` is the version a registry target resolved to.
pub(crate) fn check(
    mut inputs: DependencyInputs,
    packages: &[PackageInfo],
    resolved_version: Option<&str>,
    database: &AdvisoryDatabase,
) -> DependencyOutcome {
    let paths: Vec<String> = inputs
        .files
        .keys()
        .filter(|p| deps::is_dependency_file(p))
        .cloned()
        .collect();
    let extracted = deps::extract(paths.iter().map(String::as_str), |path| {
        inputs.files.get(path).cloned()
    });
    let mut outcome = DependencyOutcome {
        errors: extracted
            .errors
            .iter()
            .map(|(path, error)| format!("{path}: dependencies not read: {error}"))
            .collect(),
        handler_imports: std::mem::take(&mut inputs.handler_imports),
        ..DependencyOutcome::default()
    };
    outcome.handler_imports.sort_by(|a, b| a.path.cmp(&b.path));
    let own = own_package(packages, resolved_version);
    let direct: Vec<ResolvedDependency> = extracted
        .dependencies
        .iter()
        .filter(|d| d.direct && d.source == DependencySource::Registry)
        .cloned()
        .chain(own.clone())
        .collect();
    outcome.typosquats = typosquat::candidates_in(&direct);

    let opened = match database {
        AdvisoryDatabase::Off => Err("advisory matching is turned off".to_string()),
        AdvisoryDatabase::Default => match assay_advisory::db::default_dir() {
            Some(dir) => open(&dir),
            None => Err("no data directory (set ASSAY_DATA_DIR)".to_string()),
        },
        AdvisoryDatabase::Dir(dir) => open(dir),
    };
    outcome.check = match opened {
        Ok(db) => {
            outcome.advisories = matches(&db, &extracted.dependencies, &mut outcome.errors);
            outcome.package_advisories = matches(&db, &own, &mut outcome.errors);
            let status = db.status();
            DependencyCheck {
                status: "ran".into(),
                reason: None,
                database_built_at: Some(status.built_at.clone()),
                database_records: status.records,
                dependencies_checked: extracted.dependencies.len() as u64,
            }
        }
        Err(reason) => DependencyCheck {
            status: "skipped".into(),
            reason: Some(reason),
            dependencies_checked: 0,
            ..DependencyCheck::default()
        },
    };
    outcome.dependencies = extracted.dependencies;
    outcome
}

fn open(dir: &std::path::Path) -> Result<Database, String> {
    match Database::open(dir) {
        Ok(Some(db)) => Ok(db),
        Ok(None) => Err(format!(
            "no advisory database in {} (run `assay db update` or `assay db import`)",
            dir.display()
        )),
        Err(e) => Err(format!("the advisory database cannot be read: {e}")),
    }
}

/// Every advisory matching a dependency with a known version; a database that cannot
/// be read is one error, and no matches.
fn matches(
    db: &Database,
    dependencies: &[ResolvedDependency],
    errors: &mut Vec<String>,
) -> Vec<AdvisoryMatch> {
    db.matches(dependencies).unwrap_or_else(|e| {
        errors.push(format!("advisory lookup failed: {e}"));
        Vec::new()
    })
}

/// The scanned package itself, as a dependency-shaped record: the manifest at the
/// snapshot's root, at the version a registry target resolved to when there is one.
fn own_package(
    packages: &[PackageInfo],
    resolved_version: Option<&str>,
) -> Vec<ResolvedDependency> {
    let Some(root) = packages.iter().find(|p| !p.manifest.contains('/')) else {
        return Vec::new();
    };
    let (Some(name), Some(ecosystem)) = (root.name.as_deref(), osv_ecosystem(&root.ecosystem))
    else {
        return Vec::new();
    };
    vec![ResolvedDependency {
        ecosystem: ecosystem.into(),
        name: name.into(),
        version: resolved_version
            .map(str::to_string)
            .or_else(|| root.version.clone()),
        requirement: None,
        version_from_range: false,
        direct: true,
        scope: "runtime".into(),
        source: DependencySource::Registry,
        declared_in: root.manifest.clone(),
        line: None,
    }]
}
