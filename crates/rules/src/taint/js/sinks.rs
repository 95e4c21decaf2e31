//! Which calls are sinks, which arguments they take the dangerous data in, and what side
//! effect each call has. Callees are matched by canonical name ([`super::names`]), so
//! `child_process.exec`, `cp.exec` and compiled `(0, child_process_1.exec)` all read
//! `child_process.exec`.

use crate::taint::{EffectKind, SinkKind};

/// How a recognised call treats its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CallKind {
    /// Runs argument `0` through a shell.
    Shell,
    /// `spawn`/`execFile`-style: a program, an argument array and options (`shell`).
    Process,
    /// Arguments at `indices` go to a sink of `kind`.
    Args {
        /// The sink kind.
        kind: SinkKind,
        /// Which arguments.
        indices: &'static [usize],
    },
    /// An HTTP client call: the URL (or request options) first, data after.
    Http,
    /// A database call by method name: a sink only when argument `0` reads like SQL.
    Sql,
    /// `js-yaml` `load`: unsafe only with a full schema (v3 `DEFAULT_FULL_SCHEMA`).
    YamlLoad,
}

/// Shells whose `-c` argument is a command line.
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
/// Flags that make the next argument a shell command line.
const SHELL_FLAGS: &[&str] = &["-c", "/c", "/C", "-lc", "-ic", "-Command", "-command"];
/// Programs that hand their argument to the OS to open.
const OPENERS: &[&str] = &["open", "xdg-open", "start", "explorer", "wslview", "gio"];
/// Interpreters and the flags that make the next argument code.
const EVAL_FLAGS: &[(&str, &[&str])] = &[
    ("node", &["-e", "--eval", "-p", "--print"]),
    ("python", &["-c"]),
    ("python3", &["-c"]),
    ("perl", &["-e"]),
    ("ruby", &["-e"]),
];
/// Programs with options that turn a caller-chosen leading argument into code execution,
/// file access or request forgery (`--upload-pack`, `-o`, `--exec`, `--pre`, …).
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
    "yarn",
    "pnpm",
    "pip",
    "gh",
    "aws",
    "gcloud",
    "az",
    "terraform",
    "psql",
    "mysql",
    "sed",
    "awk",
    "xargs",
    "ffmpeg",
    "convert",
    "magick",
    "hg",
    "svn",
    "openssl",
    "man",
    "less",
    "env",
    "sudo",
    "go",
    "cargo",
    "make",
    "jq",
    "yq",
    "7z",
    "sqlite3",
    "mongosh",
    "redis-cli",
    "systemctl",
    "journalctl",
];

/// The program's base name, lower-cased, without directory and `.exe`.
pub(super) fn program_name(program: &str) -> String {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let base = base.strip_suffix(".exe").unwrap_or(base);
    base.to_ascii_lowercase()
}

/// What running `program` does with the argument after `previous` (or any argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ProgramRole {
    /// A shell: the argument after a `-c` flag is a command line.
    Shell,
    /// An opener: every argument is opened.
    Opener,
    /// An interpreter: the argument after an eval flag is code.
    Interpreter(&'static [&'static str]),
    /// A program whose leading arguments may be read as options.
    Options,
    /// Anything else.
    Plain,
}

/// The role of a program given by name.
pub(super) fn program_role(program: &str) -> ProgramRole {
    let name = program_name(program);
    if SHELLS.contains(&name.as_str()) {
        ProgramRole::Shell
    } else if OPENERS.contains(&name.as_str()) {
        ProgramRole::Opener
    } else if let Some((_, flags)) = EVAL_FLAGS.iter().find(|(p, _)| *p == name) {
        ProgramRole::Interpreter(flags)
    } else if OPTION_PROGRAMS.contains(&name.as_str()) {
        ProgramRole::Options
    } else {
        ProgramRole::Plain
    }
}

/// Whether `flag` makes a shell read the next argument as a command line.
pub(super) fn is_shell_flag(flag: &str) -> bool {
    SHELL_FLAGS.contains(&flag)
}

/// `name` without a trailing `Sync`.
fn base_op(name: &str) -> &str {
    name.strip_suffix("Sync").unwrap_or(name)
}

