//! `package.json`.

use assay_core::PackageInfo;
use serde_json::{Map, Value};

use super::{dependency, package};

/// Dependency tables and the scope each maps to.
const DEPENDENCY_TABLES: &[(&str, &str)] = &[
    ("dependencies", "runtime"),
    ("devDependencies", "dev"),
    ("optionalDependencies", "optional"),
    ("peerDependencies", "peer"),
];

/// Scripts npm runs on install (`prepare` also runs for git dependencies).
const INSTALL_SCRIPTS: &[&str] = &["preinstall", "install", "postinstall", "prepare"];

/// Reads a `package.json`. Invalid JSON or a non-object document yields `None`.
pub(super) fn read(path: &str, text: &str) -> Option<PackageInfo> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Value::Object(root) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    let mut info = package("npm", path);
    info.name = string_field(&root, "name");
    info.version = string_field(&root, "version");
    for (table, scope) in DEPENDENCY_TABLES {
        if let Some(Value::Object(deps)) = root.get(*table) {
            for (name, requirement) in deps {
                info.dependencies
                    .push(dependency(name, requirement.as_str(), scope));
            }
        }
    }
    if let Some(Value::Object(scripts)) = root.get("scripts") {
        for name in INSTALL_SCRIPTS {
            if let Some(command) = scripts.get(*name).and_then(Value::as_str) {
                info.install_scripts.push(format!("{name}: {command}"));
            }
        }
    }
    match root.get("bin") {
        Some(Value::String(target)) => {
            // A single binary is named after the package, without its scope.
            let bin_name = info
                .name
                .as_deref()
                .map(|n| n.rsplit('/').next().unwrap_or(n))
                .unwrap_or("");
            info.entry_points.push(format!("{bin_name}: {target}"));
        }
        Some(Value::Object(bins)) => {
            for (name, target) in bins {
                if let Some(target) = target.as_str() {
                    info.entry_points.push(format!("{name}: {target}"));
                }
            }
        }
        _ => {}
    }
    Some(info)
}

fn string_field(root: &Map<String, Value>, key: &str) -> Option<String> {
    root.get(key).and_then(Value::as_str).map(str::to_string)
}
