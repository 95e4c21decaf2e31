//! Rendering string expressions: literals, template literals, `+` concatenations,
//! `.join(…)` of literal arrays, `.trim()`, `.concat(…)`, `String(x)` and tagged
//! templates, through constants and bound names. Unknown parts become `${source}`.

use super::eval::{Element, Eval, Expr, MAX_DEPTH};
use super::syntax::{arguments, call_method, children, decode_escapes, field, string_literal};

/// Longest rendered string.
const MAX_STRING: usize = 256 * 1024;

/// How completely an expression rendered as text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rendered {
    /// Entirely known.
    Exact,
    /// Partly known; unknown parts are `${…}`.
    Partial,
    /// Not a string expression the evaluator understands; nothing was written.
    Unknown,
}

impl<'a> Eval<'a> {
    /// The fully known string value of `expr`, if any.
    pub fn string(&self, expr: &Expr<'a>) -> Option<String> {
        let mut out = String::new();
        (self.render(expr, 0, &mut out) == Rendered::Exact).then_some(out)
    }

    /// The text of `expr` with unknown parts written as `${source}`; `None` when nothing
    /// of it is known to be a string.
    pub fn text(&self, expr: &Expr<'a>) -> Option<String> {
        let mut out = String::new();
        match self.render(expr, 0, &mut out) {
            Rendered::Unknown => None,
            _ => Some(out),
        }
    }

    /// Like [`Eval::text`], but an unknown expression becomes `${source}` instead of
    /// `None`: for values the SDK call shape says are strings.
    pub fn text_or_placeholder(&self, expr: &Expr<'a>) -> String {
        self.text(expr)
            .unwrap_or_else(|| placeholder(self.src(expr.node)))
    }

    /// [`Eval::text_or_placeholder`] of property `key` of `object`, if it has one.
    pub fn property_text(&self, object: &Expr<'a>, key: &str) -> Option<String> {
        self.property(object, key)
            .map(|v| self.text_or_placeholder(&v))
    }

    /// True when `expr` looks like a string expression (fully or partly renderable).
    pub fn is_text(&self, expr: &Expr<'a>) -> bool {
        let mut scratch = String::new();
        self.render(expr, 0, &mut scratch) != Rendered::Unknown
    }

    fn render(&self, expr: &Expr<'a>, depth: u32, out: &mut String) -> Rendered {
        if depth > MAX_DEPTH || !self.step() {
            return Rendered::Unknown;
        }
        let node = expr.node;
        match node.kind() {
            "string" => {
                push_capped(out, &string_literal(node, self.text));
                Rendered::Exact
            }
            "template_string" => self.render_template(expr, depth, out),
            "number" | "true" | "false" | "null" | "property_identifier" => {
                push_capped(out, self.src(node));
                Rendered::Exact
            }
            "binary_expression" if field(node, "operator").is_some_and(|o| self.src(o) == "+") => {
                let (Some(left), Some(right)) = (field(node, "left"), field(node, "right")) else {
                    return Rendered::Unknown;
                };
                let mut l = String::new();
                let mut r = String::new();
                let lr = self.render(&expr.with(left), depth + 1, &mut l);
                let rr = self.render(&expr.with(right), depth + 1, &mut r);
                if lr == Rendered::Unknown && rr == Rendered::Unknown {
                    return Rendered::Unknown;
                }
                for (part, how, side) in [(l, lr, left), (r, rr, right)] {
                    if how == Rendered::Unknown {
                        push_capped(out, &placeholder(self.src(side)));
                    } else {
                        push_capped(out, &part);
                    }
                }
                if lr == Rendered::Exact && rr == Rendered::Exact {
                    Rendered::Exact
                } else {
                    Rendered::Partial
                }
            }
            "call_expression" => self.render_call(expr, depth, out),
            _ => {
                let resolved = self.resolve_at(expr, depth + 1);
                if resolved.node.id() == node.id() {
                    Rendered::Unknown
                } else {
                    self.render(&resolved, depth + 1, out)
                }
            }
        }
    }

