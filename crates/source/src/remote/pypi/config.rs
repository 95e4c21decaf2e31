//! Where the package index is, from configuration only (no index host is built in):
//!
//! 1. `ASSAY_PYPI_INDEX` ([`Endpoints::pypi_index`]);
//! 2. pip's own configuration, as pip reads it: `PIP_INDEX_URL`, then its configuration
//!    files — loaded in pip's order, a later file overriding an earlier one: the global
//!    ones (`$XDG_CONFIG_DIRS/pip/pip.conf`, default `/etc/xdg/pip/pip.conf`, then
//!    `/etc/pip.conf`), the user's (`~/.pip/pip.conf`, then
//!    `$XDG_CONFIG_HOME/pip/pip.conf`, default `~/.config/pip/pip.conf`), the virtual
//!    environment's (`$VIRTUAL_ENV/pip.conf`) and `$PIP_CONFIG_FILE` (which, set to
//!    `/dev/null`, disables them all). `index-url` in an `[install]` section wins over
//!    one in `[global]`, as in pip;
//! 3. the default index of the installed pip (`python3 -c …`), when there is one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::SourceError;
use crate::remote::Endpoints;
use crate::remote::{config_file, tool};

/// What pip is asked for its built-in default index.
const PIP_DEFAULT_INDEX: &str =
    "from pip._internal.models.index import PyPI; print(PyPI.simple_url)";

/// The simple-API base URL (without a trailing `/`).
pub(super) fn index_url(endpoints: &Endpoints) -> Result<String, SourceError> {
    if let Some(index) = &endpoints.pypi_index {
        return Ok(tool::trim_url(index));
    }
    let env = |key: &str| std::env::var(key).ok();
    if let Some(index) = configured_index(&env) {
        return Ok(index);
    }
    ["python3", "python"]
        .into_iter()
        .find_map(|python| ask_pip(Command::new(python)))
        .ok_or_else(|| SourceError::Unusable {
            what: "PyPI index".into(),
            reason:
                "none is configured: set ASSAY_PYPI_INDEX, PIP_INDEX_URL or index-url in pip.conf"
                    .into(),
        })
}

/// The index named by `PIP_INDEX_URL` or pip's configuration files.
fn configured_index(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(index) = env("PIP_INDEX_URL").filter(|v| !v.trim().is_empty()) {
        return Some(tool::trim_url(&index));
    }
    let mut global = None;
    let mut install = None;
    for path in config_files(env) {
        let Some(text) = config_file::read_small(&path) else {
            continue;
        };
        let settings = index_settings(&text);
        global = settings.global.or(global);
        install = settings.install.or(install);
    }
    install.or(global).map(|index| tool::trim_url(&index))
}

/// pip's configuration files in the order pip loads them (later ones win).
fn config_files(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let env_file = var("PIP_CONFIG_FILE");
    if env_file.as_deref() == Some("/dev/null") {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = var("XDG_CONFIG_DIRS")
        .unwrap_or_else(|| "/etc/xdg".into())
        .split(':')
        .filter(|dir| !dir.is_empty())
        .map(|dir| Path::new(dir).join("pip/pip.conf"))
        .collect();
    files.push(PathBuf::from("/etc/pip.conf"));
    let home = var("HOME").map(PathBuf::from);
    if let Some(home) = &home {
        files.push(home.join(".pip/pip.conf"));
    }
    match var("XDG_CONFIG_HOME") {
        Some(config) => files.push(Path::new(&config).join("pip/pip.conf")),
        None => files.extend(home.map(|h| h.join(".config/pip/pip.conf"))),
    }
    files.extend(var("VIRTUAL_ENV").map(|venv| Path::new(&venv).join("pip.conf")));
    files.extend(env_file.map(PathBuf::from));
    files
}

/// The `index-url` settings of one pip configuration file.
#[derive(Debug, Default, PartialEq, Eq)]
struct IndexSettings {
    global: Option<String>,
    install: Option<String>,
}

/// Reads `index-url` (or `index_url`) from the `[global]` and `[install]` sections of
/// an ini file (`key = value` or `key: value`, `#`/`;` comments; indented continuation
/// lines belong to the previous key and are ignored here).
fn index_settings(text: &str) -> IndexSettings {
    let mut settings = IndexSettings::default();
    let mut section = String::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_ascii_lowercase();
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            continue;
        };
        let key = line[..split].trim().to_ascii_lowercase().replace('_', "-");
        let value = line[split + 1..].trim();
        if key != "index-url" || value.is_empty() {
            continue;
        }
        match section.as_str() {
            "global" => settings.global = Some(value.to_string()),
            "install" => settings.install = Some(value.to_string()),
            _ => {}
        }
    }
    settings
}

