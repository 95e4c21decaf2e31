//! Sinks: which argument of which call is dangerous, and when.
//!
//! * Shell strings (`os.system`, `subprocess.*(…, shell=True)`, …) are commands.
//! * Argument vectors without a shell are judged in [`super::argv`].
//! * `eval`/`exec`/`compile` evaluate code (restricted globals are no sandbox: medium).
//! * Filesystem calls and `Path` methods take paths; `execute`-family calls take SQL built
//!   by string formatting (parameterised queries are not flows); template constructors
//!   take template source; `pickle`/`marshal`/`yaml.load` without a safe loader
//!   deserialise; `webbrowser.open` opens.
//! * GitPython commands (`repo.git.<command>(…)`) pass their positional arguments to the
//!   git CLI: leading-dash data is option injection.
//! * HTTP requests are handled in [`super::http`].

use assay_core::Confidence;
use tree_sitter::Node;

use super::argv::Element;
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
        let from_string = callee.method == Some("from_string") && !self.sandboxed(callee);
        if TEMPLATES.contains(&name) || from_string {
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
        if self.is_gitpython_command(callee) {
            // GitPython passes positional arguments straight to the git CLI:
            // `repo.git.diff(target)` with `target = "--output=/etc/x"` writes files.
            let elements: Vec<Element<'t>> = args
                .positional
                .iter()
                .map(|(node, value)| Element {
                    node: *node,
                    value: value.clone(),
                })
                .collect();
            let exposed = self.option_exposed(&elements);
            self.all(&exposed, SinkKind::Argument, &display, call, None);
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

    /// Whether a `from_string` receiver is a jinja2 `SandboxedEnvironment`.
    fn sandboxed(&self, callee: &Callee<'t>) -> bool {
        let index = self.index();
        callee.receiver.is_some_and(|r| {
            let def = index.statics.value(r);
            def.kind() == "call"
                && def
                    .child_by_field_name("function")
                    .is_some_and(|f| index.text_of(f).ends_with("SandboxedEnvironment"))
        })
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

    /// Whether the call is a GitPython command: a method of a `<repo>.git` attribute
    /// (`repo.git.checkout(x)`, `self.repo.git.log(x)`).
    fn is_gitpython_command(&self, callee: &Callee<'t>) -> bool {
        callee.method.is_some()
            && callee.receiver.is_some_and(|r| {
                r.kind() == "attribute"
                    && r.child_by_field_name("attribute")
                        .is_some_and(|a| self.index().text_of(a) == "git")
            })
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
        let elements = self.argv_elements(argv);
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
                let before = self.out.hits.len();
                self.all(value, SinkKind::Command, display, call, Some(note));
                for hit in &mut self.out.hits[before..] {
                    hit.whole_argv = true;
                }
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
        for flow in self.argv_flows(&elements) {
            self.all(&flow.value, flow.sink, display, call, flow.note);
        }
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
        let Some(sink) = self.appended_sink(&elements) else {
            return;
        };
        for trace in &appended {
            self.hit(trace, sink, display, call, None);
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
