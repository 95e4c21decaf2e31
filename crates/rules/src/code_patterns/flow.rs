//! A small, bounded, scope-less local data flow: which variables hold a value derived from
//! some kind of expression (a decoder call, a network response, an incoming
//! `Authorization` header). It follows plain assignments in source order, within a
//! window of [`WINDOW`] bytes, which is what "the same function" looks like in source and
//! in minified bundles alike.
//!
//! It is deliberately simpler than the taint engine: no call resolution, no sanitizer
//! model beyond a caller-given stop test. Rules use it to connect two halves of one
//! pattern (`const code = atob(blob); … eval(code)`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::functions::Function;
use super::{CodeText, js_assign};

/// How far (bytes) a derived variable is followed after its assignment.
pub const WINDOW: usize = 6_000;

/// Most assignments looked at in one file; a file with more is analysed in reduced mode
/// (see [`CodeText::exceeded`]).
pub const MAX_ASSIGNMENTS: usize = 50_000;

/// Most derivations recorded for one name.
const MAX_OFFSETS: usize = 1_024;

/// Most derived variables tracked in one file.
const MAX_DERIVED: usize = 256;

/// One assignment `names = rhs`.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The assigned names (several for destructuring or tuple targets), dotted paths kept
    /// (`tool.description`).
    pub names: Vec<String>,
    /// The right-hand side.
    pub rhs: Range<usize>,
    /// Where the assignment starts.
    pub at: usize,
}

static PY_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*(?::[^=\n]{1,80})?(?:\+)?=|\bwith\s+[^\n]{1,300}?\bas\s+([A-Za-z_]\w*)|\bfor\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\b",
    )
    .expect("valid regex")
});

static GO_ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bvar\s+)?([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*(?:[A-Za-z_][\w.\[\]*]*\s*)?(?::=|\+=|=)")
        .expect("valid regex")
});

/// Go out-parameters: `json.Unmarshal(body, &v)`, `dec.Decode(&v)` assign `v`.
static GO_OUT_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:json|xml|yaml|toml)\.Unmarshal\s*\([^,()]+(?:\([^()]*\))?[^,()]*,\s*&([A-Za-z_]\w*)\s*\)|\.Decode\s*\(\s*&([A-Za-z_]\w*)\s*\)")
        .expect("valid regex")
});

/// JavaScript loops binding a name to each element: `for (const f of LIST)`,
/// `for (const k in OBJ)`; the iterated expression is the source.
static JS_FOR_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfor\s*(?:await\s*)?\(\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*|\{[^{}=;]{0,300}\}|\[[^\[\]=;]{0,300}\])\s+(?:of|in)\b")
        .expect("valid regex")
});

static IDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*").expect("valid regex")
});

/// The assignments of one file, and whether there were more than [`MAX_ASSIGNMENTS`].
#[derive(Debug, Default)]
pub struct Assignments {
    /// The assignments, in source order.
    pub list: Vec<Assignment>,
    /// True when the file has more assignments than were kept.
    pub truncated: bool,
}

