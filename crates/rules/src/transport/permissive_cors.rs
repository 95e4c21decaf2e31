//! `AS303` permissive-cors: CORS that lets any web origin make credentialed requests
//! (wildcard or reflected origin together with credentials), and, on MCP endpoints,
//! wildcard CORS at all (reported low).

use std::ops::Range;
use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use super::exposure;
use crate::code_patterns::CodeText;
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct PermissiveCors;

static META: RuleMeta = RuleMeta {
    id: "AS303",
    name: "permissive-cors",
    title: "CORS allows any origin with credentials",
    family: Family::Transport,
    severity: Severity::Medium,
    cwe: &[942, 346],
    owasp_mcp: "MCP07:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds CORS configurations that let every web origin make credentialed \
        requests: `cors({ origin: true | \"*\" | () => true, credentials: true })`, \
        Starlette/FastAPI `CORSMiddleware(allow_origins=[\"*\"] or allow_origin_regex=\".*\", \
        allow_credentials=True)` (Starlette then echoes the caller's origin), Flask-CORS \
        `supports_credentials=True` with the default origins, Go `rs/cors` or gin \
        `AllowCredentials: true` with any origin, and handlers that copy the request's \
        `Origin` into `Access-Control-Allow-Origin` while sending \
        `Access-Control-Allow-Credentials: true` with no allowlist check nearby. In a file \
        that serves an MCP transport, wildcard or reflected CORS without credentials is \
        reported too, at low severity: any page can then call an unauthenticated local \
        server's tools.",
    why: "With credentials allowed for every origin, any web page the user opens can call \
        the server with the user's cookies or HTTP auth and read the answers: tool \
        results, resources, tokens. For MCP servers on localhost, even uncredentialed \
        wildcard CORS lets any page drive the tools.",
    remediation: "List the exact origins that need access (`origin: [\"https://app.example\"]`, \
        `allow_origins=[...]`, `AllowedOrigins: []string{...}`) or check the `Origin` \
        header against an allowlist before echoing it. Do not combine credentials with a \
        wildcard. Local MCP servers rarely need CORS at all.",
    references: &[
        "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
        "https://portswigger.net/web-security/cors",
        "https://cwe.mitre.org/data/definitions/942.html",
    ],
    examples: &[
        Example::flags(
            "src/server.ts",
            "import cors from \"cors\";\nimport express from \"express\";\n\nconst app = express();\napp.use(cors({ origin: true, credentials: true }));\napp.get(\"/api/me\", (req, res) => res.json(req.user));\n",
        ),
        Example::flags(
            "app/main.py",
            "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(\n    CORSMiddleware,\n    allow_origins=[\"*\"],\n    allow_credentials=True,\n    allow_methods=[\"*\"],\n)\n",
        ),
        Example::flags(
            "handler.go",
            "package api\n\nimport \"net/http\"\n\nfunc withCORS(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tw.Header().Set(\"Access-Control-Allow-Origin\", r.Header.Get(\"Origin\"))\n\t\tw.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n",
        ),
        Example::flags(
            "src/app.js",
            "const express = require(\"express\");\nconst app = express();\napp.use((req, res, next) => {\n  res.setHeader(\"Access-Control-Allow-Origin\", req.headers.origin);\n  res.setHeader(\"Access-Control-Allow-Credentials\", \"true\");\n  next();\n});\n",
        ),
        Example::allows(
            "src/server.ts",
            "import cors from \"cors\";\nimport express from \"express\";\n\nconst app = express();\napp.use(cors({ origin: [\"https://app.example.com\"], credentials: true }));\n",
        ),
        Example::allows(
            "src/public-api.js",
            "const cors = require(\"cors\");\nconst app = require(\"express\")();\napp.use(cors());\napp.get(\"/weather\", (req, res) => res.json({ temp: 21 }));\n",
        ),
        Example::allows(
            "app/main.py",
            "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=[\"https://dash.example.com\"], allow_credentials=True)\n",
        ),
        Example::allows(
            "handler.go",
            "package api\n\nimport \"net/http\"\n\nvar allowed = map[string]bool{\"https://app.example.com\": true}\n\nfunc withCORS(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\torigin := r.Header.Get(\"Origin\")\n\t\tif allowed[origin] {\n\t\t\tw.Header().Set(\"Access-Control-Allow-Origin\", origin)\n\t\t\tw.Header().Set(\"Access-Control-Allow-Credentials\", \"true\")\n\t\t}\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n",
        ),
    ],
};

