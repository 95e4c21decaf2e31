//! Taint analysis: data from tool parameters and untrusted remote content flowing into
//! dangerous sinks.
//!
//! The analysis has two stages, so that files can still be analysed in parallel:
//!
//! 1. **Per file** ([`summarize`]): each language module walks the file's syntax tree and
//!    produces a [`FileSummary`]: the flows it can complete inside the file
//!    ([`TaintFlow`]), a [`FunctionSummary`] for every function other files may call (which
//!    parameter reaches which sink), and the [`TaintedCall`]s it makes to functions defined
//!    elsewhere with tainted arguments.
//! 2. **Per package** ([`link`]): tainted calls are joined with the summaries of the
//!    functions they call (resolved by module path and name, bounded depth), producing the
//!    cross-file flows. Every flow carries its full path, hop by hop, for SARIF `codeFlows`.
//!
//! Sources are the parameters of the handlers the inventory found (and handler-like
//! functions the language module recognises, e.g. low-level `CallTool` handlers reading
//! `request.params.arguments`), plus untrusted remote data (HTTP response bodies, OAuth
//! metadata, headers such as `WWW-Authenticate`, fetched pages). Sanitizers (argument
//! arrays without a shell, `--`, `shlex.quote`, numeric conversion, allowlists, correct
//! containment checks, parameterised SQL, …) stop a flow or lower its confidence; the
//! language modules apply them, the rules only read the resulting flows.

pub mod go;
pub mod js;
pub mod python;

use std::collections::HashMap;

use assay_core::{Confidence, FlowStep, Inventory};

use crate::context::PathContext;
use crate::lang::Language;
use crate::registry::FileContext;

/// What kind of dangerous operation a flow ends in. Each `AS2xx` rule claims some kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SinkKind {
    /// A shell command line (`exec`, `execSync`, `spawn(…, {shell: true})`, `os.system`,
    /// `subprocess.*(shell=True)`, `exec.Command("sh", "-c", …)`).
    Command,
    /// A leading argument of a program run without a shell that could be read as an
    /// option (`git <tainted>`, `curl <tainted>` with no `--` and no dash check).
    Argument,
    /// Code evaluation (`eval`, `new Function`, `vm.run*`, Python `eval`/`exec`).
    CodeEval,
    /// A filesystem path read, written, listed or deleted.
    PathAccess,
    /// A URL or host an HTTP client requests (SSRF).
    Url,
    /// A SQL query string.
    Sql,
    /// A template compiled or rendered from the string (server-side template injection).
    Template,
    /// Unsafe deserialization (`pickle`, `yaml.load`, `marshal`, `node-serialize`).
    Deserialize,
    /// A credential (token, API key, cookie) sent to a host the caller chose.
    CredentialToHost,
    /// A URL or file handed to the OS to open (`open`, `xdg-open`, `start`, `webbrowser`).
    OpenExternal,
    /// Data placed in the body, query or headers of an outbound request to a fixed host
    /// (not an SSRF by itself; the exfiltration-channel rule looks at these).
    OutboundData,
}

/// A set of sink kinds: what a sanitiser made data safe for, in every language module and
/// in the summaries that carry it across modules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SinkKinds(u16);

impl SinkKinds {
    /// Every kind.
    pub const ALL: SinkKinds = SinkKinds(u16::MAX);

    /// The set of `kinds`.
    pub fn of(kinds: &[SinkKind]) -> SinkKinds {
        SinkKinds(kinds.iter().fold(0, |acc, k| acc | bit(*k)))
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: SinkKind) -> bool {
        self.0 & bit(kind) != 0
    }

    /// The union.
    pub fn union(self, other: SinkKinds) -> SinkKinds {
        SinkKinds(self.0 | other.0)
    }

    /// The intersection.
    pub fn intersect(self, other: SinkKinds) -> SinkKinds {
        SinkKinds(self.0 & other.0)
    }

    /// Every kind but `kind`.
    pub fn all_but(kind: SinkKind) -> SinkKinds {
        SinkKinds(!bit(kind))
    }
}

fn bit(kind: SinkKind) -> u16 {
    1 << (kind as u16)
}

/// A side effect a handler has, whether or not tainted data reaches it. Metadata rules
/// compare these with what a tool declares (annotations, description).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EffectKind {
    /// Runs a process or evaluates code.
    Execute,
    /// Creates, writes, renames or changes files.
    FileWrite,
    /// Deletes files or directories.
    FileDelete,
    /// Reads files.
    FileRead,
    /// Sends a request or opens a connection off-host.
    Network,
}

