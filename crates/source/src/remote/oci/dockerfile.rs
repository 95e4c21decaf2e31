//! The image config and history written as a Dockerfile, so the container rules
//! (`AS8xx`: root user, download-and-run steps, secrets in `ENV`/`ARG`, binds in `CMD`)
//! and the secret rules (`AS6xx`) judge an image as they judge a repository's Dockerfile.
//!
//! - `FROM` names the image itself, pinned by digest: the history already holds the
//!   base image's steps, and a pinned reference keeps the mutable-base rule quiet about
//!   an image that is, by construction, pinned.
//! - The build steps come from the history: `RUN` steps (legacy `/bin/sh -c …` and
//!   BuildKit's `RUN … # buildkit`), `COPY`/`ADD`, `ARG` and `LABEL` as recorded; the
//!   build arguments BuildKit lists before a `RUN` (`|2 A=1 B=2 /bin/sh -c …`) become
//!   `ARG` lines, each once. History entries no tool wrote in Dockerfile form are kept as
//!   comments.
//! - `WORKDIR`, `ENV` (with values, for the secret rules, which redact them), `USER`,
//!   `EXPOSE`, `ENTRYPOINT` and `CMD` come from the config — what a container really
//!   runs with — so the history's own versions of these are dropped (an `ENV` whose
//!   values differ from the final config is kept: an overwritten secret is still in the
//!   image). A config without `User` runs as root and says so: `USER root`.
//!
//! Multi-line steps become continuation lines, so nothing in a history entry can start
//! an instruction of its own. The file stays under the rules' size limit.

use std::collections::HashSet;

use super::config::{ImageConfig, RunConfig};

/// Longest instruction written (longer ones are cut).
const MAX_INSTRUCTION_BYTES: usize = 16 * 1024;
/// Largest file written (the container rules read Dockerfiles up to 1 MiB).
const MAX_DOCKERFILE_BYTES: usize = 768 * 1024;
/// Most bytes of `ENV` lines written.
const MAX_ENV_BYTES: usize = 256 * 1024;
/// Most exec-form arguments (and exposed ports) written, and their longest length.
const MAX_ARGS: usize = 64;
const MAX_ARG_BYTES: usize = 1024;
/// Room kept for the line saying history steps were left out.
const ELLIPSIS_ROOM: usize = 64;
/// Instruction keywords a history entry may start with.
const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
/// Instructions whose final value the config holds.
const FROM_CONFIG: &[&str] = &["CMD", "ENTRYPOINT", "EXPOSE", "USER", "WORKDIR"];

/// The Dockerfile of an image whose pinned reference is `pinned`.
pub(super) fn reconstruct(config: &ImageConfig, pinned: &str) -> String {
    let mut out = format!(
        "# Reconstructed by Assay from the image's config and build history: not the image's own Dockerfile.\n\
         # Build steps are the history's (base image steps included); WORKDIR, ENV, USER, EXPOSE,\n\
         # ENTRYPOINT and CMD are the config's, which is what a container runs with.\n\
         FROM {}\n",
        single_line(pinned)
    );
    let tail = config_section(&config.run);
    let budget = MAX_DOCKERFILE_BYTES.saturating_sub(out.len() + tail.len() + ELLIPSIS_ROOM);
    out.push_str(&history_section(config, budget));
    out.push_str(&tail);
    out
}

/// The build steps, within `budget` bytes.
fn history_section(config: &ImageConfig, budget: usize) -> String {
    let final_env: HashSet<&str> = config.run.env.iter().map(String::as_str).collect();
    let mut args_seen = HashSet::new();
    let mut out = String::new();
    let steps = config
        .history
        .iter()
        .filter_map(|h| h.created_by.as_deref())
        .filter(|c| !c.trim().is_empty());
    let total = steps.clone().count();
    for (done, created_by) in steps.enumerate() {
        let lines = step(created_by, &final_env, &mut args_seen);
        if out.len() + lines.len() > budget {
            out.push_str(&format!(
                "# … {} more history steps left out\n",
                total - done
            ));
            break;
        }
        out.push_str(&lines);
    }
    out
}

