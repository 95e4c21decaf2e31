//! Where the npm registry is, from configuration only (no registry host is built in):
//!
//! 1. `ASSAY_NPM_REGISTRY` ([`Endpoints::npm_registry`]);
//! 2. npm's own configuration, as npm reads it: the environment (`NPM_CONFIG_REGISTRY`,
//!    `npm_config_registry`), then `.npmrc` files — the current directory's, the user's
//!    (`$NPM_CONFIG_USERCONFIG`, else `~/.npmrc`) and the global one
//!    (`$NPM_CONFIG_GLOBALCONFIG`, else `$NPM_CONFIG_PREFIX/etc/npmrc`, `/etc/npmrc`,
//!    `/usr/local/etc/npmrc`). For a scoped package an `@scope:registry` setting in any
//!    of these wins over a plain `registry`, as in npm;
//! 3. `npm config get registry`, when npm is installed (its built-in default).
//!
//! Authentication settings in `.npmrc` are never read: credentials are given per scan.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::SourceError;
use crate::remote::Endpoints;
use crate::remote::{config_file, tool};

/// The registry base URL (without a trailing `/`) for package `name`.
pub(super) fn registry_for(name: &str, endpoints: &Endpoints) -> Result<String, SourceError> {
    if let Some(registry) = &endpoints.npm_registry {
        return Ok(tool::trim_url(registry));
    }
    let env = |key: &str| std::env::var(key).ok();
    let layers = layers(&env);
    if let Some(registry) = configured_registry(&layers, scope_of(name)) {
        return Ok(registry);
    }
    ask_npm(Command::new("npm")).ok_or_else(|| SourceError::Unusable {
        what: "npm registry".into(),
        reason: "none is configured: set ASSAY_NPM_REGISTRY, NPM_CONFIG_REGISTRY or `registry=` in an .npmrc".into(),
    })
}

/// `@scope` of a scoped package name.
fn scope_of(name: &str) -> Option<&str> {
    name.starts_with('@')
        .then(|| name.split_once('/').map(|(scope, _)| scope))
        .flatten()
}

/// One source of settings: `(key, value)` pairs, later pairs overriding earlier ones.
type Layer = Vec<(String, String)>;

/// npm's configuration sources, most important first: the environment, then the
/// project, user and global `.npmrc` files.
fn layers(env: &dyn Fn(&str) -> Option<String>) -> Vec<Layer> {
    let mut layers = vec![env_layer(env)];
    for path in npmrc_files(env) {
        if let Some(text) = config_file::read_small(&path) {
            layers.push(parse_npmrc(&text, env));
        }
    }
    layers
}

/// The registry settings of the environment (npm reads `npm_config_*` in any case).
fn env_layer(env: &dyn Fn(&str) -> Option<String>) -> Layer {
    let mut layer = Layer::new();
    for (prefix, key) in [("npm_config_", "registry"), ("NPM_CONFIG_", "REGISTRY")] {
        if let Some(value) = env(&format!("{prefix}{key}")) {
            layer.push(("registry".into(), value));
        }
    }
    layer
}

/// The `.npmrc` files npm reads, most important first.
fn npmrc_files(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let var = |names: [&str; 2]| {
        names
            .into_iter()
            .find_map(|n| env(n).filter(|v| !v.trim().is_empty()))
    };
    let mut files = vec![PathBuf::from(".npmrc")];
    match var(["NPM_CONFIG_USERCONFIG", "npm_config_userconfig"]) {
        Some(user) => files.push(PathBuf::from(user)),
        None => files.extend(env("HOME").map(|home| Path::new(&home).join(".npmrc"))),
    }
    match var(["NPM_CONFIG_GLOBALCONFIG", "npm_config_globalconfig"]) {
        Some(global) => files.push(PathBuf::from(global)),
        None => {
            if let Some(prefix) = var(["NPM_CONFIG_PREFIX", "npm_config_prefix"]) {
                files.push(Path::new(&prefix).join("etc/npmrc"));
            }
            files.push(PathBuf::from("/etc/npmrc"));
            files.push(PathBuf::from("/usr/local/etc/npmrc"));
        }
    }
    files
}

/// The `registry` and `@scope:registry` settings of an `.npmrc` (ini: `key = value`,
/// `#`/`;` comments, `${VAR}` expanded; keys under a `[section]` are not top-level
/// settings and are ignored).
fn parse_npmrc(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Layer {
    let mut layer = Layer::new();
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = true;
            continue;
        }
        if in_section || line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key == "registry" || (key.starts_with('@') && key.ends_with(":registry")) {
            let value = unquote(value.trim());
            layer.push((key.to_string(), expand_env(value, env)));
        }
    }
    layer
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// npm's `${VAR}` expansion (`${VAR?}` too); an unset variable expands to nothing.
fn expand_env(value: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = rest[start + 2..start + 2 + len].trim_end_matches('?');
        out.push_str(&env(name).unwrap_or_default());
        rest = &rest[start + 3 + len..];
    }
    out.push_str(rest);
    out
}