/// One effect found in a handler (directly or in a same-file function it calls).
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// What kind.
    pub kind: EffectKind,
    /// The call that has the effect, as written (`fs.writeFile`, `subprocess.run`).
    pub callee: String,
    /// Where the call is.
    pub location: assay_core::Location,
}

/// The effects of one handler of the file's inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerEffects {
    /// The tool (prompt, resource) name, as in the inventory.
    pub tool: String,
    /// Where the handler is.
    pub handler: assay_core::Location,
    /// Its effects, in source order.
    pub effects: Vec<Effect>,
}

/// Where tainted data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A parameter of a tool, prompt or resource handler.
    ToolParameter {
        /// The tool (or prompt/resource) name, when known.
        tool: Option<String>,
        /// The parameter name.
        param: String,
    },
    /// Untrusted remote data: an HTTP response, OAuth metadata, a fetched page, a header.
    RemoteData {
        /// What it is, e.g. `HTTP response body` or `OAuth authorization_endpoint`.
        what: String,
    },
}

/// A complete flow from a source to a sink.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintFlow {
    /// The sink kind.
    pub sink: SinkKind,
    /// Where the data comes from.
    pub source: SourceKind,
    /// Every hop, source first and sink last (at least two steps).
    pub steps: Vec<FlowStep>,
    /// The sink's callee as written, e.g. `child_process.exec` or `subprocess.run`.
    pub sink_callee: String,
    /// The sink's source line, trimmed (what a finding shows as its snippet).
    pub sink_snippet: String,
    /// The tool the flow belongs to, if any.
    pub tool: Option<String>,
    /// High when every hop is resolved; lower when the sink argument is only partly
    /// resolved or a weak sanitizer sits on the path.
    pub confidence: Confidence,
    /// Role of the sink's file (tests and examples lower a finding's confidence).
    pub context: PathContext,
}

/// How a parameter of a function reaches a sink inside that function (or further).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamFlow {
    /// Zero-based index of the parameter (for object-destructured parameters, the index
    /// of the object; `field` names the property).
    pub param_index: usize,
    /// The destructured property, when the parameter is an object pattern.
    pub field: Option<String>,
    /// The sink kind.
    pub sink: SinkKind,
    /// Hops from the parameter (first step) to the sink (last step).
    pub steps: Vec<FlowStep>,
    /// The sink's callee as written.
    pub sink_callee: String,
    /// The sink's source line.
    pub sink_snippet: String,
    /// Confidence of this partial flow.
    pub confidence: Confidence,
}

/// What a function does with its parameters, for callers in other files.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSummary {
    /// The module the function lives in: the file's snapshot path without its extension
    /// (`src/tools/run` for `src/tools/run.ts`); Go uses the directory (its package).
    pub module: String,
    /// The function's name as other modules import or call it (`run`, `Runner.run`).
    pub name: String,
    /// Parameters that reach sinks.
    pub flows: Vec<ParamFlow>,
    /// Parameters passed on to functions of other modules (followed by [`link`], bounded).
    pub forwards: Vec<ParamForward>,
}

/// A parameter passed on, unsanitised, to a function defined in another module.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamForward {
    /// Which parameter of the summarised function.
    pub param_index: usize,
    /// The property, for destructured parameters.
    pub field: Option<String>,
    /// The call it is passed to.
    pub call: CallTarget,
    /// Hops from the parameter to the call.
    pub steps: Vec<FlowStep>,
    /// Sink kinds the parameter was sanitised for before the call (a containment check,
    /// an allowlist): [`link`] follows it into no flow of these kinds.
    pub cleared: SinkKinds,
}

/// The function a call resolves to, as far as one file can tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallTarget {
    /// The callee module (resolved import, same normalisation as
    /// [`FunctionSummary::module`]), or `None` when the name was not imported (Go calls to
    /// functions of the same package use the file's own directory).
    pub module: Option<String>,
    /// The function name in that module.
    pub name: String,
    /// Which argument carries the taint.
    pub arg_index: usize,
    /// The property of that argument, when the callee destructures it.
    pub field: Option<String>,
}

/// A call with a tainted argument to a function this file does not define.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintedCall {
    /// The callee.
    pub call: CallTarget,
    /// Where the taint comes from.
    pub source: SourceKind,
    /// Hops from the source to the call site (the call is the last step).
    pub steps: Vec<FlowStep>,
    /// The tool the flow belongs to, if any.
    pub tool: Option<String>,
    /// Confidence so far.
    pub confidence: Confidence,
    /// Sink kinds the argument was sanitised for before the call: a callee's flow into
    /// one of these is not a flow of this data.
    pub cleared: SinkKinds,
}