/// One history entry as Dockerfile lines (possibly none).
fn step(created_by: &str, final_env: &HashSet<&str>, args_seen: &mut HashSet<String>) -> String {
    let text = created_by.trim();
    let text = text.strip_suffix("# buildkit").map_or(text, str::trim_end);
    let (keyword, rest) = match split_keyword(text) {
        Some((keyword, rest)) if keyword != "RUN" => (keyword, rest.to_string()),
        Some((_, rest)) => ("RUN", rest.to_string()),
        None => ("", text.to_string()),
    };
    let mut out = String::new();
    let (keyword, body) = if keyword.is_empty() || keyword == "RUN" {
        let (args, command) = build_args(&rest);
        for arg in args {
            if args_seen.insert(arg.to_string()) {
                out.push_str(&format!("ARG {}\n", single_line(arg)));
            }
        }
        let command = strip_shell(command);
        match command.strip_prefix("#(nop)") {
            Some(instruction) => match split_keyword(instruction.trim()) {
                Some((keyword, rest)) => (keyword, rest.to_string()),
                None => ("#", instruction.trim().to_string()),
            },
            None if keyword.is_empty() && command.len() == rest.len() => ("#", rest.clone()),
            None => ("RUN", command.to_string()),
        }
    } else {
        (keyword, rest)
    };
    let keep = match keyword {
        k if FROM_CONFIG.contains(&k) => false,
        "ENV" => !body.split_whitespace().all(|pair| final_env.contains(pair)),
        "ARG" => args_seen.insert(body.trim().to_string()),
        _ => !body.trim().is_empty(),
    };
    if keep {
        let line = if keyword == "#" {
            format!("# history: {}\n", single_line(&body))
        } else {
            format!("{keyword} {}\n", continued(&body))
        };
        out.push_str(&line);
    }
    out
}

/// `KEYWORD rest` when `text` starts with an instruction keyword (upper case, as tools
/// write them).
fn split_keyword(text: &str) -> Option<(&'static str, &str)> {
    let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    KEYWORDS
        .iter()
        .find(|k| **k == first)
        .map(|k| (*k, rest.trim_start()))
}

/// The build arguments listed before a command (`|2 A=1 B=2 /bin/sh -c …`) and the
/// command after them.
fn build_args(text: &str) -> (Vec<&str>, &str) {
    let Some(counted) = text.strip_prefix('|') else {
        return (Vec::new(), text);
    };
    let (count, mut rest) = counted.split_once(' ').unwrap_or((counted, ""));
    let Ok(count) = count.parse::<usize>() else {
        return (Vec::new(), text);
    };
    let mut args = Vec::new();
    for _ in 0..count.min(MAX_ARGS) {
        let (arg, after) = rest
            .trim_start()
            .split_once(' ')
            .unwrap_or((rest.trim_start(), ""));
        if !arg.contains('=') {
            return (Vec::new(), text);
        }
        args.push(arg);
        rest = after;
    }
    (args, rest.trim_start())
}

/// A command without the `/bin/sh -c` a shell-form step runs it with.
fn strip_shell(command: &str) -> &str {
    ["/bin/sh -c ", "/bin/bash -c ", "sh -c ", "/bin/ash -c "]
        .iter()
        .find_map(|shell| command.strip_prefix(shell))
        .map_or(command, str::trim_start)
}

