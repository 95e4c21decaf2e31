//! Where the MCP server application is inside an image: the directories scanned.
//!
//! - the `WorkingDir` (unless `/` or an OS directory);
//! - what the entrypoint and command name: a script path (`node /app/dist/index.js` →
//!   the nearest directory above it with a project file such as `package.json`, else the
//!   usual application directory holding it, else its directory), a module
//!   (`python -m pkg` → `pkg` in a `site-packages`), a Python console script
//!   (`/usr/local/bin/x` importing `pkg` → that package), a link into `node_modules`
//!   (`node_modules/.bin/x`, a global npm install) or an `npx`/`uvx` package → that
//!   package's directory; executables in OS directories (interpreters, `docker-entrypoint.sh`)
//!   are not roots themselves;
//! - the usual application directories that hold files: `/app`, `/usr/src/app`, `/srv`,
//!   `/workspace`, `/home/*`, and `/opt/*` when nothing else was found.
//!
//! OS trees (`/usr` but `/usr/src`, `/bin`, `/lib*`, `/etc`, `/var` but `/var/www` and
//! `/var/task`, `/proc`…) are never roots, except the one package a command names in a
//! `site-packages` or `node_modules` there. An application's own `node_modules` stays in
//! its root. `--base-path` replaces all of this with the image directory it names.

use std::collections::{BTreeSet, HashSet};

use super::config::RunConfig;
use super::filesystem::{FileSystem, join};
use super::layers::EntryKind;

/// Top-level directories of the operating system.
const OS_TREES: &[&str] = &[
    "bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "sys",
    "usr", "var",
];
/// Application directories inside OS trees.
const APP_DIRS_IN_OS_TREES: &[&str] = &["usr/src", "usr/local/src", "var/www", "var/task"];
/// Where images usually put their application.
const USUAL_APP_DIRS: &[&str] = &["app", "usr/src/app", "srv", "workspace"];
/// Files that mark a project's top directory.
const PROJECT_MARKERS: &[&str] = &[
    "package.json",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
    "Pipfile",
    "go.mod",
    "Cargo.toml",
    "deno.json",
];
/// `PATH` when the config sets none.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Runners whose first argument (after flags) is an npm package.
const NPM_RUNNERS: &[&str] = &["npx", "pnpx", "bunx"];
/// Runners whose first argument (after flags and `run`) is a Python package.
const PYTHON_RUNNERS: &[&str] = &["uvx", "pipx"];
/// Imports of a console script that are not the application.
const NOT_THE_APP: &[&str] = &[
    "__future__",
    "sys",
    "os",
    "re",
    "importlib",
    "pkg_resources",
    "runpy",
];

/// The names of the launchers the command may run, to keep while indexing: the last
/// component of every word of the entrypoint and command.
pub(super) fn wanted_scripts(run: &RunConfig) -> HashSet<String> {
    words(run)
        .into_iter()
        .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .collect()
}

/// The application directories (or files) of the image, without the leading slash,
/// none inside another.
pub(super) fn find(run: &RunConfig, fs: &FileSystem, base_path: Option<&str>) -> Vec<String> {
    if let Some(base) = base_path {
        return vec![base.to_string()];
    }
    let finder = Finder::new(run, fs);
    let mut roots = Vec::new();
    if let Some(workdir) = &finder.workdir
        && let Some(dir) = fs.resolve(workdir)
        && !dir.is_empty()
        && fs.is_dir(&dir)
        && !is_os_tree(&dir)
    {
        roots.push(dir);
    }
    roots.extend(finder.command_roots(run));
    let usual = USUAL_APP_DIRS
        .iter()
        .map(|d| d.to_string())
        .chain(fs.child_dirs("home").into_iter().map(|c| join("home", &c)));
    roots.extend(usual.filter_map(|d| finder.app_dir(&d)));
    if roots.is_empty() {
        let opt: Vec<String> = fs
            .child_dirs("opt")
            .into_iter()
            .map(|c| join("opt", &c))
            .collect();
        roots.extend(opt.iter().filter_map(|d| finder.app_dir(d)));
    }
    outermost(roots)
}

/// The roots sorted, without duplicates or roots inside others.
fn outermost(mut roots: Vec<String>) -> Vec<String> {
    roots.sort();
    roots.dedup();
    let mut kept: Vec<String> = Vec::new();
    for root in roots {
        let inside = kept.iter().any(|k| {
            root.strip_prefix(k.as_str())
                .is_some_and(|r| r.starts_with('/'))
        });
        if !inside && !root.is_empty() {
            kept.push(root);
        }
    }
    kept
}

/// Whether `path` lies in an OS directory (and not in an application directory there).
fn is_os_tree(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or_default();
    OS_TREES.contains(&top)
        && !APP_DIRS_IN_OS_TREES
            .iter()
            .any(|a| path == *a || path.strip_prefix(a).is_some_and(|r| r.starts_with('/')))
}

