//! Running the git CLI, hardened against the repository it talks to.
//!
//! Every command runs with a cleared environment (only `PATH`, CA-certificate and proxy
//! variables pass through), `HOME` set to the scan's private work directory, no system
//! or global configuration, no terminal prompts or askpass helpers, `LC_ALL=C` (so its
//! errors can be recognised) and literal pathspecs. Configuration given with `-c`
//! allows exactly one transport (the target's scheme: `https`, `http` or `git`; never
//! `file`, `ext` or `ssh`), disables hooks, fsmonitor, credential helpers, redirects
//! and submodule recursion, and checks every received object (`transfer.fsckObjects`,
//! which also refuses trees with `.`, `..` or `.git` entries).
//!
//! A credential travels only in the child's environment, as an `http.extraHeader`
//! given through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_0`/`GIT_CONFIG_VALUE_0`: never in
//! argv, a URL, a file or a log, and it is cut out of anything git prints before that
//! reaches an error message.
//!
//! A supervisor thread kills git (with its helpers: it runs in its own process group)
//! when it outlives the request timeout, when the directory it downloads into outgrows
//! the download cap, or when the scan is cancelled; while it watches, it reports the
//! size as progress.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assay_core::{Cancel, ProgressEvent};

use super::failure;
use crate::SourceError;
use crate::credentials::Secret;

/// Environment variables git may see from ours: where programs are, which CA
/// certificates to trust, which proxy to use.
const PASSED_ENV: [&str; 11] = [
    "PATH",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "no_proxy",
    "NO_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// How often the supervisor looks at the clock and the download directory.
const POLL: Duration = Duration::from_millis(20);

/// A progress event at most every this many bytes.
const PROGRESS_STEP: u64 = 256 * 1024;

/// The most of git's standard error kept (its end, where the fatal line is).
const STDERR_TAIL: usize = 16 * 1024;

/// The git program and the settings every command of one fetch runs with.
pub(super) struct Git {
    home: PathBuf,
    config: Vec<String>,
    header: Option<Secret>,
    secrets: Vec<Secret>,
    timeout: Duration,
    cancel: Cancel,
}

/// A directory to watch while git downloads into it.
pub(super) struct Watch<'a> {
    /// The object directory.
    pub dir: &'a Path,
    /// Kill git once the directory holds more than this many bytes.
    pub limit: u64,
    /// Receives `Download { what: "git objects" }` events.
    pub progress: &'a (dyn Fn(&ProgressEvent) + Sync),
}

/// Why the supervisor killed git.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Timeout,
    TooLarge(u64),
    /// The scan was cancelled.
    Cancelled,
    /// The caller gave up on the output (it failed to parse or passed its cap).
    Abandoned,
}

/// What a finished git command left: the caller's value, git's exit status and its
/// scrubbed standard error.
pub(super) struct Finished<T> {
    value: Result<T, SourceError>,
    status: ExitStatus,
    stop: Option<Stop>,
    timeout: Duration,
    /// git's standard error (its end), with credentials cut out.
    pub stderr: String,
}

impl<T> Finished<T> {
    /// Whether git exited successfully on its own.
    pub fn succeeded(&self) -> bool {
        self.stop.is_none() && self.status.success()
    }

    /// The caller's value if git succeeded; else the error its failure means for
    /// `what` (a timeout, the size cap, or what git said, see [`failure::classify`]).
    pub fn into_result(self, what: &str, had_credentials: bool) -> Result<T, SourceError> {
        match self.stop {
            Some(Stop::Timeout) => Err(SourceError::Network {
                what: what.to_string(),
                reason: format!("git timed out after {}s", self.timeout.as_secs()),
            }),
            Some(Stop::TooLarge(limit)) => Err(SourceError::TooLarge {
                what: what.to_string(),
                limit,
            }),
            Some(Stop::Cancelled) => Err(SourceError::Cancelled),
            Some(Stop::Abandoned) => self.value,
            None if self.status.success() => self.value,
            None => Err(failure::classify(&self.stderr, what, had_credentials)),
        }
    }
}

