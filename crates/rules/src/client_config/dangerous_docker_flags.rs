//! `AS704` dangerous-docker-flags: a server started with `docker run` (or podman's)
//! options that hand the container the host: `--privileged`, mounts of `/`, the home
//! directory or the Docker socket, host namespaces, added capabilities, disabled
//! confinement.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::config::Word;
use super::launch::container_launch;
use super::{for_each_server, server_finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct DangerousDockerFlags;

static META: RuleMeta = RuleMeta {
    id: "AS704",
    name: "dangerous-docker-flags",
    title: "MCP server container gets host-level access",
    family: Family::ClientConfig,
    severity: Severity::High,
    cwe: &[250, 269],
    owasp_mcp: "MCP02:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Reads the options of `docker run` / `podman run` server commands and reports \
        `--privileged`, bind mounts of `/`, the Docker socket, the home directory \
        (`$HOME`, `~`, `${userHome}`, `/home/<user>`, `/Users/<user>`, `/root`) or system \
        directories, `--network host`, `--pid host`, `--ipc host`, `--userns host`, \
        `--cap-add ALL`/`SYS_ADMIN`/…, `--security-opt` `seccomp`/`apparmor`=`unconfined`, \
        and `--device`. Privileged mode, the Docker socket and a writable `/` are \
        critical. One finding per server lists every such option.",
    why: "The container is the sandbox that limits what a compromised or malicious MCP \
        server can do. These options remove it: the Docker socket or `--privileged` give \
        root on the host, a home mount gives SSH keys, cloud credentials and every other \
        agent's configuration.",
    remediation: "Drop the options: mount only the project directory the server needs, \
        read-only where possible (`-v \"$PWD:/workspace:ro\"`), keep the default network, \
        PID and IPC namespaces, and add no capabilities.",
    references: &[
        "https://docs.docker.com/engine/security/",
        "https://cwe.mitre.org/data/definitions/250.html",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"docker\": {\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"-v\", \"/var/run/docker.sock:/var/run/docker.sock\", \"acme/docker-mcp:1.2.0\"]\n    }\n  }\n}\n",
        ),
        Example::flags(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"files\": {\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"--mount\", \"type=bind,src=${env:HOME},dst=/data\", \"acme/files-mcp:2.0.0\"]\n    }\n  }\n}\n",
        ),
        Example::flags(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"sys\": {\n      \"command\": \"podman\",\n      \"args\": [\"run\", \"-i\", \"--privileged\", \"--network=host\", \"acme/sys-mcp:0.4.1\"]\n    }\n  }\n}\n",
        ),
        Example::allows(
            "claude_desktop_config.json",
            "{\n  \"mcpServers\": {\n    \"files\": {\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"-v\", \"${workspaceFolder}:/workspace:ro\", \"--network\", \"none\", \"acme/files-mcp:2.0.0\"]\n    }\n  }\n}\n",
        ),
        Example::allows(
            ".cursor/mcp.json",
            "{\n  \"mcpServers\": {\n    \"gh\": {\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"-i\", \"--rm\", \"-e\", \"GITHUB_TOKEN\", \"--cap-drop\", \"ALL\", \"acme/gh-mcp:1.0.0\"],\n      \"env\": { \"GITHUB_TOKEN\": \"${env:GITHUB_TOKEN}\" }\n    }\n  }\n}\n",
        ),
        Example::allows(
            ".vscode/mcp.json",
            "{\n  \"servers\": {\n    \"cache\": { \"command\": \"docker\", \"args\": [\"run\", \"-i\", \"--rm\", \"-v\", \"mcp-cache:/cache\", \"acme/cache-mcp:3.1.0\", \"--privileged-mode-docs\"] }\n  }\n}\n",
        ),
    ],
};

/// Capabilities that amount to host control.
const DANGEROUS_CAPS: &[&str] = &[
    "all",
    "sys_admin",
    "sys_ptrace",
    "sys_module",
    "dac_read_search",
    "net_admin",
    "bpf",
];

/// Host directories whose mount exposes the system.
const SYSTEM_DIRS: &[&str] = &[
    "/etc",
    "/var",
    "/usr",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/run",
    "/var/lib/docker",
];

/// One dangerous option.
struct Problem<'w> {
    word: &'w Word,
    what: String,
    severity: Severity,
}