    fn render_template(&self, expr: &Expr<'a>, depth: u32, out: &mut String) -> Rendered {
        let node = expr.node;
        let mut how = Rendered::Exact;
        // Literal text lies between the substitutions; skip the backticks.
        let mut cursor = node.start_byte() + 1;
        let end = node.end_byte().saturating_sub(1).max(cursor);
        for part in children(node) {
            if part.kind() != "template_substitution" {
                continue;
            }
            push_capped(
                out,
                &decode_escapes(self.text.get(cursor..part.start_byte()).unwrap_or("")),
            );
            cursor = part.end_byte();
            let Some(&inner) = children(part).first() else {
                continue;
            };
            let mut piece = String::new();
            match self.render(&expr.with(inner), depth + 1, &mut piece) {
                Rendered::Exact => push_capped(out, &piece),
                Rendered::Partial => {
                    push_capped(out, &piece);
                    how = Rendered::Partial;
                }
                Rendered::Unknown => {
                    push_capped(out, &placeholder(self.src(inner)));
                    how = Rendered::Partial;
                }
            }
        }
        push_capped(
            out,
            &decode_escapes(self.text.get(cursor..end).unwrap_or("")),
        );
        how
    }

    fn render_call(&self, expr: &Expr<'a>, depth: u32, out: &mut String) -> Rendered {
        let node = expr.node;
        let Some(callee) = field(node, "function") else {
            return Rendered::Unknown;
        };
        // A tagged template (`dedent`…`, String.raw`…`) renders as its template text.
        if let Some(template) = field(node, "arguments").filter(|a| a.kind() == "template_string") {
            return self.render(&expr.with(template), depth + 1, out);
        }
        let args = arguments(node);
        if callee.kind() == "identifier" && self.src(callee) == "String" && args.len() == 1 {
            return self.render(&expr.with(args[0]), depth + 1, out);
        }
        let Some(method) = call_method(node, self.text) else {
            return Rendered::Unknown;
        };
        let Some(object) = field(callee, "object") else {
            return Rendered::Unknown;
        };
        let object = expr.with(object);
        match method {
            "join" => {
                let separator = match args.first() {
                    Some(&sep) => match self.string(&expr.with(sep)) {
                        Some(s) => s,
                        None => return Rendered::Unknown,
                    },
                    None => ",".to_string(),
                };
                let elements = self.elements_at(&object, depth + 1);
                if elements.is_empty() && self.resolve(&object).node.kind() != "array" {
                    return Rendered::Unknown;
                }
                let mut how = Rendered::Exact;
                for (i, element) in elements.iter().enumerate() {
                    if i > 0 {
                        push_capped(out, &separator);
                    }
                    let Element::Value(value) = element else {
                        return Rendered::Unknown;
                    };
                    let mut piece = String::new();
                    match self.render(value, depth + 1, &mut piece) {
                        Rendered::Exact => push_capped(out, &piece),
                        Rendered::Partial => {
                            push_capped(out, &piece);
                            how = Rendered::Partial;
                        }
                        Rendered::Unknown => {
                            push_capped(out, &placeholder(self.src(value.node)));
                            how = Rendered::Partial;
                        }
                    }
                }
                how
            }
            "trim" | "trimStart" | "trimEnd" | "toString" => {
                let mut inner = String::new();
                let how = self.render(&object, depth + 1, &mut inner);
                let trimmed = match method {
                    "trim" => inner.trim(),
                    "trimStart" => inner.trim_start(),
                    "trimEnd" => inner.trim_end(),
                    _ => inner.as_str(),
                };
                push_capped(out, trimmed);
                how
            }
            "concat" => {
                let mut how = self.render(&object, depth + 1, out);
                if how == Rendered::Unknown {
                    return Rendered::Unknown;
                }
                for arg in args {
                    match self.render(&expr.with(arg), depth + 1, out) {
                        Rendered::Exact => {}
                        Rendered::Partial => how = Rendered::Partial,
                        Rendered::Unknown => {
                            push_capped(out, &placeholder(self.src(arg)));
                            how = Rendered::Partial;
                        }
                    }
                }
                how
            }
            _ => Rendered::Unknown,
        }
    }
}

/// `${source}` for an expression the evaluator could not see through. Long sources are
/// shortened so a minified expression does not flood the description.
fn placeholder(source: &str) -> String {
    const MAX: usize = 80;
    let source: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if source.chars().count() <= MAX {
        format!("${{{source}}}")
    } else {
        let short: String = source.chars().take(MAX).collect();
        format!("${{{short}…}}")
    }
}

fn push_capped(out: &mut String, piece: &str) {
    if out.len() >= MAX_STRING {
        return;
    }
    let room = MAX_STRING - out.len();
    if piece.len() <= room {
        out.push_str(piece);
    } else {
        let mut cut = room;
        while !piece.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&piece[..cut]);
    }
}
