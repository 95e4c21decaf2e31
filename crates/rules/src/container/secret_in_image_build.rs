//! `AS803` secret-in-image-build: secrets written into `ENV` or `ARG` instructions,
//! which end up in the image's configuration and build history for anyone who pulls it.

use assay_core::{Confidence, Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::dockerfile::{Dockerfile, Instruction};
use super::{dockerfile_of, finding};
use crate::registry::{FileContext, Rule};
use crate::secrets::{find_in_value, is_placeholder, is_secret_name};
use crate::text::{redact, redact_in};

/// The rule.
pub struct SecretInImageBuild;

static META: RuleMeta = RuleMeta {
    id: "AS803",
    name: "secret-in-image-build",
    title: "Secret baked into the image build",
    family: Family::Container,
    severity: Severity::High,
    cwe: &[798, 538],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds `ENV` and `ARG` instructions whose value is a secret by the `AS6xx` \
        detectors (provider tokens, private keys, JWTs, URL passwords, random values of \
        secret-named variables), and secret-named variables (`*_TOKEN`, `*_PASSWORD`, \
        `API_KEY`) given any other literal value. References (`$TOKEN`, `${TOKEN}`), empty \
        `ARG NAME` declarations and placeholders are fine. Values set only in build stages \
        other than the final one are reported at low severity. Every value is redacted.",
    why: "`ENV` values are stored in the image configuration and `ARG` values in its \
        build history: `docker inspect` / `docker history` on any copy of the image shows \
        them. An MCP server image carrying its upstream API token or database password \
        hands those to everyone who can pull it.",
    remediation: "Remove the value and rotate the secret. Pass secrets at run time \
        (`docker run -e TOKEN`, an orchestrator secret) or, when the build needs one, \
        mount it for a single step with BuildKit (`RUN --mount=type=secret,id=npm_token …`).",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://docs.docker.com/build/building/secrets/",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "Dockerfile",
            concat!(
                "FROM node:22-slim\nENV NODE_ENV=production \\\n    GITHUB_TOKEN=ghp_",
                "Zq8vN3kLm2Xw9Rt5hT7kQ2mW9xR4vBnLpZcY\nUSER node\nCMD [\"node\", \"index.js\"]\n"
            ),
        ),
        Example::flags(
            "Dockerfile",
            "FROM python:3.12-slim\nARG PYPI_PASSWORD=hunter2\nRUN pip install --index-url https://build:${PYPI_PASSWORD}@pkgs.internal/simple app\nUSER 1000\n",
        ),
        Example::flags(
            "docker/Dockerfile.prod",
            concat!(
                "FROM python:3.12-slim\nENV DATABASE_URL=postgres://app:EtD",
                "bBjvhXYR1AKlWDm@db.internal:5432/app\nUSER 1000\n"
            ),
        ),
        Example::allows(
            "Dockerfile",
            "FROM node:22-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nARG NPM_TOKEN\nENV API_TOKEN=${API_TOKEN} LOG_LEVEL=info\nRUN --mount=type=secret,id=npm_token npm ci\nUSER node\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nENV TOKEN_TTL=3600 PASSWORD_MIN_LENGTH=12 SECRET_FILE=/run/secrets/app\nENV API_KEY=changeme\nUSER 1000\n",
        ),
        Example::allows(
            "Containerfile",
            "FROM golang:1.23@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nARG VERSION=1.4.2\nENV GOFLAGS=-mod=readonly CGO_ENABLED=0\nUSER 65532\n",
        ),
    ],
};

/// Values of secret-named variables that are not secrets.
const NON_SECRET_VALUES: &[&str] = &["true", "false", "yes", "no", "none", "null", "on", "off"];

impl Rule for SecretInImageBuild {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile_of(file) else {
            return;
        };
        let shipped = shipped_instructions(&df);
        for (index, instruction) in df.instructions.iter().enumerate() {
            if !matches!(instruction.keyword.as_str(), "ENV" | "ARG") {
                continue;
            }
            for (name, value) in instruction.pairs() {
                if let Some(f) = judge(file, instruction, &name, &value, shipped.contains(&index)) {
                    out.push(f);
                }
            }
        }
    }
}

/// Indexes of the instructions that shape the final image: those of the final stage
/// and of the stages it is built on.
fn shipped_instructions(df: &Dockerfile) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = df.final_stage();
    for _ in 0..df.stages.len() {
        let Some(stage) = current else {
            break;
        };
        out.extend(stage.body.clone());
        current = df.parent(stage);
    }
    out
}

fn judge(
    file: &FileContext<'_>,
    instruction: &Instruction,
    name: &str,
    value: &str,
    shipped: bool,
) -> Option<Finding> {
    if value.is_empty() || value.starts_with('$') || is_placeholder(value) {
        return None;
    }
    let (secret, detector, confidence) = match find_in_value(name, value) {
        Some(hit) => (&value[hit.secret], hit.detector, hit.confidence),
        None if is_secret_name(name) && literal_secret_value(value) => (
            value,
            "literal value of a secret-named variable",
            Confidence::Medium,
        ),
        None => return None,
    };
    let raw = &file.text[instruction.span.clone()];
    let range = raw.find(secret).map_or(instruction.span.clone(), |i| {
        instruction.span.start + i..instruction.span.start + i + secret.len()
    });
    let mut f = finding::at(
        &META,
        file,
        range,
        format!(
            "`{} {name}` holds a secret ({detector}) that every copy of the image exposes",
            instruction.keyword
        ),
    );
    f.snippet = redact_in(&f.snippet, secret);
    finding::cap_confidence(&mut f, confidence);
    f.evidence.push(Evidence::new("variable", name));
    f.evidence.push(Evidence::new("secret", redact(secret)));
    f.evidence.push(Evidence::new("detector", detector));
    if detector == "literal value of a secret-named variable" {
        f.severity = Severity::Medium;
    }
    if !shipped {
        f.severity = Severity::Low;
        f.evidence.push(Evidence::new(
            "build stage",
            "set in a build stage the final image does not inherit: exposed in the build cache and logs",
        ));
    }
    Some(f)
}

/// A literal that may be a credential: not a boolean, number, path or URL.
fn literal_secret_value(value: &str) -> bool {
    !NON_SECRET_VALUES.contains(&value.to_ascii_lowercase().as_str())
        && !value.bytes().all(|b| b.is_ascii_digit())
        && !value.starts_with(['/', '.', '~'])
        && !value.contains("://")
}
