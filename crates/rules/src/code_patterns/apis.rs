//! Vocabularies of calls, per language: outbound requests, process execution, code
//! evaluation, file reads and writes, and references to the user's home directory. Each
//! [`Vocab`] matches a callee up to (not including) its `(`, so
//! [`CodeText::call_args`] finds the arguments.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::CodeText;
use crate::lang::Language;

/// One call-matching vocabulary with a regex per language.
pub struct Vocab {
    js: Regex,
    python: Regex,
    go: Regex,
    /// Whether a bare JavaScript name also matches as a method (`fs.readFileSync`,
    /// `fse.writeFile`): true for names distinctive enough on any receiver.
    js_methods: bool,
}

/// A call found by a [`Vocab`].
#[derive(Debug, Clone)]
pub struct Call {
    /// The callee as matched.
    pub callee: Range<usize>,
    /// The arguments (inside the parentheses).
    pub args: Range<usize>,
}

impl Vocab {
    fn new(js: &str, python: &str, go: &str) -> Vocab {
        Vocab {
            // Whole names only: `readFile` must not stop inside `readFileSync`.
            js: Regex::new(&format!(r"(?:{js})\b")).expect("valid regex"),
            python: Regex::new(&format!(r"(?:{python})\b")).expect("valid regex"),
            go: Regex::new(&format!(r"(?:{go})\b")).expect("valid regex"),
            js_methods: false,
        }
    }

    fn with_js_methods(mut self) -> Vocab {
        self.js_methods = true;
        self
    }

    /// The regex for `language` (`None` for languages without code).
    pub fn regex(&self, language: Language) -> Option<&Regex> {
        match language {
            Language::JavaScript | Language::TypeScript | Language::Tsx => Some(&self.js),
            Language::Python => Some(&self.python),
            Language::Go => Some(&self.go),
            Language::Other => None,
        }
    }

    /// Every call of the vocabulary in `code` (outside strings, not a method of another
    /// object when the callee is a bare name: `re.compile` is not `compile`).
    pub fn calls<'c>(&'c self, code: &'c CodeText<'_>) -> impl Iterator<Item = Call> + 'c {
        let text = code.code.as_str();
        self.regex(code.language)
            .into_iter()
            .flat_map(move |re| re.find_iter(text))
            .filter_map(move |m| {
                if code.in_string(m.start()) {
                    return None;
                }
                let before = text[..m.start()].chars().next_back();
                let bare = !m.as_str().contains('.') && !m.as_str().starts_with("new");
                let method_ok = self.js_methods && code.is_js() && before == Some('.');
                if bare
                    && !method_ok
                    && before
                        .is_some_and(|c| c == '.' || c == '$' || c.is_alphanumeric() || c == '_')
                {
                    return None;
                }
                let args = code.call_args(m.end())?;
                Some(Call {
                    callee: m.range(),
                    args,
                })
            })
    }

    /// True when `range` of `code` contains a match that is code, not the text of a
    /// string literal (`"fetch a repository"` is no request; `${fetch(u)}` in a template
    /// is).
    pub fn in_code(&self, code: &CodeText<'_>, range: Range<usize>) -> bool {
        let Some(re) = self.regex(code.language) else {
            return false;
        };
        re.find_iter(&code.code[range.clone()]).any(|m| {
            let at = range.start + m.start();
            !code.in_string(at) || code.in_interpolation(at)
        })
    }

    /// True when `text` (any fragment of code in `language`) contains a match.
    pub fn matches(&self, language: Language, text: &str) -> bool {
        self.regex(language).is_some_and(|re| re.is_match(text))
    }
}

