//! Sinks: which argument of which call is dangerous, and when.
//!
//! * Shell strings (`os.system`, `subprocess.*(…, shell=True)`, …) are commands.
//! * Argument vectors without a shell are safe from shell syntax; a tainted program is a
//!   command, a tainted argument after `sh -c` a command, after `python -c` code, of
//!   `open`/`xdg-open` something the OS opens, and a leading argument of an
//!   option-parsing program (`git`, `curl`, `tar`, `rg`, `find`, `ssh`, …) an argument
//!   injection unless a `--` precedes it, a dash check ran, or a constant prefix
//!   (`f"--branch={x}"`) keeps it from starting with `-`.
//! * `eval`/`exec`/`compile` evaluate code (restricted globals are no sandbox: medium).
//! * Filesystem calls and `Path` methods take paths; `execute`-family calls take SQL built
//!   by string formatting (parameterised queries are not flows); template constructors
//!   take template source; `pickle`/`marshal`/`yaml.load` without a safe loader
//!   deserialise; `webbrowser.open` opens.
//! * HTTP requests are handled in [`super::http`].

use assay_core::Confidence;
use tree_sitter::Node;

use super::calls::{Args, Callee};
use super::engine::FnCx;
use super::value::{Kind, Trace, Value};
use crate::taint::SinkKind;

/// Calls running their first argument through a shell.
const SHELL_STRING: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "commands.getoutput",
    "commands.getstatusoutput",
    "asyncio.create_subprocess_shell",
];
/// `subprocess` calls taking an argv list (or a string with `shell=True`).
const SUBPROCESS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "pty.spawn",
];
/// Calls taking the program and its arguments as separate positional arguments.
const EXEC_VARARGS: &[&str] = &["asyncio.create_subprocess_exec", "os.execl", "os.execlp"];
/// Code evaluation.
const CODE_EVAL: &[&str] = &["eval", "exec", "compile", "builtins.eval", "builtins.exec"];
/// Filesystem functions and the positions of their path arguments.
const PATH_FUNCTIONS: &[(&str, &[usize])] = &[
    ("open", &[0]),
    ("io.open", &[0]),
    ("codecs.open", &[0]),
    ("aiofiles.open", &[0]),
    ("os.open", &[0]),
    ("os.remove", &[0]),
    ("os.unlink", &[0]),
    ("os.rmdir", &[0]),
    ("os.removedirs", &[0]),
    ("os.listdir", &[0]),
    ("os.scandir", &[0]),
    ("os.makedirs", &[0]),
    ("os.mkdir", &[0]),
    ("os.walk", &[0]),
    ("os.chmod", &[0]),
    ("os.chown", &[0]),
    ("os.truncate", &[0]),
    ("os.rename", &[0, 1]),
    ("os.replace", &[0, 1]),
    ("os.symlink", &[0, 1]),
    ("os.link", &[0, 1]),
    ("shutil.rmtree", &[0]),
    ("shutil.copy", &[0, 1]),
    ("shutil.copy2", &[0, 1]),
    ("shutil.copyfile", &[0, 1]),
    ("shutil.copytree", &[0, 1]),
    ("shutil.move", &[0, 1]),
    ("glob.glob", &[0]),
    ("glob.iglob", &[0]),
    ("tarfile.open", &[0]),
    ("zipfile.ZipFile", &[0]),
    ("flask.send_file", &[0]),
    ("starlette.responses.FileResponse", &[0]),
    ("fastapi.responses.FileResponse", &[0]),
];
/// `pathlib.Path` methods touching the file system.
const PATH_METHODS: &[&str] = &[
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "mkdir",
    "touch",
    "iterdir",
    "rglob",
    "rename",
    "replace",
    "chmod",
    "symlink_to",
    "hardlink_to",
];
/// Template engines compiling their first argument.
const TEMPLATES: &[&str] = &[
    "jinja2.Template",
    "jinja2.environment.Template",
    "mako.template.Template",
    "tornado.template.Template",
    "flask.render_template_string",
    "django.template.Template",
];
/// Deserializers of untrusted data.
const DESERIALIZERS: &[&str] = &[
    "pickle.loads",
    "pickle.load",
    "_pickle.loads",
    "_pickle.load",
    "cPickle.loads",
    "cPickle.load",
    "dill.loads",
    "dill.load",
    "cloudpickle.loads",
    "cloudpickle.load",
    "jsonpickle.decode",
    "jsonpickle.loads",
    "marshal.loads",
    "marshal.load",
    "shelve.open",
    "pandas.read_pickle",
    "joblib.load",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
];
/// URL/file openers.
const OPENERS: &[&str] = &[
    "webbrowser.open",
    "webbrowser.open_new",
    "webbrowser.open_new_tab",
    "os.startfile",
    "click.launch",
];
/// Programs a caller's argument must not reach as an option.
const OPTION_PROGRAMS: &[&str] = &[
    "git",
    "kubectl",
    "curl",
    "wget",
    "tar",
    "rg",
    "grep",
    "egrep",
    "find",
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "docker",
    "podman",
    "helm",
    "gh",
    "npm",
    "npx",
    "pip",
    "pip3",
    "yarn",
    "pnpm",
    "aws",
    "gcloud",
    "az",
    "terraform",
    "ffmpeg",
    "convert",
    "magick",
    "zip",
    "unzip",
    "7z",
    "sed",
    "xargs",
    "psql",
    "mysql",
    "sqlite3",
    "openssl",
    "hg",
    "svn",
    "sort",
    "less",
    "man",
    "tcpdump",
    "nmap",
    "cp",
    "mv",
    "ls",
    "chmod",
    "chown",
    "ln",
    "env",
    "uv",
    "uvx",
    "go",
    "cargo",
    "make",
    "mvn",
    "gradle",
    "java",
    "jq",
    "yq",
    "pandoc",
    "wkhtmltopdf",
];
/// Shells: an argument after `-c` is a command line.
const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "cmd",
    "powershell",
    "pwsh",
];
/// Interpreters: an argument after `-c`/`-e` is code.
const INTERPRETERS: &[&str] = &[
    "python",
    "python3",
    "python2",
    "node",
    "nodejs",
    "perl",
    "ruby",
    "php",
    "deno",
    "bun",
    "osascript",
];
/// Programs handing their argument to the desktop to open.
const OPEN_PROGRAMS: &[&str] = &["open", "xdg-open", "start", "explorer", "gio", "gnome-open"];

