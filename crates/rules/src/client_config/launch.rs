//! What a server's command line launches: a package runner (`npx`, `uvx`, `pipx run`,
//! `bunx`, `pnpm dlx`, `yarn dlx`, `npm exec`) with the package it fetches, or a
//! container (`docker run` / `podman run`) with its options and image.

use super::config::Word;
use crate::container::shell::normalise;
use crate::supply_chain::source::{self, Source};

/// A package fetched and run by a launcher.
#[derive(Debug, Clone)]
pub struct PackageLaunch<'w> {
    /// The launcher, e.g. `npx` or `uvx`.
    pub runner: String,
    /// The package spec, e.g. `@scope/pkg@1.2.3` or `tool==2.0`.
    pub package: &'w Word,
    /// Python spec syntax (`==`) rather than npm's (`@`).
    pub python: bool,
    /// `-y` / `--yes`: installs without asking.
    pub auto_yes: bool,
}

/// A container run.
#[derive(Debug, Clone)]
pub struct ContainerLaunch<'w> {
    /// `docker`, `podman`, `nerdctl`.
    pub engine: String,
    /// The options before the image, each with its value (`-v` and `/:/host`).
    pub options: Vec<(&'w Word, Option<&'w Word>)>,
    /// The image.
    pub image: Option<&'w Word>,
}

/// npm-style runners: `(program, subcommand)`.
const NPM_RUNNERS: &[(&str, Option<&str>)] = &[
    ("npx", None),
    ("pnpx", None),
    ("bunx", None),
    ("bun", Some("x")),
    ("pnpm", Some("dlx")),
    ("yarn", Some("dlx")),
    ("npm", Some("exec")),
    ("npm", Some("x")),
];

/// Python runners: `(program, subcommand)`.
const PYTHON_RUNNERS: &[(&str, Option<&str>)] =
    &[("uvx", None), ("uv", Some("tool")), ("pipx", Some("run"))];

/// Runner options whose value is the package spec.
const PACKAGE_OPTIONS: &[&str] = &["-p", "--package", "--from", "--spec"];

/// Runner options that take a value which is not the package.
const RUNNER_VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--call",
    "--registry",
    "--cache",
    "--userconfig",
    "--with",
    "--python",
    "--index-url",
    "--extra-index-url",
    "--index",
    "--default-index",
    "-w",
    "--workspace",
];

/// `docker run` options that take a value.
const DOCKER_VALUE_OPTIONS: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "-p",
    "--publish",
    "--name",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--entrypoint",
    "-l",
    "--label",
    "--cap-add",
    "--cap-drop",
    "--pid",
    "--ipc",
    "--uts",
    "--userns",
    "--platform",
    "-m",
    "--memory",
    "--cpus",
    "--device",
    "--add-host",
    "-h",
    "--hostname",
    "--restart",
    "--security-opt",
    "--tmpfs",
    "--ulimit",
    "--log-driver",
    "--log-opt",
    "--runtime",
    "--gpus",
    "--pull",
    "--dns",
    "--expose",
    "--link",
    "--volumes-from",
    "--group-add",
    "--shm-size",
    "--stop-signal",
    "--health-cmd",
    "--cgroupns",
    "--init-path",
];

