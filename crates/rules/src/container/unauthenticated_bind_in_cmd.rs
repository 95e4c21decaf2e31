//! `AS805` unauthenticated-bind-in-cmd: the image starts an HTTP / SSE / streamable
//! HTTP MCP server listening on every interface (`--host 0.0.0.0`, `HOST=0.0.0.0`) and
//! nothing in its command or environment configures authentication.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::dockerfile::{Dockerfile, Instruction, Stage};
use super::{dockerfile_of, finding};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct UnauthenticatedBindInCmd;

static META: RuleMeta = RuleMeta {
    id: "AS805",
    name: "unauthenticated-bind-in-cmd",
    title: "Image serves MCP over HTTP on all interfaces without authentication",
    family: Family::Container,
    severity: Severity::Medium,
    cwe: &[306, 1327],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Reads the final stage's `ENTRYPOINT`, `CMD`, `ENV` and `EXPOSE`: reports an \
        image that starts a network server — an HTTP server (`uvicorn`, `gunicorn`, \
        `hypercorn`), an MCP server with an HTTP/SSE transport (`--transport sse`, \
        `MCP_TRANSPORT=streamable-http`) or any program given a listen address \
        (`--listen 0.0.0.0:8080`, `--addr=[::]:80`) — bound to all interfaces (`0.0.0.0`, \
        `::`), when \
        no authentication setting appears (an `--auth…`/`--api-key`/`--token` flag, an \
        `…AUTH…`/`…API_KEY`/`…TOKEN` variable).",
    why: "Inside a container, binding to all interfaces is what makes the port \
        reachable once it is published — and MCP servers are commonly run with `-p`. \
        Without authentication every host that can reach the port can list and call the \
        server's tools, with the server's credentials.",
    remediation: "Require authentication in the server (OAuth, a bearer token checked on \
        every request) and make it part of the image's default command or configuration; \
        or serve stdio only and let the client start the container.",
    references: &[
        "https://cwe.mitre.org/data/definitions/306.html",
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices",
        "https://owasp.org/www-project-mcp-top-10/",
    ],
    examples: &[
        Example::flags(
            "Dockerfile",
            "FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app\nUSER 1000\nEXPOSE 8000\nCMD [\"uvicorn\", \"app.server:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n",
        ),
        Example::flags(
            "Dockerfile",
            "FROM python:3.12-slim\nRUN pip install weather-mcp\nUSER 1000\nENV FASTMCP_HOST=0.0.0.0 FASTMCP_TRANSPORT=sse\nEXPOSE 8000\nENTRYPOINT [\"weather-mcp\"]\n",
        ),
        Example::flags(
            "Containerfile",
            "FROM node:22-slim\nCOPY dist /app\nUSER node\nCMD node /app/index.js --transport streamable-http --host=0.0.0.0 --port 3000\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nRUN pip install weather-mcp\nUSER 1000\nCMD [\"weather-mcp\", \"--transport\", \"stdio\"]\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM node:22-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nCOPY dist /app\nUSER node\nENV MCP_AUTH_TOKEN_FILE=/run/secrets/mcp_token\nCMD [\"node\", \"/app/index.js\", \"--transport\", \"http\", \"--host\", \"0.0.0.0\"]\n",
        ),
        Example::allows(
            "Dockerfile",
            "FROM python:3.12-slim@sha256:2199dfe8463032b256ac420afcfa58f9dd97bb0dac3ab49a3616d9f2f10feafe\nUSER 1000\nEXPOSE 8000\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"127.0.0.1\"]\n",
        ),
    ],
};

/// Programs that are HTTP servers.
const HTTP_SERVERS: &[&str] = &[
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "daphne",
    "granian",
    "waitress-serve",
];

/// Transports that listen on the network.
const NETWORK_TRANSPORTS: &[&str] = &[
    "sse",
    "http",
    "streamable-http",
    "streamable_http",
    "streamablehttp",
];

/// Fragments of flags and variable names that configure authentication.
const AUTH_MARKERS: &[&str] = &[
    "auth", "api-key", "api_key", "apikey", "token", "oauth", "jwt", "password",
];

impl Rule for UnauthenticatedBindInCmd {
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
        let image = ImageConfig::of(&df, last);
        let command: Vec<String> = image.command_words();
        let env = image.env();
        let lower = |s: &str| s.to_ascii_lowercase();