/// Outbound network requests.
pub static NETWORK: LazyLock<Vocab> = LazyLock::new(|| {
    Vocab::new(
        r"\bfetch|\baxios(?:\.(?:get|post|put|patch|delete|request|head))?|\bgot(?:\.(?:get|post|put|patch|stream))?|\bhttps?\.(?:get|request)|\b(?:superagent|needle|ky)(?:\.(?:get|post|put))?|\bundici\.(?:request|fetch)|\brequest\.(?:get|post|put)|navigator\.sendBeacon|new\s+WebSocket|\bnet\.(?:connect|createConnection)|\bdns\.(?:resolve\w*|lookup)",
        r"\b(?:requests|httpx|session|sess|client|http_client|async_client|aiohttp)\.(?:get|post|put|patch|delete|head|request|stream)|\burlopen|\burlretrieve|\bsocket\.create_connection|\bHTTPS?Connection|\bwget\.download",
        r"\bhttp\.(?:Get|Post|PostForm|Head|NewRequest|NewRequestWithContext)|\bnet\.Dial(?:Timeout)?|\bwebsocket\.Dial",
    )
});

/// Process execution.
pub static EXEC: LazyLock<Vocab> = LazyLock::new(|| {
    Vocab::new(
        r"\b(?:child_process|cp|childProcess|proc|shell|shelljs)\.(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)|\b(?:execSync|spawnSync|execFileSync|execFile|spawn|exec|execa|execaCommand)|\bBun\.spawn|\bDeno\.run|require\(\s*['\x22]child_process['\x22]\s*\)\.\w+",
        r"\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?)|\bsubprocess\.(?:run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|\bpty\.spawn|\basyncio\.create_subprocess_(?:shell|exec)",
        r"\bexec\.Command(?:Context)?|\bsyscall\.Exec|\bos\.StartProcess",
    )
});

/// Code evaluation.
pub static EVAL: LazyLock<Vocab> = LazyLock::new(|| {
    Vocab::new(
        r"\beval|new\s+Function|\bFunction|\bvm\.(?:runInThisContext|runInNewContext|runInContext|compileFunction)|new\s+vm\.Script",
        r"\beval|\bexec|\bcompile|\b__import__",
        r"\binterp\.Eval|\bi\.Eval",
    )
});

/// File reads (and copies, which read). Python methods (`p.read_text()`,
/// `parser.read(path)`, `Path(p).open()`) take their path from the receiver or the
/// arguments; see [`CodeText::receiver`].
pub static FILE_READ: LazyLock<Vocab> = LazyLock::new(|| {
    Vocab::new(
        r"\b(?:readFile|readFileSync|createReadStream|readdir|readdirSync|readJson|readJSON|readJsonSync|copyFile|copyFileSync|cpSync)|\bBun\.file",
        r"\bopen|\bio\.open|\bcodecs\.open|\.open|\.read_text|\.read_bytes|\.read|\.read_file|\bshutil\.(?:copy\w*|make_archive)|\bglob\.glob|\bos\.listdir|\bos\.walk|\bconfigparser\.\w+\(\)\.read|\bjson\.load|\byaml\.safe_load",
        r"\bos\.(?:ReadFile|Open|ReadDir)|\bioutil\.(?:ReadFile|ReadDir)|\bfilepath\.Walk(?:Dir)?",
    )
    .with_js_methods()
});

/// File writes (and moves, links and copies, which create files). A Python `open` (the
/// builtin or `Path.open`) writes only in a writing mode: see [`python_open_writes`].
pub static FILE_WRITE: LazyLock<Vocab> = LazyLock::new(|| {
    Vocab::new(
        r"\b(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|outputFile|outputFileSync|writeJson|writeJSON|writeJsonSync|outputJson|outputJsonSync|copyFile|copyFileSync|rename|renameSync|symlink|symlinkSync|cpSync)|\bBun\.write",
        r"\bopen|\bio\.open|\bcodecs\.open|\.open|\.write_text|\.write_bytes|\bshutil\.(?:copy\w*|move)|\bos\.(?:rename|replace|symlink)",
        r"\bos\.(?:WriteFile|Create|OpenFile|Rename|Symlink)|\bioutil\.WriteFile",
    )
    .with_js_methods()
});

/// Longest receiver shown with a method's name in messages.
const MAX_SHOWN_RECEIVER: usize = 40;