/// The configured registry: `@scope:registry` from the most important source that sets
/// it, else `registry` likewise; within one source the last setting wins.
fn configured_registry(layers: &[Layer], scope: Option<&str>) -> Option<String> {
    let scoped_key = scope.map(|s| format!("{s}:registry"));
    let keys = scoped_key.as_deref().into_iter().chain(["registry"]);
    for key in keys {
        for layer in layers {
            let value = layer
                .iter()
                .rev()
                .find(|(k, v)| k == key && !v.trim().is_empty());
            if let Some((_, value)) = value {
                return Some(tool::trim_url(value));
            }
        }
    }
    None
}

/// npm's own answer to `npm config get registry`.
fn ask_npm(mut npm: Command) -> Option<String> {
    npm.args(["config", "get", "registry"]);
    tool::first_url(npm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::tool::env_of;

    #[test]
    fn npmrc_settings_with_scopes_and_expansion() {
        let env = env_of(&[("MIRROR", "https://mirror.example")]);
        let layer = parse_npmrc(
            "# comment\n; other\nregistry = \"${MIRROR}/npm/\"\n@acme:registry=https://acme.example/\n\
             //acme.example/:_authToken=secret\nregistry-not=x\n[section]\nregistry=https://ignored.example/\n",
            &env,
        );
        assert_eq!(
            layer,
            vec![
                (
                    "registry".to_string(),
                    "https://mirror.example/npm/".to_string()
                ),
                (
                    "@acme:registry".to_string(),
                    "https://acme.example/".to_string()
                ),
            ]
        );
        let layers = [layer];
        assert_eq!(
            configured_registry(&layers, None).as_deref(),
            Some("https://mirror.example/npm")
        );
        assert_eq!(
            configured_registry(&layers, Some("@acme")).as_deref(),
            Some("https://acme.example")
        );
        assert_eq!(
            configured_registry(&layers, Some("@other")).as_deref(),
            Some("https://mirror.example/npm")
        );
    }

    #[test]
    fn sources_in_npm_precedence() {
        let env_layer = vec![("registry".to_string(), "https://env.example".to_string())];
        let project = vec![
            ("registry".to_string(), "https://first.example".to_string()),
            (
                "registry".to_string(),
                "https://project.example".to_string(),
            ),
        ];
        let user = vec![(
            "@acme:registry".to_string(),
            "https://acme.example".to_string(),
        )];
        let layers = [env_layer, project.clone(), user.clone()];
        assert_eq!(
            configured_registry(&layers, None).as_deref(),
            Some("https://env.example")
        );
        // A scoped setting in a less important file still wins for its scope.
        assert_eq!(
            configured_registry(&layers, Some("@acme")).as_deref(),
            Some("https://acme.example")
        );
        assert_eq!(
            configured_registry(&[Layer::new(), project, user], None).as_deref(),
            Some("https://project.example")
        );
        assert_eq!(configured_registry(&[Layer::new()], None), None);
    }

    #[test]
    fn files_and_environment_npm_reads() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("user-npmrc");
        std::fs::write(&user, "registry=https://user.example/\n").unwrap();
        let user_path = user.to_str().unwrap();
        let env = env_of(&[
            ("NPM_CONFIG_USERCONFIG", user_path),
            ("NPM_CONFIG_GLOBALCONFIG", "/nonexistent/npmrc"),
        ]);
        assert_eq!(
            npmrc_files(&env),
            vec![
                PathBuf::from(".npmrc"),
                user.clone(),
                PathBuf::from("/nonexistent/npmrc")
            ]
        );
        let layers = layers(&env);
        assert!(
            layers
                .iter()
                .flatten()
                .any(|(_, v)| v == "https://user.example/")
        );

        let env = env_of(&[("npm_config_registry", "https://lower.example/")]);
        assert_eq!(
            env_layer(&env),
            vec![("registry".to_string(), "https://lower.example/".to_string())]
        );
        let env = env_of(&[("HOME", "/home/u"), ("NPM_CONFIG_PREFIX", "/opt/node")]);
        let files = npmrc_files(&env);
        assert_eq!(files[1], PathBuf::from("/home/u/.npmrc"));
        assert_eq!(files[2], PathBuf::from("/opt/node/etc/npmrc"));
    }

    #[test]
    fn npm_itself_is_asked_last() {
        let Some(npm) = which("npm") else {
            eprintln!("skipping: npm is not installed");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let userconfig = dir.path().join("npmrc");
        std::fs::write(&userconfig, "registry=http://127.0.0.1:9/from-npm/\n").unwrap();
        let mut command = Command::new(npm);
        command
            .current_dir(dir.path())
            .env("NPM_CONFIG_USERCONFIG", &userconfig)
            .env("NPM_CONFIG_GLOBALCONFIG", dir.path().join("none"))
            .env_remove("NPM_CONFIG_REGISTRY")
            .env_remove("npm_config_registry");
        assert_eq!(
            ask_npm(command).as_deref(),
            Some("http://127.0.0.1:9/from-npm")
        );
        assert_eq!(ask_npm(Command::new("/nonexistent/npm")), None);
    }

    fn which(program: &str) -> Option<PathBuf> {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(program))
                .find(|p| p.is_file())
        })
    }

    #[test]
    fn scopes() {
        assert_eq!(scope_of("@acme/server"), Some("@acme"));
        assert_eq!(scope_of("server"), None);
    }
}
