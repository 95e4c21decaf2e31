//! Docstrings: the function's description and its per-parameter sections (Google
//! `Args:`, NumPy `Parameters` / `----------`, Sphinx `:param x:`).

use std::collections::HashMap;

use tree_sitter::Node;

use super::scope::{Env, Scope};
use super::strings::{cleandoc, resolve};

/// The cleaned docstring of a function or class definition.
pub(super) fn docstring<'t>(scope: &Scope<'t>, definition: Node<'t>) -> Option<String> {
    let body = definition.child_by_field_name("body")?;
    let first = body.named_child(0)?;
    if first.kind() != "expression_statement" {
        return None;
    }
    let expr = first.named_child(0)?;
    if !matches!(expr.kind(), "string" | "concatenated_string") {
        return None;
    }
    resolve(scope, expr, &Env::default())
        .map(|d| cleandoc(&d))
        .filter(|d| !d.is_empty())
}

/// Google-style section headers that list parameters.
const GOOGLE_HEADERS: &[&str] = &["Args:", "Arguments:", "Parameters:", "Params:"];

/// Parameter descriptions documented in a cleaned docstring, by parameter name.
pub(super) fn parameter_docs(doc: &str) -> HashMap<String, String> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut docs = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        let indent = indentation(line);
        if GOOGLE_HEADERS.contains(&trimmed) {
            i = google_section(&lines, i + 1, indent, &mut docs);
        } else if trimmed == "Parameters"
            && lines
                .get(i + 1)
                .is_some_and(|l| l.trim().len() >= 3 && l.trim().chars().all(|c| c == '-'))
        {
            i = numpy_section(&lines, i + 2, indent, &mut docs);
        } else if let Some(rest) = trimmed.strip_prefix(":param ") {
            if let Some((name, desc)) = rest.split_once(':') {
                let name = name.split_whitespace().last().unwrap_or("");
                insert(&mut docs, name, desc.trim());
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    docs
}

/// Items `name (type): description` indented under the header, with deeper-indented
/// continuation lines. Returns the index of the first line after the section.
fn google_section(
    lines: &[&str],
    start: usize,
    header_indent: usize,
    docs: &mut HashMap<String, String>,
) -> usize {
    let mut i = start;
    let mut item_indent = None;
    let mut current: Option<(String, String)> = None;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        let indent = indentation(line);
        if indent <= header_indent {
            break;
        }
        let item_indent = *item_indent.get_or_insert(indent);
        if indent <= item_indent {
            flush(&mut current, docs);
            if let Some((head, desc)) = line.trim().split_once(':') {
                let name = head.split(['(', ' ']).next().unwrap_or("").trim();
                current = Some((name.to_string(), desc.trim().to_string()));
            }
        } else if let Some((_, desc)) = current.as_mut() {
            append(desc, line.trim());
        }
        i += 1;
    }
    flush(&mut current, docs);
    i
}

/// NumPy items `name : type` at the header's indentation, descriptions indented below,
/// until the next `Header` / `------` pair.
fn numpy_section(
    lines: &[&str],
    start: usize,
    header_indent: usize,
    docs: &mut HashMap<String, String>,
) -> usize {
    let mut i = start;
    let mut current: Option<(String, String)> = None;
    while i < lines.len() {
        let line = lines[i];
        let next_is_rule = lines
            .get(i + 1)
            .is_some_and(|l| l.trim().len() >= 3 && l.trim().chars().all(|c| c == '-'));
        if next_is_rule {
            break;
        }
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if indentation(line) <= header_indent {
            flush(&mut current, docs);
            let name = line.split(':').next().unwrap_or("").trim();
            current = Some((name.to_string(), String::new()));
        } else if let Some((_, desc)) = current.as_mut() {
            append(desc, line.trim());
        }
        i += 1;
    }
    flush(&mut current, docs);
    i
}

fn flush(current: &mut Option<(String, String)>, docs: &mut HashMap<String, String>) {
    if let Some((name, desc)) = current.take() {
        insert(docs, &name, &desc);
    }
}

fn insert(docs: &mut HashMap<String, String>, name: &str, desc: &str) {
    let name = name.trim_start_matches('*');
    if !name.is_empty() && !desc.is_empty() {
        docs.entry(name.to_string())
            .or_insert_with(|| desc.to_string());
    }
}

fn append(desc: &mut String, more: &str) {
    if !desc.is_empty() {
        desc.push(' ');
    }
    desc.push_str(more);
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_numpy_and_sphinx_sections() {
        let google = "Read a file.\n\nArgs:\n    path (str): The file\n        to read.\n    limit: Max bytes.\n\nReturns:\n    The text.";
        let docs = parameter_docs(google);
        assert_eq!(docs["path"], "The file to read.");
        assert_eq!(docs["limit"], "Max bytes.");
        assert_eq!(docs.len(), 2);

        let numpy = "Search.\n\nParameters\n----------\nquery : str\n    What to find.\nk : int\n    How many.\n\nReturns\n-------\nlist";
        let docs = parameter_docs(numpy);
        assert_eq!(docs["query"], "What to find.");
        assert_eq!(docs["k"], "How many.");
        assert_eq!(docs.len(), 2);

        let sphinx = "Do it.\n\n:param str target: Where.\n:returns: nothing";
        assert_eq!(parameter_docs(sphinx)["target"], "Where.");
    }
}
