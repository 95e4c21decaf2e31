//! `pyproject.toml`: PEP 621 `[project]` dependencies and optional dependencies,
//! PEP 735 `[dependency-groups]`, `[build-system] requires`, and Poetry's
//! `[tool.poetry.dependencies]`, `dev-dependencies` and groups.

use std::collections::BTreeMap;

use assay_core::ResolvedDependency;
use serde::Deserialize;
use toml::{Spanned, Value};

use super::common::{
    BUILD, DEV, LineIndex, OPTIONAL, PYPI, RUNTIME, dependency, git_source, match_name,
    path_source, url_source,
};
use super::error::ParseError;
use super::pep508;

type Requirements = Vec<Spanned<Value>>;
type PoetryTable = BTreeMap<String, Spanned<Value>>;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Pyproject {
    project: Project,
    #[serde(rename = "dependency-groups")]
    dependency_groups: BTreeMap<String, Requirements>,
    #[serde(rename = "build-system")]
    build_system: BuildSystem,
    tool: Tool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Project {
    name: Option<String>,
    dependencies: Requirements,
    #[serde(rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Requirements>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BuildSystem {
    requires: Requirements,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tool {
    poetry: Poetry,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Poetry {
    name: Option<String>,
    dependencies: PoetryTable,
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: PoetryTable,
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PoetryGroup {
    dependencies: PoetryTable,
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let doc: Pyproject = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let own_name = doc
        .project
        .name
        .as_deref()
        .or(doc.tool.poetry.name.as_deref());
    let reader = Reader {
        path,
        lines: LineIndex::new(text),
        own_name: own_name.map(|name| match_name(PYPI, name)),
    };
    let mut out = Vec::new();
    reader.pep508_list(&mut out, &doc.project.dependencies, RUNTIME);
    for list in doc.project.optional_dependencies.values() {
        reader.pep508_list(&mut out, list, OPTIONAL);
    }
    for list in doc.dependency_groups.values() {
        reader.pep508_list(&mut out, list, DEV);
    }
    reader.pep508_list(&mut out, &doc.build_system.requires, BUILD);
    let poetry = &doc.tool.poetry;
    reader.poetry_table(&mut out, &poetry.dependencies, RUNTIME);
    reader.poetry_table(&mut out, &poetry.dev_dependencies, DEV);
    for (group, table) in &poetry.group {
        let scope = if group == "main" { RUNTIME } else { DEV };
        reader.poetry_table(&mut out, &table.dependencies, scope);
    }
    Ok(out)
}

struct Reader<'a> {
    path: &'a str,
    lines: LineIndex,
    own_name: Option<String>,
}

impl Reader<'_> {
    /// Whether `name` is the project itself (`mypkg[extra]` in its own extras).
    fn is_self(&self, name: &str) -> bool {
        self.own_name.as_deref() == Some(match_name(PYPI, name).as_str())
    }

    /// PEP 508 strings; tables (`{include-group = "…"}`) are not dependencies.
    fn pep508_list(&self, out: &mut Vec<ResolvedDependency>, list: &Requirements, scope: &str) {
        for item in list {
            let Some(text) = item.get_ref().as_str() else {
                continue;
            };
            let Some(requirement) = pep508::split(text) else {
                continue;
            };
            if self.is_self(requirement.name) {
                continue;
            }
            let mut dep = pep508::dependency_of(&requirement, self.path, scope);
            dep.line = Some(self.lines.line(item.span().start));
            out.push(dep);
        }
    }

    /// Poetry's `name = "^1.2"`, `name = { version = …, git = …, optional = true }` or a
    /// list of such tables (one per Python version or platform).
    fn poetry_table(&self, out: &mut Vec<ResolvedDependency>, table: &PoetryTable, scope: &str) {
        for (name, value) in table {
            if name.eq_ignore_ascii_case("python") || self.is_self(name) {
                continue;
            }
            let line = self.lines.line(value.span().start);
            let constraints: Vec<&Value> = match value.get_ref() {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            for constraint in constraints {
                let mut dep = dependency(PYPI, name, self.path);
                dep.direct = true;
                dep.scope = scope.to_string();
                dep.line = Some(line);
                if poetry_constraint(&mut dep, constraint) {
                    out.push(dep);
                }
            }
        }
    }
}

/// Applies one Poetry constraint; false when it is not one.
fn poetry_constraint(dep: &mut ResolvedDependency, constraint: &Value) -> bool {
    let table = match constraint {
        Value::String(version) => {
            dep.requirement = Some(version.clone());
            pep508::set_lowest(dep, version);
            return true;
        }
        Value::Table(table) => table,
        _ => return false,
    };
    let field = |key: &str| table.get(key).and_then(Value::as_str);
    if table.get("optional").and_then(Value::as_bool) == Some(true) && dep.scope == RUNTIME {
        dep.scope = OPTIONAL.to_string();
    }
    if let Some(git) = field("git") {
        let reference = field("rev").or(field("tag")).or(field("branch"));
        dep.source = match reference {
            Some(reference) => git_source(&format!("{git}#{reference}")),
            None => git_source(git),
        };
    } else if let Some(local) = field("path") {
        dep.source = path_source(local);
    } else if let Some(url) = field("url") {
        dep.source = url_source(url);
    } else if let Some(version) = field("version") {
        dep.requirement = Some(version.to_string());
        pep508::set_lowest(dep, version);
    }
    true
}
