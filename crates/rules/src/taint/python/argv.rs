//! Argument vectors run without a shell: which of their parts are dangerous.
//!
//! A tainted program is a command; a tainted argument after `sh -c` is a command, after
//! `python -c` code, of `open`/`xdg-open` something the OS opens; for option-parsing
//! programs (`git`, `curl`, `tar`, `rg`, `find`, `ssh`, …) a tainted argument is an
//! option injection when it can lead an element — not after a `--`, not the value of an
//! option that takes one (`-m`, `--branch`), not behind a constant prefix
//! (`f"--output={x}"`, `"refs/" + x`).

use assay_core::Confidence;
use tree_sitter::Node;

use super::engine::FnCx;
use super::value::Value;
use crate::taint::SinkKind;

/// Programs a caller's argument must not reach as an option.
const OPTION_PROGRAMS: &[&str] = &[
    "git",
    "kubectl",
    "curl",
    "wget",
    "tar",
    "rg",
    "grep",
    "egrep",
    "find",
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "docker",
    "podman",
    "helm",
    "gh",
    "npm",
    "npx",
    "pip",
    "pip3",
    "yarn",
    "pnpm",
    "aws",
    "gcloud",
    "az",
    "terraform",
    "ffmpeg",
    "convert",
    "magick",
    "zip",
    "unzip",
    "7z",
    "sed",
    "xargs",
    "psql",
    "mysql",
    "sqlite3",
    "openssl",
    "hg",
    "svn",
    "sort",
    "less",
    "man",
    "tcpdump",
    "nmap",
    "cp",
    "mv",
    "ls",
    "chmod",
    "chown",
    "ln",
    "env",
    "uv",
    "uvx",
    "go",
    "cargo",
    "make",
    "mvn",
    "gradle",
    "java",
    "jq",
    "yq",
    "pandoc",
    "wkhtmltopdf",
];
/// Shells: an argument after `-c` is a command line.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "cmd",
    "powershell",
    "pwsh",
];
/// Flags after which a shell reads a command line.
const SHELL_FLAGS: &[&str] = &["-c", "/c", "/C", "-Command", "-lc"];
/// Interpreters: an argument after `-c`/`-e` is code.
const INTERPRETERS: &[&str] = &[
    "python",
    "python3",
    "python2",
    "node",
    "nodejs",
    "perl",
    "ruby",
    "php",
    "deno",
    "bun",
    "osascript",
];
/// Flags after which an interpreter reads code.
const CODE_FLAGS: &[&str] = &["-c", "-e", "--eval", "-r"];
/// Programs handing their argument to the desktop to open.
const OPEN_PROGRAMS: &[&str] = &["open", "xdg-open", "start", "explorer", "gio", "gnome-open"];
/// Options whose value is the next argument (a value starting with `-` is still a value).
const VALUE_FLAGS: &[&str] = &[
    "-m",
    "--message",
    "-e",
    "--regexp",
    "-b",
    "--branch",
    "-C",
    "-o",
    "--output",
    "-n",
    "--max-count",
    "-f",
    "--file",
    "--author",
    "-u",
    "--user",
    "-d",
    "--data",
    "-H",
    "--header",
    "-X",
    "--request",
    "-t",
    "--to",
    "--from",
    "-F",
];

/// One element of an argument vector.
pub(super) struct Element<'t> {
    /// The element expression.
    pub node: Node<'t>,
    /// Its value.
    pub value: Value<'t>,
}

/// A dangerous part of an argument vector.
pub(super) struct ArgvFlow<'t> {
    /// What it is.
    pub sink: SinkKind,
    /// The data in that part.
    pub value: Value<'t>,
    /// A step explaining it, with the confidence it allows.
    pub note: Option<(Node<'t>, String, Confidence)>,
}