/// One element of an argument vector.
struct Element<'t> {
    node: Node<'t>,
    value: Value<'t>,
}

impl<'t> FnCx<'_, '_, 't> {
    /// Records the flows of tainted arguments into the sinks of this call.
    pub(super) fn check_sinks(&mut self, callee: &Callee<'t>, call: Node<'t>, args: &Args<'t>) {
        let name = callee.canonical.as_str();
        let display = callee.display();
        let first = args.positional.first().map(|(n, v)| (*n, v));
        if SHELL_STRING.contains(&name) {
            if let Some((_, value)) = args.get(0, "cmd") {
                self.all(value, SinkKind::Command, &display, call, None);
            }
            return;
        }
        if SUBPROCESS.contains(&name) {
            if let Some((node, value)) = args.get(0, "args") {
                let shell = args
                    .keyword("shell")
                    .is_some_and(|(v, _)| !matches!(v.kind(), "false" | "none" | "integer"));
                self.subprocess(&display, call, node, value, shell);
            }
            return;
        }
        if EXEC_VARARGS.contains(&name) {
            let elements = args
                .positional
                .iter()
                .map(|(node, value)| Element {
                    node: *node,
                    value: value.clone(),
                })
                .collect();
            self.argv(&display, call, elements, None);
            return;
        }
        if CODE_EVAL.contains(&name) && self.index().function_named(name).is_none() {
            if let Some((_, value)) = first {
                let restricted = name != "compile"
                    && (args.positional.len() > 1 || args.keyword("globals").is_some());
                let note = restricted.then(|| {
                    (
                        call,
                        "restricted globals are no sandbox: `().__class__.__mro__` walks reach `os` again"
                            .to_string(),
                        Confidence::Medium,
                    )
                });
                self.all(value, SinkKind::CodeEval, &display, call, note);
            }
            return;
        }
        if let Some((_, positions)) = PATH_FUNCTIONS.iter().find(|(n, _)| *n == name) {
            for &position in *positions {
                if let Some((_, value)) = args.positional.get(position) {
                    self.all(value, SinkKind::PathAccess, &display, call, None);
                }
            }
            return;
        }
        if TEMPLATES.contains(&name) || callee.method == Some("from_string") {
            if let Some((_, value)) = args.get(0, "source") {
                self.all(value, SinkKind::Template, &display, call, None);
            }
            return;
        }
        if DESERIALIZERS.contains(&name) || self.unsafe_yaml(name, args) || unsafe_load(name, args)
        {
            if let Some((_, value)) = first {
                self.all(value, SinkKind::Deserialize, &display, call, None);
            }
            return;
        }
        if OPENERS.contains(&name) {
            if let Some((_, value)) = first {
                self.all(value, SinkKind::OpenExternal, &display, call, None);
            }
            return;
        }
        if let Some(method) = callee.method {
            let path_method = PATH_METHODS.contains(&method)
                || (method == "open" && callee.receiver_value.kind == Kind::PathObject);
            if path_method && !self.is_module_receiver(callee) {
                let receiver = callee.receiver_value.clone();
                self.all(&receiver, SinkKind::PathAccess, &display, call, None);
                return;
            }
            if matches!(method, "execute" | "executemany" | "executescript")
                || name.ends_with(".read_sql")
                || name.ends_with(".read_sql_query")
            {
                if let Some((_, value)) = first {
                    self.sql(value, &display, call);
                }
                return;
            }
        }
        self.check_request(callee, call, args);
    }