/// Every assignment of the file, in source order (bounded). Rules use the file's shared
/// copy, [`CodeText::assignments`].
pub fn assignments(code: &CodeText<'_>) -> Assignments {
    let text = code.code.as_str();
    let mut out = Vec::new();
    let mut truncated = false;
    if code.is_js() {
        for found in js_assign::find(text) {
            if out.len() >= MAX_ASSIGNMENTS {
                truncated = true;
                break;
            }
            if code.in_string(found.at) {
                continue;
            }
            if let Some(names) = target_names(&text[found.target]) {
                out.push(Assignment {
                    names,
                    rhs: code.statement_from(found.end),
                    at: found.at,
                });
            }
        }
    }
    let regex: Option<&Regex> = match code.language {
        crate::lang::Language::Python => Some(&PY_ASSIGN),
        crate::lang::Language::Go => Some(&GO_ASSIGN),
        _ => None,
    };
    let bytes = text.as_bytes();
    for caps in regex.into_iter().flat_map(|r| r.captures_iter(text)) {
        if out.len() >= MAX_ASSIGNMENTS {
            truncated = true;
            break;
        }
        let whole = caps.get(0).expect("match");
        if code.in_string(whole.start()) {
            continue;
        }
        let (group, target) = (1..=3)
            .find_map(|i| caps.get(i).map(|m| (i, m)))
            .expect("a target group");
        let end = whole.end();
        let rhs = match group {
            // `with EXPR as name`: the expression is the source.
            2 => whole.start() + 4..target.start(),
            // `for name in EXPR`.
            3 => code.statement_from(end),
            _ => {
                // `==` and `=>` are not assignments.
                if matches!(bytes.get(end), Some(b'=' | b'>')) {
                    continue;
                }
                code.statement_from(end)
            }
        };
        let Some(names) = target_names(&text[target.range()]) else {
            continue;
        };
        out.push(Assignment {
            names,
            rhs,
            at: whole.start(),
        });
    }
    if code.is_js() {
        let mut loops = Vec::new();
        for caps in JS_FOR_OF.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            if code.in_string(whole.start()) {
                continue;
            }
            if out.len() + loops.len() >= MAX_ASSIGNMENTS {
                truncated = true;
                break;
            }
            let open = whole.start() + whole.as_str().find('(').expect("a `(`");
            let rhs = whole.end()..code.group_inner(open).end;
            let names = IDENT
                .find_iter(caps.get(1).expect("a target").as_str())
                .map(|m| m.as_str().to_string())
                .collect();
            loops.push(Assignment {
                names,
                rhs,
                at: whole.start(),
            });
        }
        if !loops.is_empty() {
            out.extend(loops);
            out.sort_by_key(|a| a.at);
        }
    }
    if code.language == crate::lang::Language::Go {
        for caps in GO_OUT_PARAM.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let name = caps.get(1).or_else(|| caps.get(2)).expect("a name group");
            let start = code.line_start(whole.start());
            out.push(Assignment {
                names: vec![name.as_str().to_string()],
                rhs: start..whole.end(),
                at: start,
            });
        }
        out.sort_by_key(|a| a.at);
    }
    Assignments {
        list: out,
        truncated,
    }
}

/// The names an assignment target binds (`?.` read as `.`), or `None` when it binds
/// none.
fn target_names(target: &str) -> Option<Vec<String>> {
    let names = IDENT
        .find_iter(target)
        .map(|m| m.as_str().replace("?.", "."))
        .filter(|n| !matches!(n.as_str(), "const" | "let" | "var" | "await" | "_"))
        .collect::<Vec<_>>();
    (!names.is_empty()).then_some(names)
}

/// The assignments made at most [`WINDOW`] bytes before `pos`, latest first
/// (`assignments` is in source order).
pub fn assigned_before(
    assignments: &[Assignment],
    pos: usize,
) -> impl Iterator<Item = &Assignment> {
    let end = assignments.partition_point(|a| a.at < pos);
    let start = assignments.partition_point(|a| a.at + WINDOW < pos);
    assignments[start..end.max(start)].iter().rev()
}

/// True when `text` mentions `name` as a whole identifier (or the head of a dotted path).
pub fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        before.is_none_or(|c| !is_ident(c) && c != '.') && after.is_none_or(|c| !is_ident(c))
    })
}

/// Variables derived from some expression, each with the offset of the assignment that
/// made it so.
#[derive(Debug, Default, Clone)]
pub struct Derived {
    /// Each derived name with the offsets of the assignments that derived it, in order
    /// (a name reused in several functions is derived in each).
    vars: HashMap<String, Vec<usize>>,
    /// Parameters of local functions called with a derived argument, each derived
    /// throughout the function's body.
    params: Vec<(String, Range<usize>)>,
}