impl Call {
    /// True for a method matched by its `.name` (`.open`, `.read_text`).
    pub fn is_method(&self, code: &CodeText<'_>) -> bool {
        code.code[self.callee.clone()].starts_with('.')
    }

    /// The callee as a message shows it: a method with its receiver when short
    /// (`bashrc.open`, `parser.read`), other callees as matched.
    pub fn shown<'c>(&self, code: &'c CodeText<'_>) -> &'c str {
        let receiver = self
            .is_method(code)
            .then(|| code.receiver(self.callee.start))
            .flatten()
            .filter(|r| self.callee.start - r.start <= MAX_SHOWN_RECEIVER);
        match receiver {
            Some(r) => &code.code[r.start..self.callee.end],
            None => &code.code[self.callee.clone()],
        }
    }
}

static PY_OPEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:io\.|codecs\.|\.)?open$").expect("valid regex"));

static PY_WRITE_MODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|,)\s*(?:mode\s*=\s*)?[rb]?['"][rbt]*[wax+][rbt+]*['"]"#)
        .expect("valid regex")
});

/// For a Python `open(...)` call, whether its mode writes; `None` for other callees.
pub fn python_open_writes(code: &CodeText<'_>, call: &Call) -> Option<bool> {
    if code.language != Language::Python || !PY_OPEN.is_match(&code.code[call.callee.clone()]) {
        return None;
    }
    Some(PY_WRITE_MODE.is_match(&code.code[call.args.clone()]))
}

/// References to the user's home directory.
pub static HOME_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\bhomedir\s*\(|\bprocess\.env(?:\.HOME|\.USERPROFILE|\[\s*['"](?:HOME|USERPROFILE)['"]\s*\])|\bexpanduser\s*\(|\bPath\.home\s*\(|\bos\.UserHomeDir\s*\(|getenv\s*\(\s*['"](?:HOME|USERPROFILE)['"]|environ(?:\.get\s*\(|\[)\s*['"](?:HOME|USERPROFILE)['"]|['"`]~[/\\]|\$HOME\b|%USERPROFILE%|%APPDATA%|\bAPPDATA\b|\bhome\s*=\s*os\.path\.expanduser"#,
    )
    .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    fn callees(vocab: &Vocab, src: &str, lang: Language) -> Vec<String> {
        let code = CodeText::new(src, lang).expect("code");
        vocab
            .calls(&code)
            .map(|c| src[c.callee].to_string())
            .collect()
    }

    #[test]
    fn methods_of_other_objects_are_not_bare_calls() {
        assert_eq!(
            callees(
                &EVAL,
                "re.compile(p)\ncompile(src, 'f', 'exec')\n",
                Language::Python
            ),
            vec!["compile"]
        );
        assert_eq!(
            callees(
                &EXEC,
                "/x/.exec(s); exec('ls'); cp.spawn('a')",
                Language::JavaScript
            ),
            vec!["exec", "cp.spawn"]
        );
    }

    #[test]
    fn python_open_modes() {
        let code = CodeText::new(
            "open(p, 'a')\nopen(p)\nopen(p, mode=\"rb\")\nrc.open(\"a\")\nrc.open()\n",
            Language::Python,
        )
        .expect("py");
        let modes: Vec<_> = FILE_WRITE
            .calls(&code)
            .filter_map(|c| python_open_writes(&code, &c))
            .collect();
        assert_eq!(modes, vec![true, false, false, true, false]);
    }

    #[test]
    fn words_in_strings_are_not_calls() {
        let src = "d = \"Runs git to fetch a repo\"; t = `${fetch(u)}`; fetch(u)";
        let code = CodeText::new(src, Language::JavaScript).expect("js");
        let at = |s: &str| src.find(s).expect("part");
        assert!(!NETWORK.in_code(&code, 0..at(";")));
        assert!(NETWORK.in_code(&code, at("t =")..at("; fetch")));
        assert!(NETWORK.in_code(&code, at("; fetch")..src.len()));
    }
}