/// `fs` operations taking a path first, or two paths (source and destination).
fn fs_path_args(op: &str) -> Option<&'static [usize]> {
    const ONE: &[usize] = &[0];
    const TWO: &[usize] = &[0, 1];
    Some(match base_op(op) {
        "readFile" | "writeFile" | "appendFile" | "unlink" | "rm" | "rmdir" | "mkdir"
        | "readdir" | "createReadStream" | "createWriteStream" | "stat" | "lstat" | "open"
        | "opendir" | "truncate" | "chmod" | "chown" | "readJson" | "readJSON" | "writeJson"
        | "writeJSON" | "outputFile" | "outputJson" | "outputJSON" | "remove" | "ensureDir"
        | "ensureFile" | "emptyDir" | "mkdirp" | "readlink" => ONE,
        "copyFile" | "rename" | "cp" | "copy" | "move" | "symlink" | "link" => TWO,
        _ => return None,
    })
}

/// How a call to the package member `canonical` (e.g. `fs.readFile`) treats its
/// arguments, if it is a sink. `is_new` tells `new X(…)` from `X(…)`.
pub(super) fn package_call(canonical: &str, is_new: bool) -> Option<CallKind> {
    let (module, member) = canonical.split_once('.').unwrap_or((canonical, ""));
    let args = |kind, indices| Some(CallKind::Args { kind, indices });
    match (module, member) {
        ("child_process", "exec" | "execSync") => Some(CallKind::Shell),
        ("child_process", "spawn" | "spawnSync" | "execFile" | "execFileSync" | "spawn.sync") => {
            Some(CallKind::Process)
        }
        ("shelljs", "exec") => Some(CallKind::Shell),
        ("execa", "" | "execa" | "sync" | "execaSync") => Some(CallKind::Process),
        ("execa", "command" | "commandSync" | "execaCommand" | "execaCommandSync") => {
            Some(CallKind::Shell)
        }
        ("vm", "runInNewContext" | "runInThisContext" | "runInContext" | "compileFunction") => {
            args(SinkKind::CodeEval, &[0])
        }
        ("vm", "Script" | "SourceTextModule") if is_new => args(SinkKind::CodeEval, &[0]),
        ("fs", op) => fs_path_args(op).and_then(|i| args(SinkKind::PathAccess, i)),
        ("fetch" | "ky" | "superagent" | "needle" | "request" | "axios" | "got", _)
        | ("undici", "request" | "stream" | "fetch")
        | ("http" | "https", "get" | "request") => Some(CallKind::Http),
        ("ws", "" | "WebSocket") if is_new => Some(CallKind::Http),
        ("ejs", "render" | "compile")
        | ("handlebars", "compile" | "precompile")
        | ("pug", "compile" | "render")
        | ("nunjucks", "renderString")
        | ("lodash", "template")
        | ("lodash.template", "")
        | ("dot", "template") => args(SinkKind::Template, &[0]),
        ("node-serialize", "unserialize")
        | ("js-yaml", "unsafeLoad")
        | ("v8", "deserialize")
        | ("serialize-to-js", "deserialize")
        | ("funcster", "deepDeserialize") => args(SinkKind::Deserialize, &[0]),
        ("js-yaml", "load") => Some(CallKind::YamlLoad),
        ("open", "") | ("electron", "shell.openExternal") => args(SinkKind::OpenExternal, &[0]),
        _ => None,
    }
}

/// How a call to a global the file does not bind (`eval`, `fetch`, `Function`) treats its
/// arguments.
pub(super) fn global_call(name: &str, is_new: bool) -> Option<CallKind> {
    match name {
        "eval" => Some(CallKind::Args {
            kind: SinkKind::CodeEval,
            indices: &[0],
        }),
        // Every argument of `Function` is code (the last is the body).
        "Function" => Some(CallKind::Args {
            kind: SinkKind::CodeEval,
            indices: &[0, 1, 2, 3],
        }),
        "setTimeout" | "setInterval" if !is_new => Some(CallKind::Args {
            kind: SinkKind::CodeEval,
            indices: &[0],
        }),
        "fetch" if !is_new => Some(CallKind::Http),
        "WebSocket" | "EventSource" if is_new => Some(CallKind::Http),
        _ => None,
    }
}