impl<'t> FnCx<'_, '_, 't> {
    /// The elements of `node` when it is (or names) a list or tuple literal.
    pub(super) fn argv_elements(&mut self, node: Node<'t>) -> Option<Vec<Element<'t>>> {
        let literal = self.index().statics.value(node);
        if !matches!(literal.kind(), "list" | "tuple") {
            return None;
        }
        let mut cursor = literal.walk();
        let nodes: Vec<_> = literal
            .named_children(&mut cursor)
            .filter(|n| n.kind() != "comment")
            .collect();
        Some(
            nodes
                .into_iter()
                .map(|node| Element {
                    node,
                    value: self.eval(node),
                })
                .collect(),
        )
    }

    /// The dangerous parts of an argument vector (program first).
    pub(super) fn argv_flows(&mut self, elements: &[Element<'t>]) -> Vec<ArgvFlow<'t>> {
        let Some(first) = elements.first() else {
            return Vec::new();
        };
        if first.value.is_tainted() {
            return vec![ArgvFlow {
                sink: SinkKind::Command,
                value: first.value.clone(),
                note: Some((
                    first.node,
                    "the caller chooses the program to run".to_string(),
                    Confidence::High,
                )),
            }];
        }
        let Some(program) = self.index().const_str(first.node).map(|p| program_name(&p)) else {
            return Vec::new();
        };
        let program = program.as_str();
        let rest = &elements[1..];
        let after = |flags: &[&str]| self.tainted_after(rest, flags);
        let (sink, value) = if SHELLS.contains(&program) {
            (SinkKind::Command, after(SHELL_FLAGS))
        } else if INTERPRETERS.contains(&program) {
            (SinkKind::CodeEval, after(CODE_FLAGS))
        } else if OPEN_PROGRAMS.contains(&program) {
            (
                SinkKind::OpenExternal,
                Value::union(rest.iter().map(|e| &e.value)),
            )
        } else if OPTION_PROGRAMS.contains(&program) {
            (SinkKind::Argument, self.option_exposed(rest))
        } else {
            return Vec::new();
        };
        vec![ArgvFlow {
            sink,
            value,
            note: None,
        }]
    }

    /// The sink of items appended to a vector after its literal part (their position is
    /// unknown: only a `--` in the literal protects them).
    pub(super) fn appended_sink(&self, elements: &[Element<'t>]) -> Option<SinkKind> {
        let index = self.index();
        let program = elements
            .first()
            .and_then(|e| index.const_str(e.node))
            .map(|p| program_name(&p))?;
        let separated = elements
            .iter()
            .any(|e| index.const_str(e.node).as_deref() == Some("--"));
        if OPEN_PROGRAMS.contains(&program.as_str()) {
            Some(SinkKind::OpenExternal)
        } else if OPTION_PROGRAMS.contains(&program.as_str()) && !separated {
            Some(SinkKind::Argument)
        } else {
            None
        }
    }

    /// The data of elements after one of `flags`.
    fn tainted_after(&self, elements: &[Element<'t>], flags: &[&str]) -> Value<'t> {
        let index = self.index();
        let start = elements.iter().position(|e| {
            index
                .const_str(e.node)
                .is_some_and(|t| flags.contains(&t.as_str()))
        });
        match start {
            Some(start) => Value::union(elements[start + 1..].iter().map(|e| &e.value)),
            None => Value::default(),
        }
    }

    /// The data that may be read as an option: what leads an element, up to a `--`, and
    /// not as the value of an option that takes one.
    pub(super) fn option_exposed(&mut self, elements: &[Element<'t>]) -> Value<'t> {
        let texts: Vec<Option<String>> = elements
            .iter()
            .map(|e| self.index().const_str(e.node))
            .collect();
        let mut out = Value::default();
        for (i, element) in elements.iter().enumerate() {
            if texts[i].as_deref() == Some("--") {
                break;
            }
            let value_of_flag = i > 0
                && texts[i - 1]
                    .as_deref()
                    .is_some_and(|t| VALUE_FLAGS.contains(&t));
            if element.value.is_tainted() && !value_of_flag {
                let leading = self.leading(element.node, &element.value, 0);
                out.absorb(&leading);
            }
        }
        out
    }

    /// The data an element may start with: all of it, unless a constant leads
    /// (`f"--branch={x}"`, `"refs/" + x`) or it is an f-string led by another value.
    fn leading(&mut self, node: Node<'t>, whole: &Value<'t>, depth: usize) -> Value<'t> {
        if depth > 4 {
            return whole.clone();
        }
        match node.kind() {
            "string" => {
                let mut cursor = node.walk();
                let first = node
                    .named_children(&mut cursor)
                    .find(|c| c.kind() != "string_start");
                match first {
                    Some(part) if part.kind() == "interpolation" => part
                        .child_by_field_name("expression")
                        .map(|e| self.eval(e))
                        .unwrap_or_default(),
                    _ => Value::default(),
                }
            }
            "binary_operator" => {
                let Some(left) = node.child_by_field_name("left") else {
                    return whole.clone();
                };
                if self.index().const_str(left).is_some_and(|s| !s.is_empty()) {
                    return Value::default();
                }
                let value = self.eval(left);
                self.leading(left, &value, depth + 1)
            }
            _ => whole.clone(),
        }
    }
}

/// The program's base name (`/usr/bin/git` → `git`, `git.exe` → `git`).
fn program_name(program: &str) -> String {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    base.strip_suffix(".exe")
        .unwrap_or(base)
        .to_ascii_lowercase()
}