    /// Every trace of `value` into `sink`.
    fn all(
        &mut self,
        value: &Value<'t>,
        sink: SinkKind,
        display: &str,
        call: Node<'t>,
        note: Option<(Node<'t>, String, Confidence)>,
    ) {
        for trace in &value.traces {
            self.hit(trace, sink, display, call, note.clone());
        }
    }

    /// A query built by formatting tainted data into SQL text.
    fn sql(&mut self, value: &Value<'t>, display: &str, call: Node<'t>) {
        let composed: Vec<Trace> = value
            .traces
            .iter()
            .filter(|t| t.composed)
            .cloned()
            .collect();
        for trace in &composed {
            self.hit(trace, SinkKind::Sql, display, call, None);
        }
    }

    /// `yaml.load(x)` / `yaml.load_all(x)` without a safe loader.
    fn unsafe_yaml(&self, name: &str, args: &Args<'t>) -> bool {
        if !matches!(name, "yaml.load" | "yaml.load_all") {
            return false;
        }
        let loader = args
            .get(1, "Loader")
            .map(|(node, _)| self.index().text_of(node));
        !loader.is_some_and(|l| l.contains("SafeLoader") || l.contains("BaseLoader"))
    }

    /// Whether a method's receiver is an imported module (`shutil.move` is not a
    /// `Path.replace`).
    fn is_module_receiver(&self, callee: &Callee<'t>) -> bool {
        callee.receiver.is_some_and(|r| {
            r.kind() == "identifier" && self.index().imports.binds(self.index().text_of(r))
        }) && callee.receiver_value.kind != Kind::PathObject
    }

    /// `subprocess.*(argv, shell=…)`.
    fn subprocess(
        &mut self,
        display: &str,
        call: Node<'t>,
        argv: Node<'t>,
        value: &Value<'t>,
        shell: bool,
    ) {
        let literal = self.index().statics.value(argv);
        let elements: Option<Vec<Element<'t>>> =
            matches!(literal.kind(), "list" | "tuple").then(|| {
                let mut cursor = literal.walk();
                let nodes: Vec<_> = literal
                    .named_children(&mut cursor)
                    .filter(|n| n.kind() != "comment")
                    .collect();
                nodes
                    .into_iter()
                    .map(|node| Element {
                        node,
                        value: self.eval(node),
                    })
                    .collect()
            });
        match (shell, elements) {
            (true, Some(elements)) => {
                if let Some(program) = elements.first() {
                    let value = program.value.clone();
                    self.all(&value, SinkKind::Command, display, call, None);
                }
            }
            (true, None) => self.all(value, SinkKind::Command, display, call, None),
            (false, Some(elements)) => self.argv(display, call, elements, Some(value)),
            (false, None) => {
                // A whole command line split into argv (`shlex.split(cmd)`): the caller
                // chooses the program.
                let note = (
                    argv,
                    "the whole argument vector, program included, comes from this value"
                        .to_string(),
                    Confidence::High,
                );
                self.all(value, SinkKind::Command, display, call, Some(note));
            }
        }
    }

    /// An argument vector run without a shell. `whole` is the vector's value when it is
    /// a variable (items appended to it after the literal carry their taint there).
    fn argv(
        &mut self,
        display: &str,
        call: Node<'t>,
        elements: Vec<Element<'t>>,
        whole: Option<&Value<'t>>,
    ) {
        let Some(first) = elements.first() else {
            return;
        };
        if first.value.is_tainted() {
            let note = (
                first.node,
                "the caller chooses the program to run".to_string(),
                Confidence::High,
            );
            let value = first.value.clone();
            self.all(&value, SinkKind::Command, display, call, Some(note));
            return;
        }
        let Some(program) = self.index().const_str(first.node).map(|p| program_name(&p)) else {
            return;
        };
        let program = program.as_str();
        let texts: Vec<Option<String>> = elements
            .iter()
            .map(|e| self.index().const_str(e.node))
            .collect();
        let flag_before = |i: usize, flags: &[&str]| {
            texts[..i]
                .iter()
                .any(|t| t.as_deref().is_some_and(|t| flags.contains(&t)))
        };
        for (i, element) in elements.iter().enumerate().skip(1) {
            if !element.value.is_tainted() {
                continue;
            }
            let value = element.value.clone();
            if SHELLS.contains(&program) && flag_before(i, &["-c", "/c", "/C", "-Command", "-lc"]) {
                self.all(&value, SinkKind::Command, display, call, None);
            } else if INTERPRETERS.contains(&program)
                && flag_before(i, &["-c", "-e", "--eval", "-r"])
            {
                self.all(&value, SinkKind::CodeEval, display, call, None);
            } else if OPEN_PROGRAMS.contains(&program) {
                self.all(&value, SinkKind::OpenExternal, display, call, None);
            } else if OPTION_PROGRAMS.contains(&program)
                && !flag_before(i, &["--"])
                && self.may_start_with_dash(element.node)
            {
                self.all(&value, SinkKind::Argument, display, call, None);
            }
        }
        // Items appended to an argv variable after its literal.
        let Some(whole) = whole else {
            return;
        };
        let from_elements = Value::union(elements.iter().map(|e| &e.value));
        let appended: Vec<Trace> = whole
            .traces
            .iter()
            .filter(|t| !from_elements.traces.iter().any(|e| e.origin == t.origin))
            .cloned()
            .collect();
        let has_separator = texts.iter().any(|t| t.as_deref() == Some("--"));
        for trace in &appended {
            if OPEN_PROGRAMS.contains(&program) {
                self.hit(trace, SinkKind::OpenExternal, display, call, None);
            } else if OPTION_PROGRAMS.contains(&program) && !has_separator {
                self.hit(trace, SinkKind::Argument, display, call, None);
            }
        }
    }

    /// Whether an argv element can start with caller-chosen text (a constant prefix such
    /// as `f"--output={x}"` or `"refs/" + x` keeps it from being read as an option).
    fn may_start_with_dash(&self, node: Node<'t>) -> bool {
        let index = self.index();
        match node.kind() {
            "string" => {
                let mut cursor = node.walk();
                let first = node
                    .named_children(&mut cursor)
                    .find(|c| c.kind() != "string_start");
                first.is_none_or(|f| f.kind() != "string_content")
            }
            "binary_operator" => node
                .child_by_field_name("left")
                .is_none_or(|l| index.const_str(l).is_none_or(|s| s.is_empty())),
            _ => true,
        }
    }
}

/// `torch.load(x)` without `weights_only=True`, `numpy.load(x, allow_pickle=True)`.
fn unsafe_load(name: &str, args: &Args<'_>) -> bool {
    let keyword_is = |k: &str, v: &str| args.keyword(k).is_some_and(|(node, _)| node.kind() == v);
    match name {
        "torch.load" => !keyword_is("weights_only", "true"),
        "numpy.load" | "np.load" => keyword_is("allow_pickle", "true"),
        _ => false,
    }
}

/// The program's base name (`/usr/bin/git` → `git`, `git.exe` → `git`).
fn program_name(program: &str) -> String {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    base.strip_suffix(".exe")
        .unwrap_or(base)
        .to_ascii_lowercase()
}
