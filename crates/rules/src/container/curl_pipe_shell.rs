//! `AS802` curl-pipe-shell: a `RUN` step that downloads a script and runs it unseen —
//! `curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget -qO- …)`, `irm … | iex`, or a
//! download to a file that the same step then runs.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::shell::{self, RemoteExecution};
use super::{dockerfile_of, finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct CurlPipeShell;

static META: RuleMeta = RuleMeta {
    id: "AS802",
    name: "curl-pipe-shell",
    title: "Image build runs a script downloaded at build time",
    family: Family::Container,
    severity: Severity::High,
    cwe: &[494, 829],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Finds `RUN` instructions (shell or exec form, any stage, here-documents \
        included) that pipe a download into a shell or interpreter (`curl … | sh`, \
        `wget -qO- … | bash`, `irm … | iex`), substitute one into it (`sh -c \"$(curl …)\"`, \
        `bash <(curl …)`), or download a script to a file and run it in the same step. A \
        checksum or signature check (`sha256sum -c`, `gpg --verify`) between download and \
        execution lowers the severity to low; downloads that are only unpacked or \
        installed as binaries are not reported.",
    why: "Whatever the remote server returns at build time runs as root inside the image \
        with no review and no pinning: a compromised or hijacked install script, DNS or a \
        CDN, becomes code inside every copy of the MCP server — which then holds the \
        agent's credentials and tool access.",
    remediation: "Download the installer (or better, a release artifact) at a fixed \
        version, verify it against a checksum or signature committed in the Dockerfile, \
        then run it. Prefer distribution packages or a pinned base image that already \
        contains the tool.",
    references: &[
        "https://cwe.mitre.org/data/definitions/494.html",
        "https://docs.docker.com/build/building/best-practices/",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "Dockerfile",
            "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl \\\n && curl -fsSL https://get.tool.test/install.sh | sh\nUSER 1000\n",
        ),
        Example::flags(
            "Dockerfile",
            "FROM python:3.12-slim\nRUN sh -c \"$(wget -qO- https://astral.test/uv/install.sh)\"\nUSER nobody\n",
        ),
        Example::flags(
            "deploy/server.Dockerfile",
            "FROM node:22-slim\nRUN curl -sSLo /tmp/setup.sh https://deb.nodesource.test/setup_22.x \\\n    && bash /tmp/setup.sh\nUSER node\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM debian:12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nRUN curl -fsSL https://pkg.test/key.gpg | gpg --dearmor -o /usr/share/keyrings/pkg.gpg\nRUN curl -fsSL -o /usr/local/bin/tool https://dl.test/tool-1.4.2 && chmod +x /usr/local/bin/tool\nUSER 1000\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nRUN curl -s https://api.test/version | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"v\"])'\nUSER 1000\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM alpine:3.20@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\n# Never do: curl https://x | sh\nRUN echo \"curl https://x | sh is banned\" > /etc/motd\nUSER 1000\n",
        ),
    ],
};

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile_of(file) else {
            return;
        };
        for run in df.instructions.iter().filter(|i| i.keyword == "RUN") {
            let found = match run.exec_form() {
                Some(argv) => shell::remote_execution_argv(&argv),
                None => shell::remote_execution(&run.args),
            };
            let Some(found) = found else {
                continue;
            };
            let raw = &file.text[run.span.clone()];
            let range = match downloader_offset(raw, &found) {
                Some(i) => run.span.start + i..run.span.start + i + found.fetcher.len(),
                None => run.span.clone(),
            };
            out.push(report(file, range, &found));
        }
    }
}

/// Where in the instruction's text the download happens: the downloader's name on the
/// line that also names the runner, else its first use as a command (followed by an
/// option or a URL, unlike `apt-get install curl`).
fn downloader_offset(raw: &str, found: &RemoteExecution) -> Option<usize> {
    let uses: Vec<usize> = raw
        .match_indices(found.fetcher.as_str())
        .map(|(i, _)| i)
        .collect();
    let line_of = |i: usize| {
        let start = raw[..i].rfind('\n').map_or(0, |s| s + 1);
        let end = raw[i..].find('\n').map_or(raw.len(), |e| i + e);
        &raw[start..end]
    };
    let as_command = |i: usize| {
        let after = raw[i + found.fetcher.len()..].trim_start_matches(' ');
        after.starts_with('-') || after.starts_with("http")
    };
    uses.iter()
        .copied()
        .find(|&i| as_command(i) && line_of(i).contains(found.runner.as_str()))
        .or_else(|| uses.iter().copied().find(|&i| as_command(i)))
        .or_else(|| uses.first().copied())
}

fn report(
    file: &FileContext<'_>,
    range: std::ops::Range<usize>,
    found: &RemoteExecution,
) -> Finding {
    let mut f = finding::at(
        &META,
        file,
        range,
        format!(
            "`RUN` downloads code with `{}` and runs it unreviewed: {} `{}`",
            found.fetcher, found.how, found.runner
        ),
    );
    f.evidence
        .push(Evidence::new("downloader", found.fetcher.clone()));
    f.evidence
        .push(Evidence::new("runs it with", found.runner.clone()));
    if found.verified {
        f.severity = Severity::Low;
        f.evidence.push(Evidence::new(
            "counter-evidence",
            "a checksum or signature check runs before the download is executed",
        ));
    }
    f
}