/// The words of the entrypoint and command, arguments of `sh -c "…"` split too.
fn words(run: &RunConfig) -> Vec<&str> {
    run.command()
        .flat_map(str::split_whitespace)
        .map(|w| w.trim_matches(|c| matches!(c, '"' | '\'' | ';' | '(' | ')' | '`')))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The directory part of `path` (`""` at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// A path from the config as an image path without the leading slash.
fn clean(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// What the next word of the command is, after a runner or `-m`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Anything,
    NpmPackage,
    PythonPackage,
    PythonModule,
}

/// Looks things up in one image.
struct Finder<'a> {
    fs: &'a FileSystem,
    workdir: Option<String>,
    path_dirs: Vec<String>,
    site_packages: Vec<String>,
}

impl<'a> Finder<'a> {
    fn new(run: &RunConfig, fs: &'a FileSystem) -> Finder<'a> {
        let path_dirs = run
            .env_value("PATH")
            .unwrap_or(DEFAULT_PATH)
            .split(':')
            .map(clean)
            .filter(|d| !d.is_empty())
            .collect();
        Finder {
            fs,
            workdir: run
                .working_dir
                .as_deref()
                .map(clean)
                .filter(|w| !w.is_empty()),
            path_dirs,
            site_packages: site_packages(fs),
        }
    }

    /// `dir` (links resolved) when it holds application files: a file whose path below
    /// `dir` does not start with a dot (`/home/node/.bashrc` alone is not an application).
    fn app_dir(&self, dir: &str) -> Option<String> {
        let dir = self.fs.resolve(dir)?;
        let prefix = format!("{dir}/");
        self.fs
            .under(&dir)
            .any(|(path, node)| {
                matches!(node.kind, EntryKind::File { .. })
                    && !path[prefix.len()..].starts_with('.')
            })
            .then_some(dir)
    }

    /// The roots the entrypoint and command name.
    fn command_roots(&self, run: &RunConfig) -> Vec<String> {
        let mut out = Vec::new();
        let mut expect = Expect::Anything;
        for word in words(run) {
            let name = word.rsplit('/').next().unwrap_or(word);
            let waiting = expect != Expect::Anything;
            if waiting && (word.starts_with('-') || word == "run") {
                continue;
            }
            let found = match expect {
                Expect::NpmPackage => self.npm_package(npm_name(word)),
                Expect::PythonPackage => self.python_package(&dist_module(word), None),
                Expect::PythonModule => {
                    self.python_package(word.split('.').next().unwrap_or(word), None)
                }
                Expect::Anything => {
                    expect = match word {
                        "-m" => Expect::PythonModule,
                        _ if NPM_RUNNERS.contains(&name) => Expect::NpmPackage,
                        _ if PYTHON_RUNNERS.contains(&name) => Expect::PythonPackage,
                        _ => Expect::Anything,
                    };
                    if expect != Expect::Anything || word.starts_with('-') {
                        continue;
                    }
                    self.executable(word)
                }
            };
            expect = Expect::Anything;
            out.extend(found);
        }
        out
    }

    /// The root of what a command word names: a path, a name on `PATH`, or a file in
    /// the working directory.
    fn executable(&self, word: &str) -> Option<String> {
        let candidates: Vec<String> = if word.starts_with('/') {
            vec![clean(word)]
        } else {
            let in_workdir = match &self.workdir {
                Some(w) => join(w, &clean(word)),
                None => clean(word),
            };
            let on_path = self
                .path_dirs
                .iter()
                .filter(|_| !word.contains('/'))
                .map(|d| join(d, word));
            on_path.chain([in_workdir]).collect()
        };
        let resolved = candidates
            .iter()
            .find_map(|c| self.fs.resolve(c).filter(|r| !r.is_empty()))?;
        self.root_of(&resolved)
    }

    /// The root for an existing file or directory of the image.
    fn root_of(&self, path: &str) -> Option<String> {
        if let Some(package) = package_dir(path) {
            return Some(package);
        }
        let in_bin = matches!(parent(path).rsplit('/').next(), Some("bin" | "sbin"));
        if in_bin && let Some(module) = self.fs.script(path).and_then(console_script_module) {
            let prefix = parent(parent(path));
            return self.python_package(&module, Some(prefix));
        }
        if is_os_tree(path) {
            return None;
        }
        let start = if self.fs.is_dir(path) {
            path
        } else {
            parent(path)
        };
        let mut dir = start;
        while !dir.is_empty() && !is_os_tree(dir) {
            if PROJECT_MARKERS
                .iter()
                .any(|m| self.fs.is_file(&join(dir, m)))
            {
                return Some(dir.to_string());
            }
            dir = parent(dir);
        }
        if in_bin {
            return None;
        }
        usual_dir_of(path).or_else(|| Some(if start.is_empty() { path } else { start }.to_string()))
    }

    /// A Python package (or module file) in a `site-packages`, preferring the one
    /// sharing the longest prefix with `near`.
    fn python_package(&self, module: &str, near: Option<&str>) -> Option<String> {
        if module.is_empty() || !module.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let found = self.site_packages.iter().filter_map(|sp| {
            let dir = join(sp, module);
            let file = format!("{dir}.py");
            if self.fs.is_dir(&dir) {
                Some(dir)
            } else {
                self.fs.is_file(&file).then_some(file)
            }
        });
        let near = near.unwrap_or_default();
        found.rev().max_by_key(|p| common_prefix(p, near))
    }

    /// The directory of the npm package `name` in some `node_modules`.
    fn npm_package(&self, name: &str) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        let tail = format!("node_modules/{name}/package.json");
        let nested = format!("/{tail}");
        self.fs
            .paths()
            .find(|p| p.as_str() == tail || p.ends_with(&nested))
            .map(|p| parent(p).to_string())
    }
}

/// Every `site-packages` and `dist-packages` directory of the image.
fn site_packages(fs: &FileSystem) -> Vec<String> {
    let mut found = BTreeSet::new();
    for path in fs.paths() {
        for marker in ["/site-packages/", "/dist-packages/"] {
            if let Some(i) = path.find(marker) {
                found.insert(path[..i + marker.len() - 1].to_string());
            }
        }
    }
    found.into_iter().collect()
}

/// The package directory a path lies in: `…/site-packages/<pkg>` or
/// `…/node_modules/[@scope/]<pkg>` (the innermost).
fn package_dir(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let at = parts
        .iter()
        .rposition(|p| matches!(*p, "site-packages" | "dist-packages" | "node_modules"))?;
    let take = match (parts[at], parts.get(at + 1)) {
        ("node_modules", Some(scope)) if scope.starts_with('@') => 2,
        _ => 1,
    };
    (parts.len() > at + take).then(|| parts[..=at + take].join("/"))
}

/// The usual application directory holding `path`, if any.
fn usual_dir_of(path: &str) -> Option<String> {
    for dir in USUAL_APP_DIRS {
        if path == *dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/')) {
            return Some(dir.to_string());
        }
    }
    let mut parts = path.splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(top @ ("home" | "opt")), Some(child)) => Some(format!("{top}/{child}")),
        _ => None,
    }
}

