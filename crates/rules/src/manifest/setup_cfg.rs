//! `setup.cfg` (setuptools declarative configuration).

use assay_core::PackageInfo;

use super::ini::{self, Entry};
use super::{package, push_requirements};

/// Reads a `setup.cfg`. A file with neither `[metadata]` nor `[options]` (a tool-only
/// config such as flake8's) yields `None`.
pub(super) fn read(path: &str, text: &str) -> Option<PackageInfo> {
    let entries = ini::parse(text);
    let is_package = entries
        .iter()
        .any(|e| e.section == "metadata" || e.section.starts_with("options"));
    if !is_package {
        return None;
    }
    let mut info = package("pypi", path);
    for Entry {
        section,
        key,
        value,
    } in &entries
    {
        match (section.as_str(), key.as_str()) {
            ("metadata", "name") => info.name = Some(value.clone()),
            ("metadata", "version") => info.version = Some(value.clone()),
            ("options", "install_requires") => {
                push_requirements(&mut info.dependencies, list(value), "runtime");
            }
            ("options", "setup_requires") => {
                push_requirements(&mut info.dependencies, list(value), "build");
            }
            ("options", "tests_require") => {
                push_requirements(&mut info.dependencies, list(value), "dev");
            }
            ("options.extras_require", _) => {
                push_requirements(&mut info.dependencies, list(value), "optional");
            }
            ("options.entry_points", "console_scripts" | "gui_scripts") => {
                info.entry_points.extend(list(value).filter_map(script));
            }
            _ => {}
        }
    }
    Some(info)
}

/// The items of a multi-line (or `;`-separated single-line) list value.
fn list(value: &str) -> impl Iterator<Item = &str> {
    let separator = if value.contains('\n') { '\n' } else { ';' };
    value
        .split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `name = module:function` as `name: module:function`.
fn script(line: &str) -> Option<String> {
    let (name, target) = line.split_once('=')?;
    Some(format!("{}: {}", name.trim(), target.trim()))
}