/// The installed pip's built-in default index.
fn ask_pip(mut python: Command) -> Option<String> {
    python.args(["-c", PIP_DEFAULT_INDEX]);
    tool::first_url(python)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::tool::env_of;

    #[test]
    fn reads_index_url_from_global_and_install_sections() {
        let text = "# pip\n[global]\ntimeout = 60\nindex_url = https://mirror.example/simple/\n\
                    extra-index-url =\n    https://extra.example/simple\n[install]\nindex-url: https://install.example/simple\n\
                    [download]\nindex-url = https://ignored.example/\n";
        assert_eq!(
            index_settings(text),
            IndexSettings {
                global: Some("https://mirror.example/simple/".into()),
                install: Some("https://install.example/simple".into()),
            }
        );
        assert_eq!(
            index_settings("[global]\ncert = /x\n"),
            IndexSettings::default()
        );
    }

    #[test]
    fn later_files_and_install_sections_win() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".pip")).unwrap();
        std::fs::create_dir_all(home.join(".config/pip")).unwrap();
        std::fs::write(
            home.join(".pip/pip.conf"),
            "[install]\nindex-url = https://legacy-install.example/simple\n",
        )
        .unwrap();
        std::fs::write(
            home.join(".config/pip/pip.conf"),
            "[global]\nindex-url = https://user.example/simple/\n",
        )
        .unwrap();
        let env_file = dir.path().join("env.conf");
        std::fs::write(
            &env_file,
            "[global]\nindex-url = https://env.example/simple\n",
        )
        .unwrap();
        let home_str = home.to_str().unwrap();
        let no_global = dir.path().join("none");
        let no_global = no_global.to_str().unwrap();

        // `[install]` anywhere beats `[global]` anywhere.
        let env = env_of(&[("HOME", home_str), ("XDG_CONFIG_DIRS", no_global)]);
        assert_eq!(
            configured_index(&env).as_deref(),
            Some("https://legacy-install.example/simple")
        );
        std::fs::remove_file(home.join(".pip/pip.conf")).unwrap();
        assert_eq!(
            configured_index(&env).as_deref(),
            Some("https://user.example/simple")
        );
        // PIP_CONFIG_FILE is loaded last; PIP_INDEX_URL beats every file.
        let env_path = env_file.to_str().unwrap();
        let env = env_of(&[("HOME", home_str), ("PIP_CONFIG_FILE", env_path)]);
        assert_eq!(
            configured_index(&env).as_deref(),
            Some("https://env.example/simple")
        );
        let env = env_of(&[
            ("HOME", home_str),
            ("PIP_INDEX_URL", "https://variable.example/simple/"),
        ]);
        assert_eq!(
            configured_index(&env).as_deref(),
            Some("https://variable.example/simple")
        );
        // PIP_CONFIG_FILE=/dev/null turns the files off.
        let env = env_of(&[("HOME", home_str), ("PIP_CONFIG_FILE", "/dev/null")]);
        assert_eq!(configured_index(&env), None);
    }

    #[test]
    fn files_in_pips_loading_order() {
        let env = env_of(&[
            ("HOME", "/home/u"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("VIRTUAL_ENV", "/venv"),
            ("PIP_CONFIG_FILE", "/custom.conf"),
        ]);
        assert_eq!(
            config_files(&env),
            [
                "/etc/xdg/pip/pip.conf",
                "/etc/pip.conf",
                "/home/u/.pip/pip.conf",
                "/cfg/pip/pip.conf",
                "/venv/pip.conf",
                "/custom.conf",
            ]
            .map(PathBuf::from)
        );
    }

    #[test]
    fn pip_itself_is_asked_last() {
        let python = std::env::var_os("ASSAY_TEST_PYTHON")
            .map(PathBuf::from)
            .filter(|p| p.exists());
        let Some(python) = python else {
            eprintln!("skipping: ASSAY_TEST_PYTHON is not set");
            return;
        };
        let index = ask_pip(Command::new(python)).expect("pip names its default index");
        assert!(index.starts_with("https://"), "{index}");
        assert!(!index.ends_with('/'), "{index}");
        assert_eq!(ask_pip(Command::new("/nonexistent/python")), None);
    }
}
