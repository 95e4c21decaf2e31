//! Asking an installed tool (npm, pip) for a setting it resolved itself: the last resort
//! when neither Assay's nor the tool's configuration files name a registry. The tool runs
//! with no input, a short timeout and a cap on its output, and it is not an error when
//! it is missing or fails: the caller then reports that nothing is configured.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a tool may take to answer.
pub(crate) const TOOL_TIMEOUT: Duration = Duration::from_secs(10);

/// Most bytes of a tool's output read.
const MAX_OUTPUT: u64 = 64 * 1024;

/// The first non-empty line `command` prints when it exits successfully within
/// `timeout`, or `None` (not installed, failed, too slow: it is killed).
pub(crate) fn first_line(mut command: Command, timeout: Duration) -> Option<String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.take(MAX_OUTPUT).read_to_string(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    // A killed tool's output is not waited for: a process it started may still hold
    // the pipe open.
    if !status?.success() {
        return None;
    }
    let out = reader.join().ok()?;
    out.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(str::to_string)
}

/// The first line `command` prints, when it is an `http(s)://` URL (without trailing
/// slashes): how npm and pip are asked for the registry they resolved.
pub(crate) fn first_url(command: Command) -> Option<String> {
    first_line(command, TOOL_TIMEOUT)
        .filter(|line| line.starts_with("https://") || line.starts_with("http://"))
        .map(|line| trim_url(&line))
}

/// A configured endpoint URL without surrounding space and trailing slashes.
pub(crate) fn trim_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_string()
}

/// An environment lookup over fixed pairs, for configuration tests.
#[cfg(test)]
pub(crate) fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    move |key| map.get(key).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn reads_the_first_line_of_a_successful_tool() {
        assert_eq!(
            first_line(sh("echo; echo '  value  '; echo other"), TOOL_TIMEOUT).as_deref(),
            Some("value")
        );
        assert_eq!(first_line(sh("echo value; exit 3"), TOOL_TIMEOUT), None);
        assert_eq!(
            first_line(Command::new("/nonexistent/tool"), TOOL_TIMEOUT),
            None
        );
    }

    #[test]
    fn a_slow_tool_is_killed() {
        let start = Instant::now();
        assert_eq!(
            first_line(sh("exec sleep 30"), Duration::from_millis(200)),
            None
        );
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
