//! Named function definitions and their bodies (JavaScript/TypeScript `function f()` and
//! `const f = (…) => …`, Python `def f():`, Go `func f()`), found by shape, so rules can
//! ask what a function returns (`WithDescription(fetchDescription())`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::CodeText;
use crate::lang::Language;

/// Most functions looked at in one file; a file with more is analysed in reduced mode
/// (see [`CodeText::exceeded`]).
pub const MAX_FUNCTIONS: usize = 5_000;

/// How far after a parameter list the body's `{` (or `=>`) is looked for.
const MAX_SIGNATURE_TAIL: usize = 200;

/// One named function.
#[derive(Debug, Clone)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Its parameter list (inside the parentheses).
    pub params: Range<usize>,
    /// Its body (for an arrow function with an expression body, that expression).
    pub body: Range<usize>,
    /// True when the body is a bare expression, which is what the function returns.
    pub expression_body: bool,
}

static JS_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^<>()]{0,100}>\s*)?\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;]{0,100})?=\s*(?:async\s+)?(?:function\b[^(]{0,60})?\(")
        .expect("valid regex")
});

static PY_FUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bdef\s+([A-Za-z_]\w*)\s*\(").expect("valid regex"));

static GO_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfunc\s+(?:\([^()]{0,100}\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\[\]]{0,100}\]\s*)?\(")
        .expect("valid regex")
});

static RETURN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\breturn\b").expect("valid regex"));

/// The named functions of one file, and whether there were more than [`MAX_FUNCTIONS`].
#[derive(Debug, Default)]
pub struct Functions {
    /// The functions, in source order.
    pub list: Vec<Function>,
    /// True when the file has more functions than were kept.
    pub truncated: bool,
}

/// Every named function of the file (bounded), in source order. Rules use the file's
/// shared copy, [`CodeText::functions`].
pub fn functions(code: &CodeText<'_>) -> Functions {
    let regex: &Regex = match code.language {
        Language::Python => &PY_FUNCTION,
        Language::Go => &GO_FUNCTION,
        _ => &JS_FUNCTION,
    };
    let mut out = Vec::new();
    let mut truncated = false;
    for caps in regex.captures_iter(&code.code) {
        if out.len() >= MAX_FUNCTIONS {
            truncated = true;
            break;
        }
        let whole = caps.get(0).expect("match");
        if code.in_string(whole.start()) {
            continue;
        }
        let name = caps.get(1).or_else(|| caps.get(2)).expect("a name group");
        let open = whole.end() - 1;
        let Some(params_end) = code.group_end(open) else {
            continue;
        };
        let body = match code.language {
            Language::Python => Some((code.indented_block(params_end), false)),
            Language::Go => go_body(code, params_end).map(|b| (b, false)),
            _ => js_body(code, params_end),
        };
        if let Some((body, expression_body)) = body {
            out.push(Function {
                name: name.as_str().to_string(),
                params: open + 1..params_end - 1,
                body,
                expression_body,
            });
        }
    }
    Functions {
        list: out,
        truncated,
    }
}

/// The body after a Go parameter list: the last `{` on the line where the signature
/// ends (gofmt puts it there; result types may hold `interface{}`).
fn go_body(code: &CodeText<'_>, params_end: usize) -> Option<Range<usize>> {
    let line_end = code.line_end(params_end);
    let open = (params_end..line_end)
        .rev()
        .find(|&i| code.code.as_bytes()[i] == b'{' && !code.in_string(i))?;
    Some(code.group_inner(open))
}