/// The package launch of `argv`, if it starts with a package runner.
pub fn package_launch(argv: &[Word]) -> Option<PackageLaunch<'_>> {
    let program = normalise(&argv.first()?.text);
    let sub = argv.get(1).map(|w| w.text.as_str());
    let matches = |runners: &[(&str, Option<&str>)]| {
        runners
            .iter()
            .find(|(p, s)| *p == program && (s.is_none() || *s == sub))
            .map(|(_, s)| if s.is_some() { 2 } else { 1 })
    };
    let (python, mut at) = match (matches(NPM_RUNNERS), matches(PYTHON_RUNNERS)) {
        (Some(at), _) => (false, at),
        (None, Some(at)) => (true, at),
        (None, None) => return None,
    };
    let runner = if at == 2 {
        format!("{program} {}", argv[1].text)
    } else {
        program.clone()
    };
    // `uv tool run …`.
    if program == "uv" && argv.get(at).is_some_and(|w| w.text == "run") {
        at += 1;
    }
    let mut auto_yes = false;
    let mut package = None;
    let mut first_operand = None;
    while let Some(word) = argv.get(at) {
        let text = word.text.as_str();
        if text == "--" {
            first_operand = first_operand.or(argv.get(at + 1));
            break;
        }
        if matches!(text, "-y" | "--yes") {
            auto_yes = true;
        } else if let Some((flag, _)) = text.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            if PACKAGE_OPTIONS.contains(&flag) {
                package = package.or(Some(word));
            }
        } else if PACKAGE_OPTIONS.contains(&text) {
            package = package.or(argv.get(at + 1));
            at += 1;
        } else if RUNNER_VALUE_OPTIONS.contains(&text) {
            at += 1;
        } else if !text.starts_with('-') {
            first_operand = Some(word);
            break;
        }
        at += 1;
    }
    Some(PackageLaunch {
        runner,
        package: package.or(first_operand)?,
        python,
        auto_yes,
    })
}

/// The container launch of `argv`, if it is `docker run …` (or podman's, nerdctl's).
pub fn container_launch(argv: &[Word]) -> Option<ContainerLaunch<'_>> {
    let engine = normalise(&argv.first()?.text);
    if !matches!(engine.as_str(), "docker" | "podman" | "nerdctl") {
        return None;
    }
    let mut at = 1;
    if argv.get(at).is_some_and(|w| w.text == "container") {
        at += 1;
    }
    if argv.get(at).is_none_or(|w| w.text != "run") {
        return None;
    }
    at += 1;
    let mut options = Vec::new();
    let mut image = None;
    while let Some(word) = argv.get(at) {
        let text = word.text.as_str();
        if !text.starts_with('-') {
            image = Some(word);
            break;
        }
        let takes_value = !text.contains('=') && DOCKER_VALUE_OPTIONS.contains(&text);
        if takes_value {
            options.push((word, argv.get(at + 1)));
            at += 2;
        } else {
            options.push((word, None));
            at += 1;
        }
    }
    Some(ContainerLaunch {
        engine,
        options,
        image,
    })
}

/// How firmly a package spec pins its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// An exact version or a commit.
    Exact,
    /// A version range (`^1.2`, `>=1`).
    Range,
    /// No version, or a moving tag (`latest`, `next`).
    None,
}

/// The pin of an npm package spec (`name`, `name@1.2.3`, `@scope/name@^1`).
pub fn npm_pin(spec: &str) -> Option<Pin> {
    if let Some(found) = source::npm(spec) {
        return source_pin(&found);
    }
    let body = spec.strip_prefix('@').unwrap_or(spec);
    let Some((_, version)) = body.split_once('@') else {
        return Some(Pin::None);
    };
    Some(version_pin(version))
}

/// The pin of a Python package spec (`name`, `name==1.2`, `name@1.2`, `name>=1`).
pub fn python_pin(spec: &str) -> Option<Pin> {
    if let Some(found) = source::python(spec) {
        return source_pin(&found);
    }
    let spec = spec.split(';').next().unwrap_or(spec);
    if let Some((_, version)) = spec.split_once("==") {
        return Some(if version.contains('*') {
            Pin::Range
        } else {
            Pin::Exact
        });
    }
    if let Some((_, version)) = spec.split_once('@') {
        return Some(version_pin(version));
    }
    Some(if spec.contains(['>', '<', '~', '!']) {
        Pin::Range
    } else {
        Pin::None
    })
}

/// The pin of a git, URL or local source (`None` for local paths: nothing is fetched).
fn source_pin(found: &Source) -> Option<Pin> {
    match found {
        Source::Local => None,
        Source::Git {
            reference: Some(reference),
        } if source::is_commit(reference) => Some(Pin::Exact),
        Source::Git { .. } | Source::Url { .. } => Some(Pin::None),
    }
}