/// The config's instructions.
fn config_section(run: &RunConfig) -> String {
    let mut out = String::new();
    if let Some(dir) = run.working_dir.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!("WORKDIR {}\n", single_line(dir)));
    }
    let mut env_bytes = 0;
    for (written, entry) in run.env.iter().enumerate() {
        let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
        let name: String = cut_to(name, MAX_ARG_BYTES)
            .chars()
            .map(|c| {
                if c.is_whitespace() || c.is_control() || c == '"' {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let line = format!("ENV {name}=\"{}\"\n", quote(cut(value)));
        env_bytes += line.len();
        if env_bytes > MAX_ENV_BYTES {
            out.push_str(&format!(
                "# … {} more ENV entries left out\n",
                run.env.len() - written
            ));
            break;
        }
        out.push_str(&line);
    }
    match run.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(user) => out.push_str(&format!("USER {}\n", single_line(user))),
        None => out.push_str("# The config sets no User: the container runs as root.\nUSER root\n"),
    }
    if !run.exposed_ports.is_empty() {
        let ports: Vec<String> = run
            .exposed_ports
            .keys()
            .take(MAX_ARGS)
            .map(|p| single_line(cut_to(p, MAX_ARG_BYTES)))
            .collect();
        out.push_str(&format!("EXPOSE {}\n", ports.join(" ")));
    }
    for (keyword, args) in [("ENTRYPOINT", &run.entrypoint), ("CMD", &run.cmd)] {
        if !args.is_empty() {
            let args: Vec<&str> = args
                .iter()
                .take(MAX_ARGS)
                .map(|a| cut_to(a, MAX_ARG_BYTES))
                .collect();
            let json = serde_json::to_string(&args).unwrap_or_else(|_| "[]".into());
            out.push_str(&format!("{keyword} {json}\n"));
        }
    }
    out
}

/// A value inside double quotes: `\`, `"`, `$` and `` ` `` escaped, line breaks as `\n`.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '"' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `text` on one line: control characters (line breaks included) become spaces.
fn single_line(text: &str) -> String {
    cut(text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A multi-line step as continuation lines: every physical line but the last ends with
/// `\`, blank and comment lines are dropped (a trailing one would swallow the next
/// instruction), and control characters become spaces.
fn continued(text: &str) -> String {
    let lines: Vec<String> = cut(text)
        .lines()
        .map(|l| {
            l.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        })
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = l.trim();
            if i == last {
                l.trim_end_matches('\\').trim_end().to_string()
            } else {
                format!("{l} \\")
            }
        })
        .collect::<Vec<_>>()
        .join("\n    ")
}

/// `text` cut to [`MAX_INSTRUCTION_BYTES`] on a character boundary.
fn cut(text: &str) -> &str {
    cut_to(text, MAX_INSTRUCTION_BYTES)
}

/// `text` cut to `max` bytes on a character boundary.
fn cut_to(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::oci::config::HistoryEntry;

    fn image(history: &[&str], run: RunConfig) -> ImageConfig {
        ImageConfig {
            run,
            history: history
                .iter()
                .map(|h| HistoryEntry {
                    created_by: Some((*h).to_string()),
                })
                .collect(),
            ..ImageConfig::default()
        }
    }

    #[test]
    fn legacy_and_buildkit_history() {
        let run = RunConfig {
            env: vec!["PATH=/usr/bin".into(), "API_KEY=abc\"$x".into()],
            cmd: vec!["node".into(), "/app/index.js".into()],
            exposed_ports: [("8080/tcp".to_string(), serde::de::IgnoredAny)].into(),
            working_dir: Some("/app".into()),
            ..RunConfig::default()
        };
        let config = image(
            &[
                "/bin/sh -c #(nop) ADD file:abc in / ",
                "/bin/sh -c #(nop)  ENV PATH=/usr/bin",
                "/bin/sh -c #(nop)  ENV API_KEY=old-secret",
                "/bin/sh -c apt-get update\n  && curl -fsSL https://x.example/i.sh | sh\n\n# done\n",
                "|1 NPM_TOKEN=npm_x /bin/sh -c npm ci",
                "RUN |1 NPM_TOKEN=npm_x /bin/sh -c npm run build # buildkit",
                "USER node",
                "CMD [\"node\"] # buildkit",
                "apko build",
            ],
            run,
        );
        let text = reconstruct(&config, "127.0.0.1:5000/r@sha256:00");
        let expected = "FROM 127.0.0.1:5000/r@sha256:00\n\
            ADD file:abc in /\n\
            ENV API_KEY=old-secret\n\
            RUN apt-get update \\\n    && curl -fsSL https://x.example/i.sh | sh\n\
            ARG NPM_TOKEN=npm_x\n\
            RUN npm ci\n\
            RUN npm run build\n\
            # history: apko build\n\
            WORKDIR /app\n\
            ENV PATH=\"/usr/bin\"\n\
            ENV API_KEY=\"abc\\\"\\$x\"\n\
            # The config sets no User: the container runs as root.\n\
            USER root\n\
            EXPOSE 8080/tcp\n\
            CMD [\"node\",\"/app/index.js\"]\n";
        assert!(text.ends_with(expected), "{text}");
        assert!(text.starts_with("# Reconstructed by Assay"), "{text}");
    }

    #[test]
    fn a_user_from_the_config_is_kept_and_nothing_breaks_out_of_a_line() {
        let run = RunConfig {
            user: Some("node\nUSER root".into()),
            ..RunConfig::default()
        };
        let config = image(&["/bin/sh -c echo hi \\"], run);
        let text = reconstruct(&config, "x@sha256:00");
        assert!(text.contains("\nUSER node USER root\n"), "{text}");
        assert!(text.contains("\nRUN echo hi\n"), "{text}");
        assert!(!text.contains("\nUSER root\n"), "{text}");
    }

    #[test]
    fn stays_within_the_size_limit() {
        let long = format!("/bin/sh -c {}", "x".repeat(40_000));
        let history: Vec<&str> = std::iter::repeat_n(long.as_str(), 100).collect();
        let text = reconstruct(&image(&history, RunConfig::default()), "x@sha256:00");
        assert!(text.len() <= MAX_DOCKERFILE_BYTES, "{}", text.len());
        assert!(text.contains("more history steps left out"));
        assert!(text.ends_with("USER root\n"));
    }
}
