//! Sinks: `exec.Command` (shell, program, option-parsing programs, URL openers), file
//! system calls, HTTP clients and dialers, SQL, templates, interpreters and plugins,
//! decoders, credentials in requests to tainted hosts, and data sent to fixed hosts.

use assay_core::{Confidence, FlowStep};
use tree_sitter::Node;

use super::interp::{Frame, Hit, Interp, remote_data_matters};
use super::stdlib::literal_text;
use super::value::{RequestInfo, Value};
use crate::taint::SinkKind;

/// Hits kept per function walk.
const MAX_HITS: usize = 256;

/// Shells that run their `-c` argument.
const POSIX_SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "busybox"];
/// Windows shells: everything after `/c` is the command line.
const WINDOWS_SHELLS: &[&str] = &["cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"];
/// Programs that open a URL or file with the desktop's handler.
const OPENERS: &[&str] = &[
    "open",
    "xdg-open",
    "rundll32",
    "explorer",
    "explorer.exe",
    "wslview",
    "gio",
    "start",
];
/// Programs whose leading arguments are parsed as options (some options run commands,
/// write files or read arbitrary files).
const OPTION_PROGRAMS: &[&str] = &[
    "git",
    "kubectl",
    "helm",
    "curl",
    "wget",
    "tar",
    "zip",
    "unzip",
    "rg",
    "grep",
    "find",
    "ssh",
    "scp",
    "rsync",
    "docker",
    "podman",
    "npm",
    "npx",
    "pip",
    "go",
    "gh",
    "aws",
    "gcloud",
    "az",
    "terraform",
    "sed",
    "awk",
    "psql",
    "mysql",
    "sqlite3",
    "ffmpeg",
    "convert",
    "magick",
    "openssl",
    "tcpdump",
    "nmap",
    "make",
    "hg",
    "svn",
    "less",
    "man",
    "xargs",
    "env",
    "sort",
    "cp",
    "mv",
    "rm",
    "ls",
    "cat",
    "chmod",
    "chown",
    "jq",
    "yq",
];
/// Headers that carry credentials.
const AUTH_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "private-token",
    "x-access-token",
    "cookie",
];

/// `os` / `ioutil` / `filepath` / `http` calls taking paths, with the path argument
/// indices.
fn path_arguments(path: &str, name: &str) -> &'static [usize] {
    match (path, name) {
        (
            "os",
            "Open" | "OpenFile" | "ReadFile" | "WriteFile" | "Create" | "Remove" | "RemoveAll"
            | "Mkdir" | "MkdirAll" | "ReadDir" | "Chmod" | "Chown" | "Truncate" | "DirFS"
            | "CopyFS",
        )
        | ("io/ioutil", "ReadFile" | "WriteFile" | "ReadDir")
        | ("path/filepath", "Walk" | "WalkDir" | "Glob") => &[0],
        ("os", "Rename" | "Symlink" | "Link") => &[0, 1],
        ("net/http", "ServeFile") => &[2],
        _ => &[],
    }
}