        // Where the all-interfaces bind comes from.
        let bind_at = if all_interfaces_arg(&command).is_some() {
            image.command_instruction()
        } else {
            image.env_instruction(|name, value| {
                (lower(name).ends_with("host") || lower(name).ends_with("bind"))
                    && is_all_interfaces(value)
            })
        };
        let Some(bind_at) = bind_at else {
            return;
        };
        let transport_flag = command.windows(2).any(|w| {
            lower(&w[0]).trim_start_matches('-') == "transport"
                && NETWORK_TRANSPORTS.contains(&lower(&w[1]).as_str())
        }) || command.iter().any(|w| {
            w.split_once('=').is_some_and(|(k, v)| {
                lower(k).trim_start_matches('-') == "transport"
                    && NETWORK_TRANSPORTS.contains(&lower(v).as_str())
            })
        });
        let transport_env = env.iter().any(|(name, value)| {
            lower(name).ends_with("transport")
                && NETWORK_TRANSPORTS.contains(&lower(value).as_str())
        });
        let http_server = command
            .iter()
            .any(|w| HTTP_SERVERS.contains(&crate::container::shell::normalise(w).as_str()));
        // `--listen 0.0.0.0:8080` on an image that publishes a port: the program itself
        // serves the network, whatever it is called.
        let listener = listen_flag(&command)
            .is_some_and(|value| image.exposes() || value.contains(':') && value != "::");
        let server = if http_server {
            "an HTTP server"
        } else if listener {
            "a network listener"
        } else if transport_flag || (transport_env && image.exposes()) {
            "an MCP server with a network transport"
        } else {
            return;
        };
        let has_auth = command
            .iter()
            .filter(|w| w.starts_with('-'))
            .chain(env.iter().map(|(name, _)| name))
            .any(|w| AUTH_MARKERS.iter().any(|m| lower(w).contains(m)));
        if has_auth {
            return;
        }
        let mut f = finding::at(
            &META,
            file,
            bind_at.span.clone(),
            format!(
                "The image starts {server} on all interfaces with no authentication configured"
            ),
        );
        f.evidence.push(Evidence::new("command", command.join(" ")));
        if image.exposes() {
            f.evidence
                .push(Evidence::new("exposed", "the image declares EXPOSE"));
        }
        out.push(f);
    }
}

/// The run configuration of the final image: the instructions of the final stage and
/// the stages it inherits from, latest first.
struct ImageConfig<'d> {
    instructions: Vec<&'d Instruction>,
}

impl<'d> ImageConfig<'d> {
    fn of(df: &'d Dockerfile, stage: &'d Stage) -> Self {
        let mut instructions = Vec::new();
        let mut current = Some(stage);
        for _ in 0..df.stages.len() {
            let Some(s) = current else {
                break;
            };
            instructions.extend(df.body(s).iter().rev());
            current = df.parent(s);
        }
        ImageConfig { instructions }
    }

    fn last(&self, keyword: &str) -> Option<&'d Instruction> {
        self.instructions
            .iter()
            .find(|i| i.keyword == keyword)
            .copied()
    }

    /// `ENTRYPOINT` followed by `CMD`, as words.
    fn command_words(&self) -> Vec<String> {
        let mut words = self
            .last("ENTRYPOINT")
            .map(Instruction::words)
            .unwrap_or_default();
        words.extend(self.last("CMD").map(Instruction::words).unwrap_or_default());
        words
    }

    /// The instruction that holds the command line (the `CMD`, else the `ENTRYPOINT`).
    fn command_instruction(&self) -> Option<&'d Instruction> {
        self.last("CMD").or_else(|| self.last("ENTRYPOINT"))
    }

    fn env(&self) -> Vec<(String, String)> {
        self.instructions
            .iter()
            .filter(|i| i.keyword == "ENV")
            .flat_map(|i| i.pairs())
            .collect()
    }

    /// The latest `ENV` with a pair `wanted` accepts.
    fn env_instruction(&self, wanted: impl Fn(&str, &str) -> bool) -> Option<&'d Instruction> {
        self.instructions
            .iter()
            .find(|i| i.keyword == "ENV" && i.pairs().iter().any(|(k, v)| wanted(k, v)))
            .copied()
    }

    fn exposes(&self) -> bool {
        self.last("EXPOSE").is_some()
    }
}

fn is_all_interfaces(value: &str) -> bool {
    let host = value.rsplit_once(':').map_or(value, |(h, port)| {
        let is_port = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        if is_port && !h.is_empty() { h } else { value }
    });
    matches!(host, "0.0.0.0" | "::" | "[::]")
}

/// Flag names that set the address a program listens on.
const LISTEN_FLAGS: &[&str] = &["listen", "addr", "address", "bind", "host"];

/// The all-interfaces address given to a listen-address flag (`--listen 0.0.0.0:8080`,
/// `--addr=[::]:80`, `-http-addr 0.0.0.0:9000`).
fn listen_flag(command: &[String]) -> Option<&str> {
    let is_listen_flag = |flag: &str| {
        let name = flag.trim_start_matches('-').to_ascii_lowercase();
        flag.starts_with('-') && LISTEN_FLAGS.iter().any(|f| name.contains(f))
    };
    command.iter().enumerate().find_map(|(i, w)| {
        let (flag, value) = match w.split_once('=') {
            Some((flag, value)) => (flag, value),
            None => (w.as_str(), command.get(i + 1)?.as_str()),
        };
        (is_listen_flag(flag) && is_all_interfaces(value)).then_some(value)
    })
}

/// The all-interfaces address among the command's arguments (`--host 0.0.0.0`,
/// `--host=0.0.0.0`, `--bind 0.0.0.0:8000`, `-b [::]:80`).
fn all_interfaces_arg(command: &[String]) -> Option<&str> {
    command.iter().find_map(|w| {
        let value = w.split_once('=').map_or(w.as_str(), |(_, v)| v);
        is_all_interfaces(value).then_some(value)
    })
}
