//! `AS801` container-runs-as-root: the image's final stage sets no `USER` (so it runs
//! as the base image's user, root for almost every public base image) or switches to
//! `USER root` / `USER 0` last.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::dockerfile::{Dockerfile, Instruction, Stage};
use super::{dockerfile_of, finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct ContainerRunsAsRoot;

static META: RuleMeta = RuleMeta {
    id: "AS801",
    name: "container-runs-as-root",
    title: "Container runs as root",
    family: Family::Container,
    severity: Severity::Medium,
    cwe: &[250, 269],
    owasp_mcp: "MCP02:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds Dockerfiles whose final stage runs as root: no `USER` instruction in \
        the final stage or the stages it is built on, or a last `USER root` / `USER 0`. \
        Base images that default to an unprivileged user (`…:nonroot`, rootless and \
        Chainguard images) are accepted; build stages other than the last do not matter. \
        `FROM scratch` without `USER` is reported at low severity (uid 0, but no shell).",
    why: "An MCP server executes actions for an agent: commands, file access, fetches. \
        When one of them is subverted (command injection, path traversal, a malicious \
        dependency), root inside the container can modify the image's files, read every \
        mounted secret and volume, and has a far shorter path to escaping the container.",
    remediation: "Create an unprivileged user and switch to it at the end of the final \
        stage (`RUN useradd -r -u 10001 app` … `USER 10001`), or use a base image that \
        runs as non-root (`node:22-slim` has `USER node`, distroless `:nonroot`).",
    references: &[
        "https://cwe.mitre.org/data/definitions/250.html",
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "Dockerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD [\"mcp-server-notes\"]\n",
        ),
        Example::flags(
            "Dockerfile",
            "FROM node:22-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nUSER node\nCOPY --chown=node . /app\nUSER root\nRUN npm ci --omit=dev\nCMD [\"node\", \"/app/dist/index.js\"]\n",
        ),
        Example::flags(
            "docker/Containerfile",
            "FROM golang:1.23@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS build\nRUN useradd app\nUSER app\nRUN go build -o /out/server ./cmd/server\n\nFROM debian:12-slim@sha256:b3f5fbd9338dec065617b8d0074cf7b929bdf9b233c123f885621e49a025d386\nCOPY --from=build /out/server /server\nENTRYPOINT [\"/server\"]\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM node:22-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"dist/index.js\"]\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM golang:1.23@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS build\nRUN go build -o /out/server ./cmd/server\n\nFROM gcr.invalid/distroless/static-debian12:nonroot@sha256:b3f5fbd9338dec065617b8d0074cf7b929bdf9b233c123f885621e49a025d386\nCOPY --from=build /out/server /server\nENTRYPOINT [\"/server\"]\n",
        ),
        Example::allows(
            "Containerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS base\nRUN useradd -r -u 10001 app\nUSER 10001:10001\n\nFROM base\nCOPY . /app\nCMD [\"python\", \"/app/server.py\"]\n",
        ),
    ],
};

/// Base image names or tags that say the image runs as an unprivileged user.
const NON_ROOT_IMAGE_MARKERS: &[&str] = &["nonroot", "non-root", "rootless", "chainguard/"];

impl Rule for ContainerRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile_of(file) else {
            return;
        };
        let Some(last) = df.final_stage() else {
            return;
        };
        match last_user(&df, last) {
            Some(user) => {
                let name = user.args.split(':').next().unwrap_or("").trim();
                if matches!(name, "root" | "0") {
                    out.push(finding::at(
                        &META,
                        file,
                        user.span.clone(),
                        format!(
                            "The image's final stage switches to `USER {}` last: the server runs as root",
                            user.args
                        ),
                    ));
                }
            }
            None => {
                let base = base_image(&df, last);
                let lower = base.to_ascii_lowercase();
                if NON_ROOT_IMAGE_MARKERS.iter().any(|m| lower.contains(m)) {
                    return;
                }
                let from = &df.instructions[last.from];
                let mut f = finding::at(
                    &META,
                    file,
                    from.span.clone(),
                    format!(
                        "The image's final stage sets no `USER`: the server runs as the base image's user, root for `{base}`"
                    ),
                );
                if lower == "scratch" {
                    f.severity = Severity::Low;
                    f.message = "The image's final stage (`FROM scratch`) sets no `USER`: the server runs as uid 0".into();
                }
                f.evidence.push(Evidence::new("base image", base));
                out.push(f);
            }
        }
    }
}

/// The last `USER` of `stage` or, failing that, of the stages it is built on.
fn last_user<'d>(df: &'d Dockerfile, stage: &'d Stage) -> Option<&'d Instruction> {
    let mut current = Some(stage);
    for _ in 0..df.stages.len() {
        let s = current?;
        if let Some(user) = df.body(s).iter().rev().find(|i| i.keyword == "USER") {
            return Some(user);
        }
        current = df.parent(s);
    }
    None
}

/// The external image `stage` is ultimately built on.
fn base_image(df: &Dockerfile, stage: &Stage) -> String {
    let mut current = stage;
    for _ in 0..df.stages.len() {
        match df.parent(current) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current
        .resolved_image
        .clone()
        .unwrap_or_else(|| current.image.clone())
}