/// Words without which this rule cannot fire: the driver calls it only on files that
/// contain one.
const KEYWORDS: &[&str] = &["cors", "access-control-allow-origin"];

/// CORS configuration calls and literals whose options decide the policy.
static CONFIG_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bcors\.(?:New|Options|AllowAll|Config)\b|\bCORSMiddleware\b|\bcors\b|\bCORS\b")
        .expect("valid regex")
});

static ALLOW_ORIGIN_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)['"]access-control-allow-origin['"]"#).expect("valid regex")
});

static CREDENTIALS_HEADER_TRUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)['"]access-control-allow-credentials['"]\s*(?:\]\s*=|,|:)\s*(?:\[\s*)?(?:['"]true['"]|true\b)"#)
        .expect("valid regex")
});

/// An allowlist check near a reflected origin.
static ALLOWLIST_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)allow(?:ed|list)|whitelist|trusted|\.includes\(|\.has\(|\bin\s+[A-Z_]{3,}|\[origin\]|==\s*origin|origin\s*[!=]==?")
        .expect("valid regex")
});

static ANY_ORIGIN_FN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^(?:func\s*\([^)]*\)\s*bool\s*\{\s*return\s+true\s*\}|.*=>\s*(?:true|\{?\s*(?:return\s+)?(?:cb|callback|done)\(\s*null\s*,\s*true\s*\)))")
        .expect("valid regex")
});

/// How permissive one CORS setting is.
#[derive(Clone, Copy, PartialEq)]
enum Origins {
    /// Wildcard, `true`, a match-everything regex or function.
    Any,
    /// The request's own `Origin` echoed back without a check.
    Reflected,
}

impl Rule for PermissiveCors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        KEYWORDS.to_vec()
    }

    fn keywords_ignore_case(&self) -> bool {
        true
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(code) = file.code() else {
            return;
        };
        let serves_mcp = exposure::might_serve(file.language, file.text)
            && exposure::analyze(code).transport.is_some();
        let mut hits = Vec::new();
        for m in CONFIG_CALL.find_iter(&code.code) {
            if code.in_string(m.start()) {
                continue;
            }
            let name = m.as_str();
            let options = if name == "CORSMiddleware" {
                // `add_middleware(CORSMiddleware, allow_origins=…)`: the enclosing call.
                code.code[..m.start()]
                    .rfind('(')
                    .map(|open| code.group_inner(open))
                    .filter(|r| r.end >= m.end())
            } else {
                options_after(code, m.end())
            };
            let Some(options) = options else {
                continue;
            };
            let bare = code.code[options.clone()].trim().is_empty();
            let (origins, credentials) = if name == "cors.AllowAll" || (name == "cors" && bare) {
                (Some(Origins::Any), false)
            } else {
                config_policy(code, options.clone(), name)
            };
            if let Some(origins) = origins {
                hits.extend(hit(
                    m.start()..options.end,
                    origins,
                    credentials,
                    serves_mcp,
                    "CORS configuration",
                ));
            }
        }
        let credentials_header = CREDENTIALS_HEADER_TRUE.is_match(&code.code);
        for m in ALLOW_ORIGIN_HEADER.find_iter(&code.code) {
            if code.string_at(m.start()) != Some(m.start()..m.end()) {
                continue;
            }
            let value = header_value(code, m.end());
            let value_text = code.code[value.clone()].trim();
            let origins = if code.literal(value.clone()) == Some("*") {
                Origins::Any
            } else if value_text.to_ascii_lowercase().contains("origin")
                && code.literal(value.clone()).is_none()
            {
                let window = code.lines_before(m.start(), 5)..m.start();
                if ALLOWLIST_CHECK.is_match(&code.code[window]) {
                    continue;
                }
                Origins::Reflected
            } else {
                continue;
            };
            hits.extend(hit(
                m.start()..value.end,
                origins,
                credentials_header,
                serves_mcp,
                "`Access-Control-Allow-Origin` header",
            ));
        }
        emit(&META, file, hits, OutsideProduction::CapAtLow, out);
    }
}

