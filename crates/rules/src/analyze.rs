//! The analysis driver: runs every enabled rule over one file, then over the surface.

use assay_core::{Finding, Inventory, PackageInfo, fingerprint};

use crate::ignore::{InlineIgnore, find_inline_ignores};
use crate::lang::{self, Language, ParseBudget, ParseOutcome};
use crate::metadata::SurfaceDocument;
use crate::registry::{FileContext, RuleSet};
use crate::{PathContext, inventory, manifest};

/// Everything learned from one file.
#[derive(Debug, Default)]
pub struct FileAnalysis {
    /// The detected language (`None` for binary files, which are not analysed).
    pub language: Option<Language>,
    /// Findings of file rules.
    pub findings: Vec<Finding>,
    /// Surface the file declares.
    pub inventory: Inventory,
    /// The manifest, if the file is one.
    pub package: Option<PackageInfo>,
    /// Why the file was not parsed, when it should have been (budget hit).
    pub parse_problem: Option<ParseOutcome>,
    /// `assay-ignore` comments in the file.
    pub ignores: Vec<InlineIgnore>,
}

/// Heuristic binary check: a NUL byte in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// Analyses one file of the snapshot.
pub fn analyze_file(
    path: &str,
    bytes: &[u8],
    rules: &RuleSet,
    budget: &ParseBudget,
) -> FileAnalysis {
    if looks_binary(bytes) {
        return FileAnalysis::default();
    }
    let text = String::from_utf8_lossy(bytes);
    let language = Language::from_path(path);
    // Only files that may declare MCP surface are parsed: parsing is the most expensive
    // step by far, and content rules work on the text.
    let (tree, parse_problem) = if inventory::might_declare(language, &text) {
        match lang::parse(language, &text, budget) {
            Ok(tree) => (Some(tree), None),
            Err(ParseOutcome::Unsupported) => (None, None),
            Err(problem) => (None, Some(problem)),
        }
    } else {
        (None, None)
    };
    let file = FileContext {
        path,
        text: &text,
        language,
        context: PathContext::of(path),
        tree: tree.as_ref(),
    };
    let mut findings = Vec::new();
    for rule in rules.rules() {
        rule.check_file(&file, &mut findings);
    }
    finish(&mut findings);
    FileAnalysis {
        language: Some(language),
        findings,
        inventory: inventory::extract(&file),
        package: manifest::read(path, &text),
        parse_problem,
        ignores: find_inline_ignores(path, &text),
    }
}

/// Runs the surface rules over every item of the merged inventory.
pub fn analyze_surface(inventory: &Inventory, rules: &RuleSet) -> Vec<Finding> {
    let docs = inventory
        .tools
        .iter()
        .map(SurfaceDocument::from_tool)
        .chain(inventory.prompts.iter().map(SurfaceDocument::from_prompt))
        .chain(
            inventory
                .resources
                .iter()
                .map(SurfaceDocument::from_resource),
        )
        .chain(
            inventory
                .instructions
                .iter()
                .map(SurfaceDocument::from_instructions),
        );
    let mut findings = Vec::new();
    for doc in docs {
        for rule in rules.rules() {
            rule.check_surface(&doc, &mut findings);
        }
    }
    finish(&mut findings);
    findings
}

fn finish(findings: &mut [Finding]) {
    for f in findings {
        f.fingerprint = fingerprint(&f.rule_id, &f.location.path, f.tool.as_deref(), &f.snippet);
    }
}