/// Database methods that run a query string.
pub(super) fn is_sql_method(method: &str) -> bool {
    matches!(
        method,
        "query"
            | "execute"
            | "exec"
            | "run"
            | "all"
            | "get"
            | "each"
            | "prepare"
            | "raw"
            | "unsafe"
            | "$queryRawUnsafe"
            | "$executeRawUnsafe"
            | "queryRawUnsafe"
            | "executeRawUnsafe"
            | "whereRaw"
            | "orderByRaw"
    )
}

/// The effect of a call to `canonical` (a package member) or an unbound global.
pub(super) fn effect_of(canonical: &str, is_new: bool, global: bool) -> Option<EffectKind> {
    if global {
        // Timers almost always run a function; the rare string body is a taint sink
        // (CodeEval), not a capability the tool has.
        if matches!(canonical, "setTimeout" | "setInterval") {
            return None;
        }
        return match global_call(canonical, is_new)? {
            CallKind::Http => Some(EffectKind::Network),
            _ => Some(EffectKind::Execute),
        };
    }
    let (module, member) = canonical.split_once('.').unwrap_or((canonical, ""));
    if module == "fs" {
        return fs_effect(member);
    }
    match (module, member) {
        ("child_process", _) | ("shelljs", "exec") | ("execa", _) | ("vm", _) => {
            Some(EffectKind::Execute)
        }
        ("rimraf" | "del" | "trash", _) => Some(EffectKind::FileDelete),
        ("net" | "tls", "connect" | "createConnection") | ("dgram", "createSocket") => {
            Some(EffectKind::Network)
        }
        _ => match package_call(canonical, is_new)? {
            CallKind::Http => Some(EffectKind::Network),
            CallKind::Shell | CallKind::Process => Some(EffectKind::Execute),
            CallKind::Args {
                kind: SinkKind::OpenExternal | SinkKind::CodeEval,
                ..
            } => Some(EffectKind::Execute),
            _ => None,
        },
    }
}

fn fs_effect(member: &str) -> Option<EffectKind> {
    Some(match base_op(member) {
        "unlink" | "rm" | "rmdir" | "remove" | "emptyDir" => EffectKind::FileDelete,
        "writeFile" | "appendFile" | "mkdir" | "rename" | "copyFile" | "cp" | "copy" | "move"
        | "createWriteStream" | "symlink" | "link" | "chmod" | "chown" | "truncate" | "utimes"
        | "outputFile" | "outputJson" | "outputJSON" | "writeJson" | "writeJSON" | "ensureDir"
        | "ensureFile" | "mkdtemp" | "mkdirp" | "write" => EffectKind::FileWrite,
        "readFile" | "readdir" | "createReadStream" | "stat" | "lstat" | "readJson"
        | "readJSON" | "opendir" | "access" | "exists" | "realpath" | "readlink" | "open"
        | "read" | "watch" => EffectKind::FileRead,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_map_to_sinks() {
        assert_eq!(
            package_call("child_process.exec", false),
            Some(CallKind::Shell)
        );
        assert_eq!(
            package_call("fs.rename", false),
            Some(CallKind::Args {
                kind: SinkKind::PathAccess,
                indices: &[0, 1]
            })
        );
        assert_eq!(package_call("fs.realpath", false), None);
        assert_eq!(package_call("vm.Script", false), None);
        assert_eq!(package_call("axios.get", false), Some(CallKind::Http));
        assert!(global_call("eval", false).is_some());
        assert_eq!(program_role("/usr/bin/git"), ProgramRole::Options);
        assert_eq!(program_role("bash"), ProgramRole::Shell);
        assert_eq!(program_role("ls"), ProgramRole::Plain);
        assert_eq!(
            effect_of("fs.rmSync", false, false),
            Some(EffectKind::FileDelete)
        );
        assert_eq!(effect_of("fetch", false, true), Some(EffectKind::Network));
    }
}