/// A name followed by `(`: a call, or a definition.
static CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([A-Za-z_$][\w$]*)\s*\(").expect("valid regex"));

/// Most parameters derived through calls in one file.
const MAX_PARAMS: usize = 256;

impl Derived {
    /// Follows `assignments` in order: a target becomes derived when its right-hand side
    /// satisfies `seed`, or mentions a variable derived at most [`WINDOW`] bytes earlier,
    /// unless `stop` holds for the right-hand side (a sanitizer or transformation that
    /// ends the flow).
    pub fn compute(
        code: &CodeText<'_>,
        assignments: &[Assignment],
        seed: impl Fn(&str) -> bool,
        stop: impl Fn(&str) -> bool,
    ) -> Derived {
        Derived::compute_in(
            code,
            assignments,
            |rhs| seed(&code.code[rhs]),
            |rhs| stop(&code.code[rhs]),
        )
    }

    /// [`Derived::compute`] with tests that see where the right-hand side is (to tell
    /// code from string literals, say).
    pub fn compute_in(
        code: &CodeText<'_>,
        assignments: &[Assignment],
        seed: impl Fn(Range<usize>) -> bool,
        stop: impl Fn(Range<usize>) -> bool,
    ) -> Derived {
        let mut derived = Derived::default();
        for a in assignments {
            if derived.vars.len() >= MAX_DERIVED {
                break;
            }
            let rhs = &code.code[a.rhs.clone()];
            if rhs.trim().is_empty() || stop(a.rhs.clone()) {
                continue;
            }
            if seed(a.rhs.clone()) || derived.mentioned(code, a.rhs.clone()).is_some() {
                for name in &a.names {
                    let offsets = derived.vars.entry(name.clone()).or_default();
                    if offsets.len() < MAX_OFFSETS {
                        offsets.push(a.at);
                    }
                }
            }
        }
        derived
    }

    /// True when no variable is derived.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty() && self.params.is_empty()
    }

    /// Follows derived values into the local functions they are passed to: in
    /// `const auth = req.headers.authorization; build(auth)`, the first parameter of
    /// `function build(a) { … }` is derived throughout its body.
    pub fn bind_parameters(&mut self, code: &CodeText<'_>, functions: &[Function]) {
        if self.vars.is_empty() || functions.is_empty() {
            return;
        }
        let by_name: HashMap<&str, &Function> =
            functions.iter().map(|f| (f.name.as_str(), f)).collect();
        let mut bound = Vec::new();
        for caps in CALL.captures_iter(&code.code) {
            let name = caps.get(1).expect("a name");
            let Some(function) = by_name.get(name.as_str()) else {
                continue;
            };
            let before = code.code[..name.start()].chars().next_back();
            let whole = caps.get(0).expect("match");
            // Not the definition itself, not a method of another object, not in a string.
            if function.params.start == whole.end()
                || before.is_some_and(|c| c == '.')
                || code.in_string(name.start())
            {
                continue;
            }
            let Some(args) = code.call_args(name.end()) else {
                continue;
            };
            let params = function.param_names(code);
            for (arg, param) in code.split_top_level(args).into_iter().zip(params) {
                if let Some(param) = param
                    && self.mentioned(code, arg).is_some()
                    && bound.len() < MAX_PARAMS
                {
                    bound.push((param, function.body.clone()));
                }
            }
        }
        self.params.extend(bound);
    }

    /// A derived variable mentioned in `range` (as a whole identifier or the head of a
    /// dotted path), assigned before `range` and at most [`WINDOW`] bytes earlier.
    pub fn mentioned(&self, code: &CodeText<'_>, range: Range<usize>) -> Option<&str> {
        if self.is_empty() {
            return None;
        }
        let text = &code.code[range.clone()];
        for m in IDENT.find_iter(text) {
            let at = range.start + m.start();
            if code.in_string(at) && !code.in_interpolation(at) {
                continue;
            }
            let path = m.as_str().replace("?.", ".");
            let mut prefix_end = path.len();
            loop {
                let prefix = &path[..prefix_end];
                if let Some((name, offsets)) = self.vars.get_key_value(prefix) {
                    // The latest assignment before `range`, if it is close enough.
                    let before = offsets.partition_point(|&at| at < range.start);
                    if before > 0 && range.start - offsets[before - 1] <= WINDOW {
                        return Some(name.as_str());
                    }
                }
                if let Some((name, _)) = self.params.iter().find(|(name, body)| {
                    name == prefix && body.start <= range.start && range.end <= body.end
                }) {
                    return Some(name.as_str());
                }
                match prefix.rfind('.') {
                    Some(dot) => prefix_end = dot,
                    None => break,
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn derived<'a>(src: &'a str, lang: Language, seed: &str) -> (CodeText<'a>, Derived) {
        let code = CodeText::new(src, lang).expect("code");
        let d = Derived::compute(
            &code,
            code.assignments(),
            |rhs| rhs.contains(seed),
            |_| false,
        );
        (code, d)
    }

    #[test]
    fn follows_js_chains_and_destructuring() {
        let src = "const res = await fetch(u);\nconst { description } = await res.json();\nlet d = description + '!';\nif (a == b) x = 1;\n";
        let (code, d) = derived(src, Language::TypeScript, "fetch(");
        let tail = src.len() - 1..src.len();
        assert!(d.vars.contains_key("res"));
        assert!(d.vars.contains_key("description"));
        assert!(d.vars.contains_key("d"));
        assert!(!d.vars.contains_key("x"));
        assert!(d.mentioned(&code, tail).is_none());
    }

    #[test]
    fn follows_python_and_go_assignments() {
        let (_, d) = derived(
            "blob = base64.b64decode(data)\ntext: str = blob.decode()\nwith urlopen(u) as r:\n    pass\n",
            Language::Python,
            "b64decode",
        );
        assert!(d.vars.contains_key("text"));
        let (_, d) = derived(
            "raw, err := base64.StdEncoding.DecodeString(s)\ncmd = string(raw)\n",
            Language::Go,
            "DecodeString",
        );
        assert!(d.vars.contains_key("raw") && d.vars.contains_key("err"));
        assert!(d.vars.contains_key("cmd"));
    }

    #[test]
    fn derived_arguments_bind_parameters_of_local_functions() {
        let src = "function build(auth, other) {\n  use(auth, other);\n}\nconst a = req.headers.authorization;\nbuild(a, 1);\nuse(auth);\n";
        let (code, mut d) = derived(src, Language::TypeScript, "req.headers");
        d.bind_parameters(&code, code.functions());
        let inside = src.find("use(auth").expect("use");
        assert_eq!(d.mentioned(&code, inside..inside + 16), Some("auth"));
        assert_eq!(d.mentioned(&code, inside + 10..inside + 16), None);
        let outside = src.rfind("use(auth)").expect("use");
        assert_eq!(d.mentioned(&code, outside..outside + 9), None);
    }

    #[test]
    fn names_reused_in_later_functions_stay_derived_earlier() {
        let src =
            "resp, err := http.Get(a)\nuse(resp.Body)\nresp, err := http.Get(b)\nuse(resp.Body)\n";
        let (code, d) = derived(src, Language::Go, "http.Get");
        for (i, _) in src.match_indices("use(") {
            assert_eq!(d.mentioned(&code, i..i + 14), Some("resp"));
        }
        assert_eq!(d.mentioned(&code, 0..4), None);
    }

    #[test]
    fn js_loops_bind_their_elements() {
        let src = "const list = [a, b];\nfor (const file of list) { read(file); }\nfor (let [k, v] of Object.entries(m)) {}\n";
        let (_, d) = derived(src, Language::TypeScript, "[a, b]");
        assert!(d.vars.contains_key("list") && d.vars.contains_key("file"));
        let code = CodeText::new(src, Language::TypeScript).expect("ts");
        let loops: Vec<_> = code
            .assignments()
            .iter()
            .filter(|a| a.names.contains(&"k".to_string()))
            .collect();
        assert_eq!(loops.len(), 1);
        assert_eq!(&src[loops[0].rhs.clone()], " Object.entries(m)");
        assert_eq!(loops[0].names, vec!["k", "v"]);
    }

    #[test]
    fn comparisons_are_not_assignments() {
        let code = CodeText::new(
            "if (a === b || c != d || e <= f) {}\n",
            Language::JavaScript,
        )
        .expect("js");
        assert!(code.assignments().is_empty());
    }
}
