//! `go.mod`: `require` directives (one-line and blocks; `// indirect` marks modules
//! the main module does not import itself) and `replace` directives, which swap in
//! another module version or a local directory. Since Go 1.17 `go.mod` lists the
//! selected version of every module the build needs, so it acts as the lock.

use std::collections::HashMap;

use assay_core::ResolvedDependency;

use super::common::{GO, dependency, line_number, path_source};
use super::error::ParseError;

/// A `replace` target: another module version, or a directory.
enum Replacement {
    Module { path: String, version: String },
    Directory(String),
}

pub(super) fn parse(path: &str, text: &str) -> Result<Vec<ResolvedDependency>, ParseError> {
    let mut requires: Vec<(String, String, bool, u32)> = Vec::new();
    // Keyed by (module, version) — version empty for replacements of every version.
    let mut replaces: HashMap<(String, String), Replacement> = HashMap::new();
    let mut block: Option<(String, u32)> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let no = line_number(index);
        let (code, comment) = match raw.find("//") {
            Some(at) => (&raw[..at], &raw[at + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let indirect = comment
            .split([';', ' ', '\t'])
            .any(|word| word.trim() == "indirect");
        let (verb, args) = match &block {
            Some(_) if code == ")" => {
                block = None;
                continue;
            }
            Some((verb, _)) => (verb.clone(), code),
            None => {
                let (verb, args) = code.split_once([' ', '\t']).unwrap_or((code, ""));
                let args = args.trim();
                if args == "(" {
                    block = Some((verb.to_string(), no));
                    continue;
                }
                (verb.to_string(), args)
            }
        };
        match verb.as_str() {
            "require" => {
                let fields = fields(args);
                let [module, version] = fields.as_slice() else {
                    return Err(ParseError::at(no, "expected `require module version`"));
                };
                requires.push((module.to_string(), version.to_string(), indirect, no));
            }
            "replace" => {
                let (old, new) = args
                    .split_once("=>")
                    .ok_or_else(|| ParseError::at(no, "expected `replace old => new`"))?;
                let old = fields(old);
                let new = fields(new);
                let key = match old.as_slice() {
                    [module] => (module.to_string(), String::new()),
                    [module, version] => (module.to_string(), version.to_string()),
                    _ => return Err(ParseError::at(no, "expected a module before `=>`")),
                };
                let replacement = match new.as_slice() {
                    [dir] => Replacement::Directory(dir.to_string()),
                    [module, version] => Replacement::Module {
                        path: module.to_string(),
                        version: version.to_string(),
                    },
                    _ => {
                        return Err(ParseError::at(
                            no,
                            "expected a module version or directory after `=>`",
                        ));
                    }
                };
                replaces.insert(key, replacement);
            }
            _ => {}
        }
    }
    if let Some((verb, line)) = block {
        return Err(ParseError::at(
            line,
            format!("`{verb} (` block is not closed"),
        ));
    }
    let mut out = Vec::with_capacity(requires.len());
    for (module, version, indirect, line) in requires {
        let replacement = replaces
            .get(&(module.clone(), version.clone()))
            .or_else(|| replaces.get(&(module.clone(), String::new())));
        let mut dep = dependency(GO, &module, path);
        dep.direct = !indirect;
        dep.line = Some(line);
        match replacement {
            Some(Replacement::Module {
                path: new,
                version: new_version,
            }) => {
                dep.name.clone_from(new);
                dep.version = Some(new_version.clone());
            }
            Some(Replacement::Directory(dir)) => dep.source = path_source(dir),
            None => dep.version = Some(version),
        }
        out.push(dep);
    }
    Ok(out)
}

/// Whitespace-separated fields, with Go's `"quoted"` and `` `raw` `` strings unquoted.
fn fields(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|field| {
            field
                .strip_prefix('"')
                .and_then(|f| f.strip_suffix('"'))
                .or_else(|| field.strip_prefix('`').and_then(|f| f.strip_suffix('`')))
                .unwrap_or(field)
        })
        .collect()
}