/// The options group after a configuration callee: `(…)` or a Go composite `{…}`.
fn options_after(code: &CodeText<'_>, end: usize) -> Option<Range<usize>> {
    let rest = &code.code[end..];
    let skip = rest.len() - rest.trim_start().len();
    match rest.as_bytes().get(skip) {
        Some(b'(' | b'{') => Some(code.group_inner(end + skip)),
        _ => None,
    }
}

/// Which origins and whether credentials a CORS option set allows.
fn config_policy(
    code: &CodeText<'_>,
    options: Range<usize>,
    callee: &str,
) -> (Option<Origins>, bool) {
    // `cors({…})`, `cors.New(cors.Options{…})`: the options are the object literal in
    // the first argument; Python keyword arguments and Go composites are the options.
    let scope = code
        .split_top_level(options.clone())
        .first()
        .and_then(|first| {
            let text = &code.code[first.clone()];
            let head = text
                .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_'))
                .unwrap_or(text.len());
            text[head..]
                .starts_with('{')
                .then(|| code.group_inner(first.start + head))
        })
        .unwrap_or(options);
    let value = |names: &[&str]| names.iter().find_map(|n| code.entry(scope.clone(), n));
    let is_true =
        |r: Option<Range<usize>>| r.is_some_and(|r| matches!(code.code[r].trim(), "true" | "True"));
    let credentials = is_true(value(&[
        "credentials",
        "allow_credentials",
        "supports_credentials",
        "AllowCredentials",
    ]));
    let any = |r: Range<usize>| {
        let text = code.code[r.clone()].trim();
        matches!(
            text,
            "true" | "True" | "'*'" | "\"*\"" | "[\"*\"]" | "['*']" | "[]string{\"*\"}"
        ) || ANY_ORIGIN_FN.is_match(text)
            || code
                .literal(r)
                .is_some_and(|body| matches!(body, ".*" | "^.*$" | ".+"))
    };
    let origins = if is_true(value(&["AllowAllOrigins"])) {
        Some(Origins::Any)
    } else {
        match value(&[
            "origin",
            "allow_origins",
            "allow_origin_regex",
            "origins",
            "AllowedOrigins",
            "AllowOriginFunc",
            "AllowOrigins",
        ]) {
            Some(r) if any(r.clone()) => Some(Origins::Any),
            Some(_) => None,
            // Flask-CORS defaults to every origin (and echoes it when credentials are on).
            None if callee == "CORS" => Some(Origins::Any),
            None => None,
        }
    };
    (origins, credentials)
}

/// The value assigned to a header named by the literal ending at `end`:
/// `set("…", value)`, `headers["…"] = value`, `{"…": value}`.
fn header_value(code: &CodeText<'_>, end: usize) -> Range<usize> {
    let rest = &code.code[end..];
    let skip = rest
        .find(|c: char| !(c.is_whitespace() || matches!(c, ',' | ']' | '=' | ':')))
        .unwrap_or(rest.len());
    code.statement_from(end + skip)
}

fn hit(
    span: Range<usize>,
    origins: Origins,
    credentials: bool,
    serves_mcp: bool,
    what: &str,
) -> Option<Hit> {
    let allowed = match origins {
        Origins::Any => "every origin",
        Origins::Reflected => "the caller's own origin, echoed without a check",
    };
    if credentials {
        let hit = Hit::new(
            &META,
            span.start,
            span.end,
            format!("{what} allows {allowed} together with credentials"),
        );
        // Browsers refuse a literal `*` with credentials; the setting is still wrong but
        // not exploitable as written.
        Some(if origins == Origins::Any && what.contains("header") {
            Hit {
                message: format!(
                    "{} (browsers refuse a literal `*` with credentials)",
                    hit.message
                ),
                ..hit.severity(Severity::Low)
            }
        } else {
            hit
        })
    } else if serves_mcp {
        Some(
            Hit::new(
                &META,
                span.start,
                span.end,
                format!(
                    "{what} on an MCP endpoint allows {allowed}: any web page can call its tools"
                ),
            )
            .severity(Severity::Low)
            .confidence(Confidence::Medium),
        )
    } else {
        None
    }
}