impl Git {
    /// Settings for a fetch over `scheme` (`https`, `http` or `git`), with `home` as
    /// git's home directory. `credential` is `(user, token)` sent as HTTP basic auth.
    /// Every command is killed once `cancel` is set.
    pub fn new(
        scheme: &str,
        home: &Path,
        credential: Option<(&str, &Secret)>,
        timeout: Duration,
        cancel: Cancel,
    ) -> Git {
        let mut config: Vec<String> = [
            "protocol.allow=never",
            "core.hooksPath=/dev/null",
            "core.fsmonitor=false",
            "http.followRedirects=false",
            "transfer.fsckObjects=true",
            "submodule.recurse=false",
            "fetch.recurseSubmodules=false",
            "credential.helper=",
            "transfer.unpackLimit=1",
            "gc.auto=0",
            "maintenance.auto=false",
            "init.defaultBranch=main",
            "advice.detachedHead=false",
        ]
        .map(str::to_string)
        .to_vec();
        config.push(format!("protocol.{scheme}.allow=always"));
        let (header, secrets) = match credential {
            Some((user, token)) => {
                use base64::Engine as _;
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{user}:{}", token.expose()));
                let header = Secret::new(format!("Authorization: Basic {basic}"));
                (Some(header), vec![token.clone(), Secret::new(basic)])
            }
            None => (None, Vec::new()),
        };
        Git {
            home: home.to_path_buf(),
            config,
            header,
            secrets,
            timeout,
            cancel,
        }
    }

    /// Runs `git <args>` (in `repo`, when given). `interact` gets git's standard input
    /// (when `stdin`) and output; if it fails, git is stopped. `watch` caps and reports
    /// the size of a download directory.
    pub fn run<T>(
        &self,
        repo: Option<&Path>,
        args: &[&OsStr],
        stdin: bool,
        watch: Option<&Watch<'_>>,
        interact: impl FnOnce(Option<ChildStdin>, ChildStdout) -> Result<T, SourceError>,
    ) -> Result<Finished<T>, SourceError> {
        let mut child =
            self.command(repo, args, stdin)
                .spawn()
                .map_err(|e| SourceError::Unusable {
                    what: "git".into(),
                    reason: format!("cannot run git (git targets need git installed): {e}"),
                })?;
        let input = child.stdin.take();
        let (Some(output), Some(errors)) = (child.stdout.take(), child.stderr.take()) else {
            kill_tree(&mut child);
            let _ = child.wait();
            return Err(SourceError::Unusable {
                what: "git".into(),
                reason: "git's output could not be captured".into(),
            });
        };
        let deadline = Instant::now() + self.timeout;
        let abandoned = AtomicBool::new(false);
        let (value, (status, stop), stderr) = std::thread::scope(|scope| {
            let stderr = scope.spawn(move || read_tail(errors));
            let supervisor =
                scope.spawn(|| supervise(&mut child, deadline, watch, &abandoned, &self.cancel));
            let value = interact(input, output);
            if value.is_err() {
                abandoned.store(true, Ordering::SeqCst);
            }
            supervisor.thread().unpark();
            let outcome = supervisor
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let stderr = stderr
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (value, outcome, stderr)
        });
        let status = status.map_err(|e| SourceError::Unusable {
            what: "git".into(),
            reason: format!("cannot wait for git: {e}"),
        })?;
        Ok(Finished {
            value,
            status,
            stop,
            timeout: self.timeout,
            stderr: self.scrub(&stderr),
        })
    }

    /// Runs `git <args>` and returns its standard output, at most `cap` bytes (more is
    /// [`SourceError::TooLarge`] for `what`); `watch` as for [`Git::run`].
    pub fn output(
        &self,
        repo: Option<&Path>,
        args: &[&OsStr],
        cap: u64,
        what: &str,
        watch: Option<&Watch<'_>>,
    ) -> Result<Finished<Vec<u8>>, SourceError> {
        self.run(repo, args, false, watch, |_, stdout| {
            read_capped(stdout, cap, what)
        })
    }