/// Everything the taint analysis learned from one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSummary {
    /// Flows complete within the file.
    pub flows: Vec<TaintFlow>,
    /// Functions other files may call.
    pub functions: Vec<FunctionSummary>,
    /// Tainted calls to functions defined elsewhere.
    pub calls: Vec<TaintedCall>,
    /// Effects of the handlers the file's inventory declares.
    pub handlers: Vec<HandlerEffects>,
}

impl FileSummary {
    /// True when the file contributes nothing.
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
            && self.functions.is_empty()
            && self.calls.is_empty()
            && self.handlers.is_empty()
    }
}

/// How many modules a flow may cross.
pub const MAX_LINK_DEPTH: usize = 4;

/// A prefilter: whether the file may contain a source or a sink this analysis knows,
/// so that it must be parsed.
pub fn might_matter(language: Language, text: &str) -> bool {
    match language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => js::might_matter(text),
        Language::Python => python::might_matter(text),
        Language::Go => go::might_matter(text),
        Language::Other => false,
    }
}

/// Summarises one parsed file. `inventory` is the surface this file declares (its
/// handlers are the tool-parameter sources).
pub fn summarize(file: &FileContext<'_>, inventory: &Inventory) -> FileSummary {
    let Some(tree) = file.tree else {
        return FileSummary::default();
    };
    match file.language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            js::summarize(file, tree, inventory)
        }
        Language::Python => python::summarize(file, tree, inventory),
        Language::Go => go::summarize(file, tree, inventory),
        Language::Other => FileSummary::default(),
    }
}

/// Joins the per-file summaries of a package into the list of all flows: the complete
/// in-file flows plus every cross-module flow found by following tainted calls into
/// function summaries (and their forwards) up to [`MAX_LINK_DEPTH`] modules. Output is
/// deterministic (sorted by sink location, then source).
pub fn link(summaries: &[FileSummary]) -> Vec<TaintFlow> {
    let mut by_target: HashMap<(&str, &str), Vec<&FunctionSummary>> = HashMap::new();
    for function in summaries.iter().flat_map(|s| &s.functions) {
        by_target
            .entry((function.module.as_str(), function.name.as_str()))
            .or_default()
            .push(function);
    }
    let mut flows: Vec<TaintFlow> = summaries.iter().flat_map(|s| s.flows.clone()).collect();
    for call in summaries.iter().flat_map(|s| &s.calls) {
        follow(
            &by_target,
            call,
            &call.call,
            call.steps.clone(),
            call.cleared,
            0,
            &mut flows,
        );
    }
    // A total order (sink, source, every hop), so the output never depends on the order
    // files finished in.
    flows.sort_by_cached_key(|f| {
        let hops: Vec<(assay_core::Location, String)> = f
            .steps
            .iter()
            .map(|s| (s.location.clone(), s.message.clone()))
            .collect();
        (
            f.steps.last().map(|s| s.location.clone()),
            f.steps.first().map(|s| s.location.clone()),
            f.sink,
            hops,
            f.tool.clone(),
        )
    });
    flows.dedup();
    flows
}