/// The pin a version string gives: exact (`1.2.3`, `v1.2.3-rc.1`), range, or a tag.
fn version_pin(version: &str) -> Pin {
    let v = version.trim_start_matches(['=', 'v']);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        Pin::Exact
    } else if version
        .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '^' | '~' | '>' | '<' | '=' | '*'))
        || version.contains(" - ")
        || version.contains("||")
    {
        Pin::Range
    } else {
        Pin::None
    }
}

/// The pin of a container image reference: a digest is exact, a version tag counts as
/// a pin, no tag or `latest` is none.
pub fn image_pin(image: &str) -> Pin {
    if image.contains("@sha256:") {
        return Pin::Exact;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if !tag.eq_ignore_ascii_case("latest") && !tag.is_empty() => Pin::Range,
        _ => Pin::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        line.split_whitespace()
            .map(|t| Word {
                text: t.to_string(),
                span: 0..0,
            })
            .collect()
    }

    #[test]
    fn finds_the_package_of_each_runner() {
        for (line, package, yes) in [
            ("npx -y @scope/pkg@1.2.3 --flag", "@scope/pkg@1.2.3", true),
            ("npx --package=tool@2 tool-cli", "--package=tool@2", false),
            ("pnpm dlx create-thing", "create-thing", false),
            (
                "uvx --from mcp-server-git==0.6.2 mcp-server-git",
                "mcp-server-git==0.6.2",
                false,
            ),
            ("uv tool run --python 3.12 mcp-fetch", "mcp-fetch", false),
            ("pipx run --spec tool==1.0 tool", "tool==1.0", false),
            ("npm exec --yes -- pkg@1.0.0", "pkg@1.0.0", true),
        ] {
            let argv = words(line);
            let launch = package_launch(&argv).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(launch.package.text, package, "{line}");
            assert_eq!(launch.auto_yes, yes, "{line}");
        }
        assert!(package_launch(&words("node server.js")).is_none());
    }

    #[test]
    fn judges_pins() {
        assert_eq!(npm_pin("@scope/pkg@1.2.3"), Some(Pin::Exact));
        assert_eq!(npm_pin("@scope/pkg"), Some(Pin::None));
        assert_eq!(npm_pin("pkg@latest"), Some(Pin::None));
        assert_eq!(npm_pin("pkg@^1.2.0"), Some(Pin::Range));
        assert_eq!(npm_pin("pkg@1"), Some(Pin::Range));
        assert_eq!(npm_pin("./local"), None);
        assert_eq!(python_pin("tool==1.0.2"), Some(Pin::Exact));
        assert_eq!(python_pin("tool@0.6.2"), Some(Pin::Exact));
        assert_eq!(python_pin("tool>=1"), Some(Pin::Range));
        assert_eq!(python_pin("tool"), Some(Pin::None));
        assert_eq!(image_pin("mcp/github@sha256:abc"), Pin::Exact);
        assert_eq!(image_pin("registry:5000/mcp/github"), Pin::None);
        assert_eq!(image_pin("mcp/github:latest"), Pin::None);
        assert_eq!(image_pin("mcp/github:1.2"), Pin::Range);
    }

    #[test]
    fn reads_docker_run_options_and_image() {
        let argv = words("docker run -i --rm -e TOKEN -v /:/host --network=host ghcr/x:1 --arg");
        let launch = container_launch(&argv).expect("docker run");
        assert_eq!(launch.image.map(|w| w.text.as_str()), Some("ghcr/x:1"));
        let options: Vec<(&str, Option<&str>)> = launch
            .options
            .iter()
            .map(|(o, v)| (o.text.as_str(), v.map(|v| v.text.as_str())))
            .collect();
        assert_eq!(
            options,
            vec![
                ("-i", None),
                ("--rm", None),
                ("-e", Some("TOKEN")),
                ("-v", Some("/:/host")),
                ("--network=host", None)
            ]
        );
        assert!(container_launch(&words("docker ps")).is_none());
    }
}
