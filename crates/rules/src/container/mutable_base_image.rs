//! `AS804` mutable-base-image: `FROM` an image by a tag (or none) instead of a digest,
//! so the same Dockerfile builds whatever the tag points to that day.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::{dockerfile_of, finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct MutableBaseImage;

static META: RuleMeta = RuleMeta {
    id: "AS804",
    name: "mutable-base-image",
    title: "Base image not pinned by digest",
    family: Family::Container,
    severity: Severity::Medium,
    cwe: &[1357, 494],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds `FROM` instructions whose image has no `@sha256:` digest: medium \
        severity with no tag or `:latest`, low with a version tag (tags can be moved). \
        `scratch`, references to earlier build stages and images given only by an \
        unresolved build argument are not reported; global `ARG` defaults are substituted \
        first (`FROM node:${NODE_VERSION}`).",
    why: "A tag is a mutable pointer: a rebuild silently picks up whatever the registry \
        serves under it — new major versions with `latest`, or a tampered image if the \
        publisher account or registry is compromised. The MCP server image then differs \
        from the one that was reviewed.",
    remediation: "Pin every base image by digest and keep the tag for readability: \
        `FROM node:22.11-slim@sha256:<digest>`; let a dependency bot update the digest.",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#from",
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "Dockerfile",
            "FROM node\nUSER node\nCMD [\"node\", \"index.js\"]\n",
        ),
        Example::flags(
            "Dockerfile",
            "ARG BASE=python:latest\nFROM ${BASE}\nUSER 1000\nCMD [\"python\", \"server.py\"]\n",
        ),
        Example::flags(
            "Containerfile",
            "FROM golang:1.23 AS build\nRUN go build -o /server .\nFROM registry.internal:5000/base/runtime\nCOPY --from=build /server /server\nUSER 65532\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM node:22-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS build\nRUN npm ci && npm run build\nFROM build AS test\nRUN npm test\nFROM build\nUSER node\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM golang:1.23@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\nUSER 65532\n",
        ),
        Example::allows(
            "Dockerfile",
            "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER 1000\n",
        ),
    ],
};

impl Rule for MutableBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(df) = dockerfile_of(file) else {
            return;
        };
        for (index, stage) in df.stages.iter().enumerate() {
            let Some(image) = stage.resolved_image.as_deref() else {
                continue;
            };
            if image.is_empty()
                || image.eq_ignore_ascii_case("scratch")
                || image.contains("@sha256:")
                || df.is_stage_reference(image, index)
            {
                continue;
            }
            let from = &df.instructions[stage.from];
            let mut f = match tag(image) {
                Some(tag) if tag != "latest" => {
                    let mut f = finding::at(
                        &META,
                        file,
                        from.span.clone(),
                        format!(
                            "`FROM {image}` pins a tag, not a digest: the tag can be moved to another image"
                        ),
                    );
                    f.severity = Severity::Low;
                    f
                }
                Some(_) => finding::at(
                    &META,
                    file,
                    from.span.clone(),
                    format!("`FROM {image}` uses the moving `latest` tag"),
                ),
                None => finding::at(
                    &META,
                    file,
                    from.span.clone(),
                    format!(
                        "`FROM {image}` has no tag or digest: it builds on whatever `latest` is"
                    ),
                ),
            };
            f.evidence.push(Evidence::new("image", image));
            if image != stage.image {
                f.evidence
                    .push(Evidence::new("as written", stage.image.clone()));
            }
            out.push(f);
        }
    }
}

/// The tag of an image reference: after the last `:` of the last path segment (a `:`
/// in the registry host is a port).
fn tag(image: &str) -> Option<&str> {
    let last_segment = image.rsplit('/').next().unwrap_or(image);
    last_segment.split_once(':').map(|(_, tag)| tag)
}