fn follow(
    by_target: &HashMap<(&str, &str), Vec<&FunctionSummary>>,
    origin: &TaintedCall,
    target: &CallTarget,
    steps: Vec<FlowStep>,
    cleared: SinkKinds,
    depth: usize,
    out: &mut Vec<TaintFlow>,
) {
    if depth >= MAX_LINK_DEPTH {
        return;
    }
    let Some(module) = target.module.as_deref() else {
        return;
    };
    let Some(functions) = by_target.get(&(module, target.name.as_str())) else {
        return;
    };
    let matches = |index: usize, field: &Option<String>| {
        index == target.arg_index
            && (field.is_none() || target.field.is_none() || *field == target.field)
    };
    for function in functions {
        for flow in function
            .flows
            .iter()
            .filter(|f| matches(f.param_index, &f.field) && !cleared.contains(f.sink))
        {
            let mut path = steps.clone();
            path.extend(flow.steps.iter().cloned());
            let context = flow.steps.last().map_or(PathContext::Production, |s| {
                PathContext::of(&s.location.path)
            });
            out.push(TaintFlow {
                sink: flow.sink,
                source: origin.source.clone(),
                steps: path,
                sink_callee: flow.sink_callee.clone(),
                sink_snippet: flow.sink_snippet.clone(),
                tool: origin.tool.clone(),
                confidence: origin.confidence.min(flow.confidence),
                context,
            });
        }
        for forward in function
            .forwards
            .iter()
            .filter(|f| matches(f.param_index, &f.field))
        {
            let mut path = steps.clone();
            path.extend(forward.steps.iter().cloned());
            let cleared = cleared.union(forward.cleared);
            follow(
                by_target,
                origin,
                &forward.call,
                path,
                cleared,
                depth + 1,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::Location;

    fn step(path: &str, line: u32, message: &str) -> FlowStep {
        FlowStep {
            location: Location::point(path, line, 1),
            message: message.to_string(),
        }
    }

    fn target(module: &str, name: &str) -> CallTarget {
        CallTarget {
            module: Some(module.to_string()),
            name: name.to_string(),
            arg_index: 0,
            field: None,
        }
    }

    #[test]
    fn links_calls_through_forwards_into_sinks_across_modules() {
        let index = FileSummary {
            calls: vec![TaintedCall {
                call: target("src/a", "run"),
                source: SourceKind::ToolParameter {
                    tool: Some("t".into()),
                    param: "cmd".into(),
                },
                steps: vec![
                    step("src/index.ts", 3, "tool parameter `cmd`"),
                    step("src/index.ts", 5, "run(cmd)"),
                ],
                tool: Some("t".into()),
                confidence: Confidence::High,
                cleared: SinkKinds::default(),
            }],
            ..FileSummary::default()
        };
        let a = FileSummary {
            functions: vec![FunctionSummary {
                module: "src/a".into(),
                name: "run".into(),
                flows: vec![],
                forwards: vec![ParamForward {
                    param_index: 0,
                    field: None,
                    call: target("src/b", "sh"),
                    steps: vec![step("src/a.ts", 2, "sh(c)")],
                    cleared: SinkKinds::default(),
                }],
            }],
            ..FileSummary::default()
        };
        let b = FileSummary {
            functions: vec![FunctionSummary {
                module: "src/b".into(),
                name: "sh".into(),
                flows: vec![ParamFlow {
                    param_index: 0,
                    field: None,
                    sink: SinkKind::Command,
                    steps: vec![step("src/b.ts", 7, "exec(c)")],
                    sink_callee: "exec".into(),
                    sink_snippet: "exec(c)".into(),
                    confidence: Confidence::Medium,
                }],
                forwards: vec![],
            }],
            ..FileSummary::default()
        };
        let flows = link(&[index.clone(), a.clone(), b.clone()]);
        assert_eq!(flows.len(), 1);
        let flow = &flows[0];
        assert_eq!(flow.sink, SinkKind::Command);
        assert_eq!(flow.confidence, Confidence::Medium);
        let hops: Vec<u32> = flow.steps.iter().map(|s| s.location.line).collect();
        assert_eq!(hops, vec![3, 5, 2, 7]);
        assert_eq!(flow.tool.as_deref(), Some("t"));

        // Data sanitised for another kind still reaches the shell.
        let mut other = index.clone();
        other.calls[0].cleared = SinkKinds::of(&[SinkKind::PathAccess]);
        assert_eq!(link(&[other, a.clone(), b.clone()]).len(), 1);
        // Sanitised for commands before the call, or inside `run` before it forwards:
        // no flow.
        let mut before = index.clone();
        before.calls[0].cleared = SinkKinds::of(&[SinkKind::Command]);
        assert!(link(&[before, a.clone(), b.clone()]).is_empty());
        let mut inside = a;
        inside.functions[0].forwards[0].cleared = SinkKinds::of(&[SinkKind::Command]);
        assert!(link(&[index, inside, b]).is_empty());
    }

    #[test]
    fn unresolved_or_mismatched_calls_link_to_nothing() {
        let call = |arg_index| FileSummary {
            calls: vec![TaintedCall {
                call: CallTarget {
                    arg_index,
                    ..target("src/b", "sh")
                },
                source: SourceKind::RemoteData {
                    what: "HTTP response body".into(),
                },
                steps: vec![step("src/i.ts", 1, "x")],
                tool: None,
                confidence: Confidence::High,
                cleared: SinkKinds::default(),
            }],
            ..FileSummary::default()
        };
        let b = FileSummary {
            functions: vec![FunctionSummary {
                module: "src/b".into(),
                name: "sh".into(),
                flows: vec![ParamFlow {
                    param_index: 0,
                    field: None,
                    sink: SinkKind::Command,
                    steps: vec![step("src/b.ts", 7, "exec(c)")],
                    sink_callee: "exec".into(),
                    sink_snippet: "exec(c)".into(),
                    confidence: Confidence::High,
                }],
                forwards: vec![],
            }],
            ..FileSummary::default()
        };
        assert!(
            link(&[call(1), b.clone()]).is_empty(),
            "argument 1 does not reach the sink"
        );
        assert_eq!(link(&[call(0), b]).len(), 1);
    }
}
