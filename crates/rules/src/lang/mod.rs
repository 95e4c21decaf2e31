//! Language frontends: file-type detection and budgeted tree-sitter parsing.

use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

/// A language Assay understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// JavaScript (`.js`, `.mjs`, `.cjs`, `.jsx`).
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Python (`.py`, `.pyi`).
    Python,
    /// Go (`.go`).
    Go,
    /// Anything else: only content rules (secrets, …) run.
    Other,
}

impl Language {
    /// Detects the language from a file path's extension.
    pub fn from_path(path: &str) -> Language {
        let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
        match ext.to_ascii_lowercase().as_str() {
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "py" | "pyi" => Language::Python,
            "go" => Language::Go,
            _ => Language::Other,
        }
    }

    /// The lowercase name used in report statistics.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::JavaScript => "javascript",
            Language::TypeScript | Language::Tsx => "typescript",
            Language::Python => "python",
            Language::Go => "go",
            Language::Other => "other",
        }
    }

    /// True for JavaScript, TypeScript and TSX, which share one extractor.
    pub fn is_js_family(self) -> bool {
        matches!(
            self,
            Language::JavaScript | Language::TypeScript | Language::Tsx
        )
    }

    fn grammar(self) -> Option<tree_sitter::Language> {
        Some(match self {
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::Go => tree_sitter_go::LANGUAGE.into(),
            Language::Other => return None,
        })
    }
}

/// Bounds on parsing one file. Content rules run on every file regardless; only the
/// syntax tree (and so surface extraction and code rules) is given up when a budget is hit.
///
/// Both bounds count work, not time, so that the same input gets the same report on an
/// idle machine and on a loaded one.
#[derive(Debug, Clone, Copy)]
pub struct ParseBudget {
    /// Files larger than this are not parsed.
    pub max_bytes: usize,
    /// Parsing is abandoned after this many steps. A step is one call of tree-sitter's
    /// progress callback, made every 100 parser operations: ordinary JavaScript,
    /// TypeScript, Python and Go take 5–20 steps per KiB (the 7.9 MB bundle of
    /// `chrome-devtools-mcp` 56 000), so only inputs that make the parser thrash reach
    /// the default.
    pub max_steps: u64,
}

impl Default for ParseBudget {
    fn default() -> Self {
        ParseBudget {
            max_bytes: 8 * 1024 * 1024,
            max_steps: 250_000,
        }
    }
}

/// Why a file has no syntax tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseOutcome {
    /// The language has no grammar here.
    Unsupported,
    /// The file is larger than [`ParseBudget::max_bytes`].
    TooLarge,
    /// Parsing took more than [`ParseBudget::max_steps`].
    TooManySteps,
}

/// Parses `text` as `lang` within `budget`.
pub fn parse(lang: Language, text: &str, budget: &ParseBudget) -> Result<Tree, ParseOutcome> {
    let grammar = lang.grammar().ok_or(ParseOutcome::Unsupported)?;
    if text.len() > budget.max_bytes {
        return Err(ParseOutcome::TooLarge);
    }
    let mut parser = Parser::new();
    parser
        .set_language(&grammar)
        .map_err(|_| ParseOutcome::Unsupported)?;
    let mut steps = 0u64;
    let mut progress = |_: &ParseState| {
        steps += 1;
        steps > budget.max_steps
    };
    let options = ParseOptions::new().progress_callback(&mut progress);
    let bytes = text.as_bytes();
    let tree = parser.parse_with_options(
        &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
        None,
        Some(options),
    );
    tree.ok_or(ParseOutcome::TooManySteps)
}

/// The source text of `node`.
pub fn node_text<'a>(node: Node<'_>, source: &'a str) -> &'a str {
    source.get(node.byte_range()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_languages_by_extension() {
        assert_eq!(Language::from_path("src/index.MJS"), Language::JavaScript);
        assert_eq!(Language::from_path("a/b.tsx"), Language::Tsx);
        assert_eq!(Language::from_path("x.pyi"), Language::Python);
        assert_eq!(Language::from_path("main.go"), Language::Go);
        assert_eq!(Language::from_path("README"), Language::Other);
    }

    #[test]
    fn parses_within_budget_and_refuses_oversized_files() {
        let tree = parse(
            Language::Python,
            "def f(x):\n    return x\n",
            &ParseBudget::default(),
        )
        .expect("parses");
        assert_eq!(tree.root_node().kind(), "module");
        let tiny = ParseBudget {
            max_bytes: 4,
            ..ParseBudget::default()
        };
        assert_eq!(
            parse(Language::Go, "package main", &tiny).unwrap_err(),
            ParseOutcome::TooLarge
        );
        assert_eq!(
            parse(Language::Other, "x", &ParseBudget::default()).unwrap_err(),
            ParseOutcome::Unsupported
        );
    }

    #[test]
    fn the_step_budget_is_counted_work() {
        let source = "const a = f(1, [2, 3], { b: 4 });\n".repeat(200);
        assert!(parse(Language::JavaScript, &source, &ParseBudget::default()).is_ok());
        let short = ParseBudget {
            max_steps: 5,
            ..ParseBudget::default()
        };
        for _ in 0..2 {
            assert_eq!(
                parse(Language::JavaScript, &source, &short).unwrap_err(),
                ParseOutcome::TooManySteps
            );
        }
    }
}
