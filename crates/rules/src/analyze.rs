//! The analysis driver: runs every enabled rule over one file ([`analyze_file`]), then
//! over the merged surface ([`analyze_surface`]), then over package-level facts — taint
//! flows linked across files and handler effects ([`analyze_package`]).

use assay_core::{Finding, Inventory, LimitHit, LimitKind, PackageInfo, fingerprint};

use crate::dependencies::imported_packages;
use crate::ignore::{InlineIgnore, find_inline_ignores};
use crate::lang::{self, Language, ParseBudget, ParseOutcome};
use crate::metadata::SurfaceDocument;
use crate::package::PackageFacts;
use crate::registry::{FileContext, RuleSet};
use crate::taint::{self, FileSummary};
use crate::{inventory, manifest};

pub mod timings;

use timings::Phase;

/// Everything learned from one file.
#[derive(Debug, Default)]
pub struct FileAnalysis {
    /// The detected language (`None` for binary files, which only
    /// [`crate::Rule::check_binary`] sees).
    pub language: Option<Language>,
    /// Findings of file rules.
    pub findings: Vec<Finding>,
    /// Surface the file declares.
    pub inventory: Inventory,
    /// The manifest, if the file is one.
    pub package: Option<PackageInfo>,
    /// The budgets the file ran into: its parse ([`LimitKind::ParseBudget`]), or the
    /// bounds of the pattern analyses ([`LimitKind::AnalysisBudget`], reduced mode).
    pub limits_hit: Vec<LimitHit>,
    /// `assay-ignore` comments in the file.
    pub ignores: Vec<InlineIgnore>,
    /// What the taint analysis learned from the file (linked per package later).
    pub taint: FileSummary,
    /// The packages the file imports, when it declares tools (for the reachability hint
    /// of dependency findings).
    pub imports: Vec<String>,
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
        // Binary files are only shown to the rules that inspect raw bytes.
        let mut findings = Vec::new();
        for rule in rules.rules() {
            rule.check_binary(path, bytes, &mut findings);
        }
        finish(&mut findings);
        return FileAnalysis {
            findings,
            ..FileAnalysis::default()
        };
    }
    let mut clock = timings::start();
    let text = String::from_utf8_lossy(bytes);
    let language = Language::from_path(path);
    // Only files that some analysis needs are parsed: parsing is the most expensive step
    // by far, and content rules work on the text.
    let wants_tree = inventory::might_declare(language, &text)
        || taint::might_matter(language, &text)
        || rules.rules().iter().any(|r| r.needs_tree(language, &text));
    let mut limits_hit = Vec::new();
    let tree = if wants_tree {
        match lang::parse(language, &text, budget) {
            Ok(tree) => Some(tree),
            Err(ParseOutcome::Unsupported) => None,
            Err(problem) => {
                limits_hit.push(parse_limit(path, text.len(), problem, budget));
                None
            }
        }
    } else {
        None
    };
    timings::lap(&mut clock, Phase::Parse);
    let mut file = FileContext::new(path, &text, language, tree.as_ref());
    let mut findings = Vec::new();
    for rule in rules.file_rules(&text) {
        rule.check_file(&file, &mut findings);
    }
    finish(&mut findings);
    limits_hit.extend(
        file.release_code()
            .into_iter()
            .map(|(what, bound)| reduced_mode(path, what, bound)),
    );
    timings::lap(&mut clock, Phase::Rules);
    let inventory = inventory::extract(&file);
    timings::lap(&mut clock, Phase::Surface);
    let taint = taint::summarize(&file, &inventory);
    timings::lap(&mut clock, Phase::Taint);
    let imports = if inventory.tools.is_empty() {
        Vec::new()
    } else {
        imported_packages(language, &text)
    };
    FileAnalysis {
        imports,
        language: Some(language),
        findings,
        inventory,
        package: manifest::read(path, &text),
        limits_hit,
        ignores: find_inline_ignores(path, &text),
        taint,
    }
}

/// The limit hit when `path` (`len` bytes) was not parsed.
fn parse_limit(path: &str, len: usize, problem: ParseOutcome, budget: &ParseBudget) -> LimitHit {
    let (limit, why) = match problem {
        ParseOutcome::TooLarge => (
            budget.max_bytes as u64,
            format!("not parsed: {len} bytes exceeds the parse budget"),
        ),
        _ => (
            budget.max_steps,
            format!(
                "not parsed: parsing took more than {} steps",
                budget.max_steps
            ),
        ),
    };
    LimitHit {
        kind: LimitKind::ParseBudget,
        limit,
        path: Some(path.to_string()),
        message: format!("{why}; content rules still ran, surface extraction did not"),
    }
}

/// The limit hit when the pattern analyses of `path` stopped following `what` after
/// `bound` of them.
fn reduced_mode(path: &str, what: &str, bound: usize) -> LimitHit {
    LimitHit {
        kind: LimitKind::AnalysisBudget,
        limit: bound as u64,
        path: Some(path.to_string()),
        message: format!(
            "analysed in reduced mode: the file has more than {bound} {what}; the pattern \
             rules followed the first {bound} and not the rest of the file"
        ),
    }
}

/// Runs the surface rules over every item of the merged inventory.
pub fn analyze_surface(inventory: &Inventory, rules: &RuleSet) -> Vec<Finding> {
    let mut clock = timings::start();
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
    timings::lap(&mut clock, Phase::Rules);
    findings
}

/// Links the files' taint summaries and runs the package rules. `summaries` may come in
/// any order; the result is deterministic.
pub fn analyze_package(
    inventory: &Inventory,
    summaries: &[FileSummary],
    rules: &RuleSet,
) -> Vec<Finding> {
    let mut clock = timings::start();
    let flows = taint::link(summaries);
    let mut handlers: Vec<_> = summaries.iter().flat_map(|s| s.handlers.clone()).collect();
    handlers.sort_by(|a, b| (&a.handler, &a.tool).cmp(&(&b.handler, &b.tool)));
    let facts = PackageFacts::new(inventory, &flows, &handlers);
    let mut findings = Vec::new();
    for rule in rules.rules() {
        rule.check_package(&facts, &mut findings);
    }
    finish(&mut findings);
    timings::lap(&mut clock, Phase::Taint);
    findings
}

pub(crate) fn finish(findings: &mut [Finding]) {
    for f in findings {
        f.fingerprint = fingerprint(&f.rule_id, &f.location.path, f.tool.as_deref(), &f.snippet);
    }
}
