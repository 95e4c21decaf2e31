//! What a `setup.py` runs when pip builds or installs it from source: custom setuptools
//! commands (`cmdclass={"install": …}`) and module-level code that reaches the network
//! or runs processes. Read from the syntax tree; nothing is executed.

use std::ops::Range;

use assay_core::Severity;
use tree_sitter::Node;

use crate::container::shell;
use crate::inventory::python::StaticModule;
use crate::lang::node_text;
use crate::manifest::find_setup_call;

/// setuptools commands pip runs when it installs or builds from a source distribution.
const INSTALL_COMMANDS: &[&str] = &[
    "install",
    "develop",
    "egg_info",
    "build",
    "build_py",
    "build_ext",
    "build_clib",
    "bdist_wheel",
    "bdist_egg",
    "sdist",
    "install_lib",
    "install_scripts",
    "install_data",
    "easy_install",
    "editable_wheel",
];

/// Calls that reach the network (matched on the callee's last dotted parts).
const NETWORK_CALLS: &[&str] = &[
    "urlopen",
    "urlretrieve",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.request",
    "httpx.get",
    "httpx.post",
    "httpx.Client",
    "HTTPConnection",
    "HTTPSConnection",
    "socket.socket",
    "socket.create_connection",
    "urllib.request.Request",
];

/// Calls that run processes or code.
const EXEC_CALLS: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "exec",
    "eval",
    "os.execv",
    "os.execvp",
    "os.spawnv",
    "os.spawnl",
];

/// What a risky call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Runs a process or evaluates code.
    Executes,
    /// Reaches the network.
    Network,
}

/// A risky call: where, what it calls, what it does.
#[derive(Debug, Clone)]
pub struct RiskyCall {
    /// The call's span.
    pub span: Range<usize>,
    /// The callee as written.
    pub callee: String,
    /// What it does.
    pub effect: Effect,
}

/// One install-time hook of a `setup.py`.
#[derive(Debug, Clone)]
pub struct Hook {
    /// Where to point: the command's class in `cmdclass`, or the first risky call.
    pub span: Range<usize>,
    /// What runs, in words.
    pub message: String,
    /// How bad it is.
    pub severity: Severity,
    /// The risky calls found in the hook's code.
    pub calls: Vec<RiskyCall>,
}

/// The install-time hooks of the `setup.py` rooted at `root`.
pub fn hooks(text: &str, root: Node<'_>) -> Vec<Hook> {
    let mut out = Vec::new();
    let module = StaticModule::new(text, root);
    if let Some(args) = find_setup_call(text, root)
        && let Some(cmdclass) = module.keyword(args, "cmdclass")
    {
        for (command, class) in module.dict(cmdclass) {
            if !INSTALL_COMMANDS.contains(&command.as_str()) {
                continue;
            }
            let class_name = node_text(class, text);
            let calls = find_class(text, root, class_name)
                .map(|body| risky_calls(text, body, true))
                .unwrap_or_default();
            let severity = if !calls.is_empty() {
                Severity::High
            } else if command == "build_ext" {
                Severity::Low
            } else {
                Severity::Medium
            };
            out.push(Hook {
                span: class.byte_range(),
                message: format!(
                    "`setup.py` replaces the `{command}` command with `{class_name}`, which runs when pip installs from source"
                ),
                severity,
                calls,
            });
        }
    }
    let module_calls: Vec<RiskyCall> = risky_calls(text, root, false)
        .into_iter()
        .filter(|c| !is_version_lookup(text, c))
        .collect();
    if let Some(first) = module_calls.first() {
        let network = module_calls.iter().any(|c| c.effect == Effect::Network);
        out.push(Hook {
            span: first.span.clone(),
            message: format!(
                "`setup.py` {} at module level, on every build or install from source",
                if network {
                    "reaches the network"
                } else {
                    "runs processes or evaluates code"
                }
            ),
            severity: if network {
                Severity::High
            } else {
                Severity::Medium
            },
            calls: module_calls,
        });
    }
    out
}

/// The body of the module-level `class name(...)`.
fn find_class<'t>(text: &str, root: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    root.named_children(&mut cursor).find_map(|child| {
        let class = match child.kind() {
            "class_definition" => child,
            "decorated_definition" => child.child_by_field_name("definition")?,
            _ => return None,
        };
        (class.kind() == "class_definition"
            && class
                .child_by_field_name("name")
                .is_some_and(|n| node_text(n, text) == name))
        .then(|| class.child_by_field_name("body"))
        .flatten()
    })
}

/// Risky calls under `node`; function and class bodies are entered only when
/// `enter_definitions` (module-level code does not run them).
fn risky_calls(text: &str, node: Node<'_>, enter_definitions: bool) -> Vec<RiskyCall> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if !enter_definitions
            && n != node
            && matches!(
                n.kind(),
                "function_definition" | "class_definition" | "lambda"
            )
        {
            continue;
        }
        if n.kind() == "call"
            && let Some(function) = n.child_by_field_name("function")
        {
            let callee = node_text(function, text);
            let effect = if matches_any(callee, NETWORK_CALLS) {
                Some(Effect::Network)
            } else if matches_any(callee, EXEC_CALLS) {
                // A literal command line that downloads (`os.system("curl … | sh")`).
                let command = literal_command(text, n);
                if shell::network_use(&command).is_some() {
                    Some(Effect::Network)
                } else {
                    Some(Effect::Executes)
                }
            } else {
                None
            };
            if let Some(effect) = effect {
                out.push(RiskyCall {
                    span: n.byte_range(),
                    callee: callee.to_string(),
                    effect,
                });
            }
        }
        let mut cursor = n.walk();
        let children: Vec<_> = n.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out.sort_by_key(|c| c.span.start);
    out
}

/// The literal command of a process call: its first argument's string, or the strings
/// of its first argument's list joined by spaces (empty when not literal).
fn literal_command(text: &str, call: Node<'_>) -> String {
    let Some(first) = call
        .child_by_field_name("arguments")
        .and_then(|args| args.named_child(0))
    else {
        return String::new();
    };
    let unquote = |n: Node<'_>| {
        node_text(n, text)
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .trim_matches(['"', '\''])
            .to_string()
    };
    match first.kind() {
        "string" => unquote(first),
        "list" | "tuple" => {
            let mut cursor = first.walk();
            first
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "string")
                .map(unquote)
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => String::new(),
    }
}

/// `callee` is one of `names`, or ends with `.name` for one of them.
fn matches_any(callee: &str, names: &[&str]) -> bool {
    names.iter().any(|name| {
        callee == *name
            || callee
                .strip_suffix(name)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// Routine module-level calls that are not hooks: reading the version from git
/// (`subprocess.check_output(["git", "describe"])`) or from a local file
/// (`exec(open("pkg/version.py").read())`).
fn is_version_lookup(text: &str, call: &RiskyCall) -> bool {
    let source = &text[call.span.clone()];
    let args = source.split_once('(').map_or("", |(_, a)| a).trim_start();
    let args = args.trim_start_matches(['[', '(']).trim_start();
    call.effect == Effect::Executes
        && [
            "\"git\"",
            "'git'",
            "\"git ",
            "'git ",
            "open(",
            "compile(open(",
        ]
        .iter()
        .any(|p| args.starts_with(p))
}