impl Rule for DangerousDockerFlags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        for_each_server(file, |server| {
            let argv = server.argv();
            let Some(run) = container_launch(&argv) else {
                return;
            };
            let mut problems = Vec::new();
            for (option, value) in &run.options {
                let (flag, inline) = match option.text.split_once('=') {
                    Some((flag, v)) => (flag, Some(v)),
                    None => (option.text.as_str(), None),
                };
                let value = inline.or(value.map(|w| w.text.as_str())).unwrap_or("");
                if let Some((what, severity)) = judge(flag, value) {
                    problems.push(Problem {
                        word: option,
                        what,
                        severity,
                    });
                }
            }
            let Some(worst) = problems.iter().map(|p| p.severity).max() else {
                return;
            };
            let first = &problems[0];
            let whats: Vec<&str> = problems.iter().map(|p| p.what.as_str()).collect();
            let mut f = server_finding(
                &META,
                file,
                server,
                first.word.span.clone(),
                format!(
                    "Server `{}` runs its container with {}",
                    server.name,
                    whats.join(", ")
                ),
            );
            f.severity = worst;
            for p in &problems {
                f.evidence
                    .push(Evidence::new(p.word.text.clone(), p.what.clone()));
            }
            out.push(f);
        });
    }
}

/// What `flag value` does, and how bad it is.
fn judge(flag: &str, value: &str) -> Option<(String, Severity)> {
    let lower = value.to_ascii_lowercase();
    match flag {
        "--privileged" if !matches!(lower.as_str(), "false") => Some((
            "`--privileged` (root on the host)".into(),
            Severity::Critical,
        )),
        "-v" | "--volume" => mount(
            value.split(':').next().unwrap_or(""),
            value.ends_with(":ro") || value.contains(":ro,"),
        ),
        "--mount" => {
            let fields: Vec<(&str, &str)> =
                value.split(',').filter_map(|f| f.split_once('=')).collect();
            let source = fields
                .iter()
                .find(|(k, _)| matches!(*k, "source" | "src"))
                .map_or("", |(_, v)| *v);
            let readonly = value
                .split(',')
                .any(|f| matches!(f, "readonly" | "ro" | "readonly=true" | "ro=true"));
            mount(source, readonly)
        }
        "--network" | "--net" if lower == "host" => Some((
            "`--network host` (the host's network stack and loopback services)".into(),
            Severity::High,
        )),
        "--pid" | "--ipc" | "--uts" | "--userns" | "--cgroupns" if lower == "host" => Some((
            format!("`{flag} host` (shares a host namespace)"),
            Severity::High,
        )),
        "--cap-add" if DANGEROUS_CAPS.contains(&lower.trim_start_matches("cap_")) => {
            let severity = if matches!(lower.trim_start_matches("cap_"), "all" | "sys_admin") {
                Severity::Critical
            } else {
                Severity::High
            };
            Some((format!("`--cap-add {value}`"), severity))
        }
        "--security-opt"
            if lower.contains("unconfined")
                || lower == "label=disable"
                || lower.starts_with("no-new-privileges=false") =>
        {
            Some((
                format!("`--security-opt {value}` (confinement disabled)"),
                Severity::High,
            ))
        }
        "--device" => Some((
            format!("`--device {value}` (direct access to a host device)"),
            Severity::Medium,
        )),
        _ => None,
    }
}

/// What mounting host path `source` means.
fn mount(source: &str, readonly: bool) -> Option<(String, Severity)> {
    if source.is_empty() {
        return None;
    }
    let access = if readonly { "read-only" } else { "writable" };
    let source = source.trim_end_matches('/');
    if source.is_empty() {
        let severity = if readonly {
            Severity::High
        } else {
            Severity::Critical
        };
        return Some((format!("a {access} mount of the host's `/`"), severity));
    }
    if source.contains("docker.sock")
        || source.contains("podman.sock")
        || source.ends_with("containerd.sock")
    {
        return Some((
            format!("the container engine socket mounted (`{source}`): root on the host"),
            Severity::Critical,
        ));
    }
    if is_home(source) {
        return Some((
            format!("a {access} mount of the home directory (`{source}`)"),
            Severity::High,
        ));
    }
    if SYSTEM_DIRS.contains(&source) {
        return Some((
            format!("a {access} mount of the host directory `{source}`"),
            Severity::High,
        ));
    }
    None
}

/// The whole home directory, however it is written.
fn is_home(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "$home"
            | "${home}"
            | "${env:home}"
            | "${userhome}"
            | "%userprofile%"
            | "$env:userprofile"
            | "/root"
    ) {
        return true;
    }
    let parts: Vec<&str> = source.trim_start_matches('/').split('/').collect();
    parts.len() == 2 && matches!(parts[0], "home" | "Users") && !parts[1].is_empty()
}