    fn command(&self, repo: Option<&Path>, args: &[&OsStr], stdin: bool) -> Command {
        let mut command = Command::new("git");
        command.env_clear();
        for name in PASSED_ENV {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_PROTOCOL_FROM_USER", "0")
            .env("GIT_LITERAL_PATHSPECS", "1")
            .env("GIT_NO_LAZY_FETCH", "1")
            .env("GIT_ATTR_NOSYSTEM", "1")
            .env("LC_ALL", "C");
        if let Some(header) = &self.header {
            command
                .env("GIT_CONFIG_COUNT", "1")
                .env("GIT_CONFIG_KEY_0", "http.extraHeader")
                .env("GIT_CONFIG_VALUE_0", header.expose());
        }
        for setting in &self.config {
            command.arg("-c").arg(setting);
        }
        if let Some(repo) = repo {
            command.arg("-C").arg(repo);
        }
        command
            .args(args)
            .current_dir(&self.home)
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
    }

    /// `text` with every credential replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        self.secrets
            .iter()
            .filter(|s| !s.expose().is_empty())
            .fold(text.to_string(), |text, secret| {
                text.replace(secret.expose(), "***")
            })
    }
}

/// Waits for git, killing it at `deadline`, when `watch`'s directory outgrows its
/// limit, when the caller abandons it or when the scan is cancelled; reports the watched
/// size as progress.
fn supervise(
    child: &mut Child,
    deadline: Instant,
    watch: Option<&Watch<'_>>,
    abandoned: &AtomicBool,
    cancel: &Cancel,
) -> (std::io::Result<ExitStatus>, Option<Stop>) {
    let mut stop = None;
    let mut reported = 0u64;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if let Some(watch) = watch {
                    report(watch, dir_size(watch.dir), &mut reported, 1);
                }
                return (Ok(status), stop);
            }
            Ok(None) => {}
            Err(e) => {
                kill_tree(child);
                return (Err(e), stop);
            }
        }
        if stop.is_none() {
            stop = if cancel.is_cancelled() {
                Some(Stop::Cancelled)
            } else if abandoned.load(Ordering::SeqCst) {
                Some(Stop::Abandoned)
            } else if Instant::now() >= deadline {
                Some(Stop::Timeout)
            } else {
                watch.and_then(|watch| {
                    let size = dir_size(watch.dir);
                    report(watch, size, &mut reported, PROGRESS_STEP);
                    (size > watch.limit).then_some(Stop::TooLarge(watch.limit))
                })
            };
            if stop.is_some() {
                kill_tree(child);
            }
        }
        std::thread::park_timeout(POLL);
    }
}

/// Emits a download event when `size` is at least `step` past the last one reported.
fn report(watch: &Watch<'_>, size: u64, reported: &mut u64, step: u64) {
    if size >= reported.saturating_add(step) {
        *reported = size;
        (watch.progress)(&ProgressEvent::Download {
            what: "git objects".into(),
            done: size,
            total: None,
        });
    }
}

/// Bytes of the regular files under `dir` (links not followed; files that vanish while
/// git works are not counted).
fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => pending.push(entry.path()),
                Ok(meta) if meta.is_file() => total += meta.len(),
                _ => {}
            }
        }
    }
    total
}

/// Kills git and, on Unix, its process group (remote helpers, index-pack).
fn kill_tree(child: &mut Child) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let _ = kill_process_group(Pid::from_child(child), Signal::KILL);
    }
    let _ = child.kill();
}

/// The last [`STDERR_TAIL`] bytes of `stream`, read to its end.
fn read_tail(mut stream: impl Read) -> String {
    let mut kept: Vec<u8> = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * STDERR_TAIL {
                    kept.drain(..kept.len() - STDERR_TAIL);
                }
            }
        }
    }
    let start = kept.len().saturating_sub(STDERR_TAIL);
    String::from_utf8_lossy(&kept[start..]).into_owned()
}

/// All of `stream`, failing with [`SourceError::TooLarge`] past `cap` bytes.
fn read_capped(stream: impl Read, cap: u64, what: &str) -> Result<Vec<u8>, SourceError> {
    let mut out = Vec::new();
    stream
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| SourceError::Network {
            what: what.to_string(),
            reason: format!("cannot read git's output: {e}"),
        })?;
    if out.len() as u64 > cap {
        return Err(SourceError::TooLarge {
            what: what.to_string(),
            limit: cap,
        });
    }
    Ok(out)
}
