//! The dependency facts the `AS404`–`AS407` rules judge.

use std::collections::HashMap;

use assay_core::{
    AdvisoryMatch, PackageInfo, ResolvedDependency, TyposquatCandidate, osv_ecosystem,
};

/// The packages one file that declares MCP tools imports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandlerImports {
    /// The file.
    pub path: String,
    /// The tools it declares.
    pub tools: Vec<String>,
    /// The packages it imports (npm package names, Python top-level modules, Go import
    /// paths), see [`super::imported_packages`].
    pub imports: Vec<String>,
}

/// What is known about the package's dependencies.
pub struct DependencyFacts<'a> {
    /// Every dependency found (merged across lockfiles and manifests).
    pub dependencies: &'a [ResolvedDependency],
    /// Advisories matching dependencies.
    pub advisories: &'a [AdvisoryMatch],
    /// The manifests of the scanned package (its own name and version).
    pub packages: &'a [PackageInfo],
    /// Advisories matching the scanned package itself.
    pub package_advisories: &'a [AdvisoryMatch],
    /// Names (of the package itself or its direct dependencies) that imitate popular
    /// packages.
    pub typosquats: &'a [TyposquatCandidate],
    /// What the files that declare tools import.
    pub handler_imports: &'a [HandlerImports],
    by_package: HashMap<(&'a str, &'a str), Vec<&'a ResolvedDependency>>,
}

impl<'a> DependencyFacts<'a> {
    /// Indexes the facts.
    pub fn new(
        dependencies: &'a [ResolvedDependency],
        advisories: &'a [AdvisoryMatch],
        packages: &'a [PackageInfo],
        package_advisories: &'a [AdvisoryMatch],
        typosquats: &'a [TyposquatCandidate],
        handler_imports: &'a [HandlerImports],
    ) -> Self {
        let mut by_package: HashMap<(&str, &str), Vec<&ResolvedDependency>> = HashMap::new();
        for dependency in dependencies {
            by_package
                .entry((dependency.ecosystem.as_str(), dependency.name.as_str()))
                .or_default()
                .push(dependency);
        }
        DependencyFacts {
            dependencies,
            advisories,
            packages,
            package_advisories,
            typosquats,
            handler_imports,
            by_package,
        }
    }

    /// The dependencies on `name` in `ecosystem` at `version`.
    pub fn dependencies_at(
        &self,
        ecosystem: &str,
        name: &str,
        version: &str,
    ) -> Vec<&'a ResolvedDependency> {
        self.dependencies_on(ecosystem, name)
            .into_iter()
            .filter(|d| d.version.as_deref() == Some(version))
            .collect()
    }

    /// The dependencies on `name` in `ecosystem`, at any version.
    pub fn dependencies_on(&self, ecosystem: &str, name: &str) -> Vec<&'a ResolvedDependency> {
        self.by_package
            .get(&(ecosystem, name))
            .cloned()
            .unwrap_or_default()
    }

    /// The tool-declaring files that import `dependency` (by package name, or a Python
    /// module whose normalised name is the distribution's).
    pub fn importers_of(&self, dependency: &ResolvedDependency) -> Vec<&'a HandlerImports> {
        self.handler_imports
            .iter()
            .filter(|h| h.imports.iter().any(|i| imports_name(dependency, i)))
            .collect()
    }

    /// The manifest of the scanned package named `name` in `ecosystem`.
    pub fn package_named(&self, ecosystem: &str, name: &str) -> Option<&'a PackageInfo> {
        self.packages.iter().find(|p| {
            p.name.as_deref().is_some_and(|n| {
                osv_ecosystem(&p.ecosystem) == Some(ecosystem)
                    && normalise(ecosystem, n) == normalise(ecosystem, name)
            })
        })
    }
}

fn normalise(ecosystem: &str, name: &str) -> String {
    if ecosystem == "PyPI" {
        name.to_ascii_lowercase().replace(['_', '.'], "-")
    } else {
        name.to_string()
    }
}

/// Whether an import `spec` refers to `dependency`.
fn imports_name(dependency: &ResolvedDependency, spec: &str) -> bool {
    match dependency.ecosystem.as_str() {
        "PyPI" => {
            let module = normalise("PyPI", spec);
            let dist = normalise("PyPI", &dependency.name);
            module == dist
                || dist.strip_prefix("python-") == Some(module.as_str())
                || dist.strip_suffix("-python") == Some(module.as_str())
        }
        "Go" => spec == dependency.name || spec.starts_with(&format!("{}/", dependency.name)),
        _ => spec == dependency.name,
    }
}