/// The body after a JavaScript parameter list: a `{ … }` block, or an arrow's
/// expression.
fn js_body(code: &CodeText<'_>, params_end: usize) -> Option<(Range<usize>, bool)> {
    let bytes = code.code.as_bytes();
    let limit = bytes.len().min(params_end + MAX_SIGNATURE_TAIL);
    let mut i = params_end;
    while i < limit {
        match bytes[i] {
            b'{' => return Some((code.group_inner(i), false)),
            b'=' if bytes.get(i + 1) == Some(&b'>') => {
                let rest = &code.code[i + 2..];
                let skip = rest.len() - rest.trim_start().len();
                let start = i + 2 + skip;
                return Some(if bytes.get(start) == Some(&b'{') {
                    (code.group_inner(start), false)
                } else {
                    (code.statement_from(start), true)
                });
            }
            b';' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The names of the functions that return a value for which `test` holds (an
/// expression after `return`, or an arrow's expression body).
pub fn returning(
    code: &CodeText<'_>,
    functions: &[Function],
    test: impl Fn(Range<usize>) -> bool,
) -> Vec<String> {
    let mut names = Vec::new();
    for f in functions {
        let returns = if f.expression_body {
            test(f.body.clone())
        } else {
            RETURN.find_iter(&code.code[f.body.clone()]).any(|m| {
                let at = f.body.start + m.end();
                !code.in_string(f.body.start + m.start()) && test(code.statement_from(at))
            })
        };
        if returns && !names.contains(&f.name) {
            names.push(f.name.clone());
        }
    }
    names
}

static PARAM_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\.\.\.|\*{1,2})?([A-Za-z_$][\w$]*)").expect("valid regex"));

impl Function {
    /// The names of its parameters, in order (`None` for a destructured one); type
    /// annotations, defaults and Go types are dropped.
    pub fn param_names(&self, code: &CodeText<'_>) -> Vec<Option<String>> {
        code.split_top_level(self.params.clone())
            .into_iter()
            .map(|p| {
                PARAM_NAME
                    .captures(&code.code[p])
                    .map(|c| c[1].to_string())
                    .filter(|n| !matches!(n.as_str(), "self" | "cls"))
            })
            .collect()
    }
}

/// True when `range` calls one of `names` (`name(` as a whole identifier, outside
/// strings).
pub fn calls_any(code: &CodeText<'_>, range: Range<usize>, names: &[String]) -> bool {
    let text = &code.code[range.clone()];
    names.iter().any(|name| {
        text.match_indices(name.as_str()).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].trim_start();
            before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
                && after.starts_with('(')
                && !code.in_string(range.start + i)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str, language: Language, needle: &str) -> Vec<String> {
        let code = CodeText::new(src, language).expect("code");
        returning(&code, code.functions(), |r| code.code[r].contains(needle))
    }

    #[test]
    fn finds_what_functions_return() {
        let go = "func fetchDescription() string {\n\tresp, _ := http.Get(u)\n\treturn decode(resp)\n}\n\nfunc (s *S) local() (map[string]interface{}, error) {\n\treturn nil, nil\n}\n";
        assert_eq!(names(go, Language::Go, "resp"), vec!["fetchDescription"]);
        let js = "async function load() { const r = await fetch(u); return r.text(); }\nconst quick = async (u) => fetch(u);\nconst other = () => { return 1; };\n";
        assert_eq!(
            names(js, Language::TypeScript, "r"),
            vec!["load".to_string()]
        );
        assert_eq!(names(js, Language::TypeScript, "fetch"), vec!["quick"]);
        let py = "def remote():\n    data = get()\n    return data['x']\n\n\ndef local():\n    return 'x'\n";
        assert_eq!(names(py, Language::Python, "data"), vec!["remote"]);
    }

    #[test]
    fn parameter_names() {
        let src = "function f(a: string | undefined, { b }, ...rest) {}\ndef g(self, x: int = 1, *args):\n    pass\n";
        let ts =
            CodeText::new(src.lines().next().expect("line"), Language::TypeScript).expect("ts");
        let f = &ts.functions()[0];
        assert_eq!(
            f.param_names(&ts),
            vec![Some("a".to_string()), None, Some("rest".to_string())]
        );
        let py =
            CodeText::new(&src[src.find("def").expect("def")..], Language::Python).expect("py");
        let g = &py.functions()[0];
        assert_eq!(
            g.param_names(&py),
            vec![None, Some("x".to_string()), Some("args".to_string())]
        );
    }

    #[test]
    fn calls_are_whole_names_outside_strings() {
        let code = CodeText::new(
            "a(fetchDescription()); b(x.fetchDescription()); c('load()')",
            Language::JavaScript,
        )
        .expect("js");
        let names = vec!["fetchDescription".to_string(), "load".to_string()];
        assert!(calls_any(&code, 0..22, &names));
        assert!(!calls_any(&code, 23..48, &names));
        assert!(!calls_any(&code, 49..code.code.len(), &names));
    }
}