impl<'t> Interp<'t, '_> {
    /// Checks the sinks of package function `path.name`.
    pub(super) fn package_sinks(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        path: &str,
        name: &str,
        args: &[Node<'t>],
        values: &[Value],
    ) {
        let callee = super::index::bounded(
            node.child_by_field_name("function")
                .map_or("", |n| self.ix.text_of(n)),
            80,
        );
        for &index in path_arguments(path, name) {
            if let Some(value) = values.get(index) {
                self.sink(f, node, SinkKind::PathAccess, &callee, value, None);
            }
        }
        match (path, name) {
            ("os/exec", "Command") => self.exec_sink(f, node, &callee, args, values, 0),
            ("os/exec", "CommandContext") => self.exec_sink(f, node, &callee, args, values, 1),
            ("syscall", "Exec") | ("os", "StartProcess") => {
                if let Some(program) = values.first() {
                    self.sink(f, node, SinkKind::Command, &callee, program, None);
                }
                let shell = args
                    .first()
                    .and_then(|a| literal_text(self.ix, *a))
                    .is_some_and(|p| is_shell(&p));
                if shell && let Some(argv) = values.get(1) {
                    self.sink(f, node, SinkKind::Command, &callee, argv, None);
                }
            }
            ("net/http", "Get" | "Head") => {
                if let Some(url) = values.first() {
                    self.url_sink(f, node, &callee, url);
                }
            }
            ("net/http", "Post" | "PostForm") => {
                if let Some(url) = values.first() {
                    self.url_sink(f, node, &callee, url);
                }
                let body = if name == "Post" { 2 } else { 1 };
                if let Some(body) = values.get(body) {
                    self.sink(f, node, SinkKind::OutboundData, &callee, body, None);
                }
            }
            ("net/http", "NewRequest" | "NewRequestWithContext") => {
                let at = usize::from(name == "NewRequestWithContext");
                if let Some(url) = values.get(at + 1) {
                    self.url_sink(f, node, &callee, url);
                }
                if let Some(body) = values.get(at + 2) {
                    self.sink(f, node, SinkKind::OutboundData, &callee, body, None);
                }
            }
            ("net" | "crypto/tls", "Dial" | "DialTimeout" | "DialWithDialer") => {
                if let Some(address) = values.get(1) {
                    self.sink(f, node, SinkKind::Url, &callee, address, None);
                }
            }
            ("plugin", "Open") => {
                if let Some(file) = values.first() {
                    self.sink(f, node, SinkKind::CodeEval, &callee, file, None);
                }
            }
            ("encoding/gob", "NewDecoder") => {
                if let Some(input) = values.first() {
                    self.sink(f, node, SinkKind::Deserialize, &callee, input, None);
                }
            }
            (p, "Unmarshal") if p.contains("yaml") => {
                let untyped = args
                    .get(1)
                    .and_then(|t| super::expr::root_identifier(*t))
                    .and_then(|t| f.env.types.get(self.ix.text_of(t)))
                    .is_some_and(|t| matches!(*t, "interface{}" | "any") || t.starts_with("map["));
                if untyped && let Some(input) = values.first() {
                    self.sink_capped(
                        f,
                        node,
                        SinkKind::Deserialize,
                        &callee,
                        input,
                        Some("decoded into an untyped value"),
                        Confidence::Low,
                    );
                }
            }
            (p, n) if p.contains("browser") && n.starts_with("Open") => {
                if let Some(target) = values.first() {
                    self.sink(f, node, SinkKind::OpenExternal, &callee, target, None);
                }
            }
            _ => {}
        }
    }

    /// `exec.Command(program, args…)` with the program at `offset`.
    fn exec_sink(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        callee: &str,
        args: &[Node<'t>],
        values: &[Value],
        offset: usize,
    ) {
        let Some(program_value) = values.get(offset) else {
            return;
        };
        self.sink(
            f,
            node,
            SinkKind::Command,
            callee,
            program_value,
            Some("the program itself comes from the input"),
        );
        let Some(program) = args.get(offset).and_then(|p| literal_text(self.ix, *p)) else {
            return;
        };
        let base = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&program)
            .to_ascii_lowercase();
        let rest_nodes = &args[offset + 1..];
        let rest_values = &values[(offset + 1).min(values.len())..];
        if POSIX_SHELLS.contains(&base.as_str()) || WINDOWS_SHELLS.contains(&base.as_str()) {
            let flag = rest_nodes
                .iter()
                .position(|a| literal_text(self.ix, *a).is_some_and(|t| is_command_flag(&t)));
            match flag {
                Some(flag) => {
                    let script: Vec<Value> = if WINDOWS_SHELLS.contains(&base.as_str()) {
                        rest_values.iter().skip(flag + 1).cloned().collect()
                    } else {
                        rest_values.get(flag + 1).cloned().into_iter().collect()
                    };
                    for value in &script {
                        self.sink(f, node, SinkKind::Command, callee, value, None);
                    }
                }
                // `exec.Command("sh", args...)`: the script is somewhere in the slice.
                None if spreads_slice(node) => {
                    for value in rest_values {
                        self.sink(
                            f,
                            node,
                            SinkKind::Command,
                            callee,
                            value,
                            Some("passed to a shell"),
                        );
                    }
                }
                // `exec.Command("sh", script, args…)`: the script file runs; later
                // arguments are only its positional parameters.
                None => {
                    if let Some(script) = rest_values.first() {
                        self.sink(
                            f,
                            node,
                            SinkKind::Command,
                            callee,
                            script,
                            Some("the shell runs this script file"),
                        );
                    }
                }
            }
            return;
        }
        if OPENERS.contains(&base.as_str()) {
            for value in rest_values {
                self.sink(f, node, SinkKind::OpenExternal, callee, value, None);
            }
            return;
        }
        if OPTION_PROGRAMS.contains(&base.as_str()) {
            let positional = self.positional_values(rest_nodes, rest_values);
            self.sink(
                f,
                node,
                SinkKind::Argument,
                callee,
                &positional,
                Some(&format!("an argument of `{base}` that may start with `-`")),
            );
        }
    }

    /// An HTTP request URL: an SSRF unless the host is fixed, in which case the taint is
    /// data sent to that host.
    pub(super) fn url_sink(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        callee: &str,
        url: &Value,
    ) {
        let kind = if url.fixed_host {
            SinkKind::OutboundData
        } else {
            SinkKind::Url
        };
        self.sink(f, node, kind, callee, url, None);
    }

    /// `req.Header.Set(name, value)`: a credential sent to a tainted host, or tainted data
    /// sent to a fixed one.
    pub(super) fn header_sinks(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        callee: &str,
        request: &RequestInfo,
        args: &[Node<'t>],
        values: &[Value],
    ) {
        let header = args
            .first()
            .and_then(|a| literal_text(self.ix, *a))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(value) = values.get(1) else {
            return;
        };
        if AUTH_HEADERS.contains(&header.as_str()) && (value.credential || !value.is_tainted()) {
            self.credential_sink(f, node, callee, request);
        } else if !request.url.is_tainted() || request.url.fixed_host {
            self.sink(f, node, SinkKind::OutboundData, callee, value, None);
        }
    }

    /// A server credential attached to a request whose URL may be tainted.
    pub(super) fn credential_sink(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        callee: &str,
        request: &RequestInfo,
    ) {
        if request.url.fixed_host {
            return;
        }
        self.sink(
            f,
            node,
            SinkKind::CredentialToHost,
            callee,
            &request.url,
            Some("a server credential is attached to a request to this URL"),
        );
    }

    /// Records every label of `value` that reaches sink `kind` at `node` unsanitised.
    pub(super) fn sink(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        kind: SinkKind,
        callee: &str,
        value: &Value,
        note: Option<&str>,
    ) {
        self.sink_capped(f, node, kind, callee, value, note, Confidence::High);
    }

    /// [`Interp::sink`] with the flows' confidence at most `cap`.
    #[allow(clippy::too_many_arguments)]
    fn sink_capped(
        &mut self,
        f: &mut Frame<'t>,
        node: Node<'t>,
        kind: SinkKind,
        callee: &str,
        value: &Value,
        note: Option<&str>,
        cap: Confidence,
    ) {
        for label in &value.labels {
            if label.clean.contains(kind) || (label.is_remote() && !remote_data_matters(kind)) {
                continue;
            }
            let weak = label.weak_notes(kind);
            let mut notes: Vec<&str> = weak.clone();
            notes.extend(note);
            let message = if notes.is_empty() {
                format!("reaches `{callee}`")
            } else {
                format!("reaches `{callee}` ({})", notes.join("; "))
            };
            let mut label = label.clone();
            label.steps.push(FlowStep {
                location: self.ix.location(node),
                message,
            });
            let confidence = if label.partial || !weak.is_empty() {
                Confidence::Medium
            } else {
                Confidence::High
            }
            .min(cap);
            let hit = Hit {
                label,
                kind,
                callee: callee.to_string(),
                snippet: self.ix.snippet(node),
                confidence,
            };
            self.push_hit(f, hit);
        }
    }

    /// Adds a hit (bounded, one per origin, sink and location).
    pub(super) fn push_hit(&self, f: &mut Frame<'t>, hit: Hit) {
        let sink_location = hit.label.steps.last().map(|s| &s.location);
        let duplicate = f.hits.iter().any(|h| {
            h.kind == hit.kind
                && h.label.origin == hit.label.origin
                && h.label.steps.last().map(|s| &s.location) == sink_location
        });
        if !duplicate && f.hits.len() < MAX_HITS {
            f.hits.push(hit);
        }
    }
}

/// `-c`, `-lc`, `/c`, `-Command`: the flag after which a shell reads its command.
fn is_command_flag(flag: &str) -> bool {
    let lower = flag.to_ascii_lowercase();
    if matches!(lower.as_str(), "/c" | "/k" | "-command" | "-encodedcommand") {
        return true;
    }
    lower.len() >= 2
        && lower.starts_with('-')
        && !lower.starts_with("--")
        && lower[1..].bytes().all(|b| b.is_ascii_alphabetic())
        && lower.contains('c')
}

/// Whether a call's last argument spreads a slice (`f(xs...)`).
fn spreads_slice(call: Node<'_>) -> bool {
    call.child_by_field_name("arguments")
        .and_then(|a| a.named_child(a.named_child_count().saturating_sub(1)))
        .is_some_and(|last| last.kind() == "variadic_argument")
}

/// Whether `program` (a path or name) is a shell.
fn is_shell(program: &str) -> bool {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    POSIX_SHELLS.contains(&base) || WINDOWS_SHELLS.contains(&base.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_command_flags() {
        for flag in ["-c", "-lc", "-ec", "/C", "-Command"] {
            assert!(is_command_flag(flag), "{flag}");
        }
        for flag in ["--", "-e", "--config", "x"] {
            assert!(!is_command_flag(flag), "{flag}");
        }
        assert!(is_shell("/bin/bash"));
        assert!(!is_shell("git"));
    }
}