/// The module a Python console script imports its entry point from (`from pkg.cli
/// import main` → `pkg`).
fn console_script_module(content: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(content).ok()?;
    let shebang = text.lines().next()?;
    if !(shebang.starts_with("#!") && shebang.contains("python")) {
        return None;
    }
    text.lines().find_map(|line| {
        let module = line
            .trim()
            .strip_prefix("from ")?
            .split_whitespace()
            .next()?;
        let top = module.split('.').next()?;
        (!NOT_THE_APP.contains(&top)).then(|| top.to_string())
    })
}

/// An npm package name from a runner's argument (`@scope/name@1.2` → `@scope/name`).
fn npm_name(word: &str) -> &str {
    let split_at = if let Some(rest) = word.strip_prefix('@') {
        rest.find('@').map(|i| i + 1)
    } else {
        word.find('@')
    };
    split_at.map_or(word, |i| &word[..i])
}

/// The import name of a Python distribution given to a runner (`mcp-server-git==1.0` →
/// `mcp_server_git`).
fn dist_module(word: &str) -> String {
    word.split(['=', '<', '>', '@', '[', '~', '!'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace(['-', '.'], "_")
}

/// How many leading bytes two paths share.
fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_dirs() {
        assert_eq!(
            package_dir("usr/local/lib/node_modules/@scope/x/dist/index.js").as_deref(),
            Some("usr/local/lib/node_modules/@scope/x")
        );
        assert_eq!(
            package_dir("usr/local/lib/python3.12/site-packages/pkg/__main__.py").as_deref(),
            Some("usr/local/lib/python3.12/site-packages/pkg")
        );
        assert_eq!(package_dir("app/node_modules"), None);
        assert_eq!(package_dir("app/index.js"), None);
    }

    #[test]
    fn console_scripts_name_their_package() {
        let script = b"#!/usr/local/bin/python3.12\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom mcp_server_fetch.cli import main\nif __name__ == \"__main__\":\n    sys.exit(main())\n";
        assert_eq!(
            console_script_module(script).as_deref(),
            Some("mcp_server_fetch")
        );
        assert_eq!(console_script_module(b"#!/bin/sh\nfrom x import y\n"), None);
        assert_eq!(console_script_module(b"\x7fELF\x02\x01"), None);
    }

    #[test]
    fn runner_arguments() {
        assert_eq!(npm_name("@scope/server@1.2.0"), "@scope/server");
        assert_eq!(npm_name("server@latest"), "server");
        assert_eq!(npm_name("server"), "server");
        assert_eq!(dist_module("mcp-server-git==2025.1"), "mcp_server_git");
    }

    #[test]
    fn os_trees_and_nesting() {
        assert!(is_os_tree("usr/lib/python3/dist-packages"));
        assert!(is_os_tree("etc"));
        assert!(!is_os_tree("usr/src/app"));
        assert!(!is_os_tree("app"));
        assert!(!is_os_tree("usrx"));
        assert_eq!(
            outermost(vec![
                "app/dist".into(),
                "app".into(),
                "app-data".into(),
                "app".into()
            ]),
            ["app", "app-data"]
        );
    }
}
