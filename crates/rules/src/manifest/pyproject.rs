//! `pyproject.toml`: PEP 621 `[project]`, Poetry's `[tool.poetry]`, PEP 735
//! `[dependency-groups]` and `[build-system]`.

use assay_core::{Dependency, PackageInfo};
use toml::{Table, Value};

use super::{dependency, package, push_requirements};

/// Reads a `pyproject.toml`. Invalid TOML, or a file that declares no package (only tool
/// settings), yields `None`.
pub(super) fn read(path: &str, text: &str) -> Option<PackageInfo> {
    let root: Table = text.parse().ok()?;
    let project = root.get("project").and_then(Value::as_table);
    let poetry = root
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(Value::as_table);
    let build_system = root.get("build-system").and_then(Value::as_table);
    if project.is_none() && poetry.is_none() && build_system.is_none() {
        return None;
    }
    let mut info = package("pypi", path);
    if let Some(project) = project {
        read_pep621(project, &mut info);
    }
    if let Some(poetry) = poetry {
        read_poetry(poetry, &mut info);
    }
    if let Some(groups) = root.get("dependency-groups").and_then(Value::as_table) {
        for group in groups.values() {
            push_requirements(&mut info.dependencies, strings(Some(group)), "dev");
        }
    }
    if let Some(build) = build_system {
        push_requirements(
            &mut info.dependencies,
            strings(build.get("requires")),
            "build",
        );
    }
    Some(info)
}

fn read_pep621(project: &Table, info: &mut PackageInfo) {
    info.name = string(project, "name");
    info.version = string(project, "version");
    push_requirements(
        &mut info.dependencies,
        strings(project.get("dependencies")),
        "runtime",
    );
    if let Some(extras) = project
        .get("optional-dependencies")
        .and_then(Value::as_table)
    {
        for group in extras.values() {
            push_requirements(&mut info.dependencies, strings(Some(group)), "optional");
        }
    }
    for table in ["scripts", "gui-scripts"] {
        push_scripts(project.get(table), &mut info.entry_points);
    }
}

fn read_poetry(poetry: &Table, info: &mut PackageInfo) {
    info.name = info.name.take().or_else(|| string(poetry, "name"));
    info.version = info.version.take().or_else(|| string(poetry, "version"));
    push_poetry_table(
        poetry.get("dependencies"),
        "runtime",
        &mut info.dependencies,
    );
    push_poetry_table(
        poetry.get("dev-dependencies"),
        "dev",
        &mut info.dependencies,
    );
    if let Some(groups) = poetry.get("group").and_then(Value::as_table) {
        for group in groups.values() {
            push_poetry_table(group.get("dependencies"), "dev", &mut info.dependencies);
        }
    }
    push_scripts(poetry.get("scripts"), &mut info.entry_points);
}

/// Poetry dependency tables: `name = "^1.2"` or `name = { version = "^1.2", optional =
/// true }` or `{ git = "…", rev = "…" }` / `{ path = "…" }` / `{ url = "…" }`. The
/// `python` entry is the interpreter constraint, not a dependency.
fn push_poetry_table(table: Option<&Value>, scope: &str, out: &mut Vec<Dependency>) {
    let Some(table) = table.and_then(Value::as_table) else {
        return;
    };
    for (name, spec) in table {
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let (requirement, optional) = match spec {
            Value::String(s) => (Some(s.clone()), false),
            Value::Table(t) => {
                let optional = t.get("optional").and_then(Value::as_bool) == Some(true);
                (poetry_source(t), optional)
            }
            _ => (None, false),
        };
        let scope = if optional && scope == "runtime" {
            "optional"
        } else {
            scope
        };
        out.push(dependency(name, requirement.as_deref(), scope));
    }
}

/// The requirement of a Poetry table spec: its version, else its direct source.
fn poetry_source(spec: &Table) -> Option<String> {
    if let Some(version) = string(spec, "version") {
        return Some(version);
    }
    if let Some(git) = string(spec, "git") {
        let reference = ["rev", "tag", "branch"]
            .iter()
            .find_map(|k| string(spec, k))
            .map(|r| format!("@{r}"))
            .unwrap_or_default();
        return Some(format!("git+{git}{reference}"));
    }
    ["url", "path"].iter().find_map(|k| string(spec, k))
}

fn push_scripts(table: Option<&Value>, out: &mut Vec<String>) {
    if let Some(table) = table.and_then(Value::as_table) {
        for (name, target) in table {
            let target = match target {
                Value::String(s) => s.clone(),
                // Poetry's `{ reference = "…", type = "file" }` form.
                Value::Table(t) => string(t, "reference").unwrap_or_default(),
                _ => continue,
            };
            out.push(format!("{name}: {target}"));
        }
    }
}

fn string(table: &Table, key: &str) -> Option<String> {
    table.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The string items of an array value.
fn strings(value: Option<&Value>) -> impl Iterator<Item = &str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}
