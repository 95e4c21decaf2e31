//! The [`Rule`] trait, the inputs rules see, and the list of every rule.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use assay_core::{Confidence, Finding, Location, RuleMeta};
use tree_sitter::Tree;

use crate::PathContext;
use crate::code_patterns::CodeText;
use crate::lang::Language;
use crate::metadata::SurfaceDocument;
use crate::package::PackageFacts;

/// One file as a rule sees it.
pub struct FileContext<'a> {
    /// Snapshot path, `/`-separated.
    pub path: &'a str,
    /// The file's text (invalid UTF-8 replaced by U+FFFD).
    pub text: &'a str,
    /// Detected language.
    pub language: Language,
    /// Production, test, example or docs.
    pub context: PathContext,
    /// The syntax tree, when the file was parsed: its language is supported, it may
    /// declare MCP surface ([`crate::inventory::might_declare`]) and the parse budget held.
    pub tree: Option<&'a Tree>,
    /// The file lexed for the pattern rules, made on first use and then shared.
    code: OnceCell<Option<CodeText<'a>>>,
}

impl<'a> FileContext<'a> {
    /// The file at `path` with its text, language and syntax tree (its
    /// [`PathContext`] is judged from the path).
    pub fn new(path: &'a str, text: &'a str, language: Language, tree: Option<&'a Tree>) -> Self {
        FileContext {
            path,
            text,
            language,
            context: PathContext::of(path),
            tree,
            code: OnceCell::new(),
        }
    }

    /// The file lexed as code ([`CodeText`]: comments blanked, strings located), lexed
    /// once and shared by every rule; `None` when the language has no lexer.
    pub fn code(&self) -> Option<&CodeText<'a>> {
        self.code
            .get_or_init(|| CodeText::new(self.text, self.language))
            .as_ref()
    }

    /// Drops the lexed code once the pattern rules are done with it (it is as large as
    /// the file), returning the bounds of the shared code analyses it exceeded (see
    /// [`CodeText::exceeded`]); empty when the file was never lexed.
    pub fn release_code(&mut self) -> Vec<(&'static str, usize)> {
        self.code
            .take()
            .flatten()
            .map(|code| code.exceeded())
            .unwrap_or_default()
    }
}

/// A rule. Each rule lives in its own file, exposes its [`RuleMeta`], and implements one
/// or both checks. Rules are stateless and `Sync`: the engine runs them on many files at
/// once.
pub trait Rule: Send + Sync {
    /// The rule's metadata (id, severity, docs, examples).
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one file of the snapshot.
    fn check_file(&self, _file: &FileContext<'_>, _out: &mut Vec<Finding>) {}

    /// Checks one tool, prompt, resource or instructions document of the inventory.
    fn check_surface(&self, _doc: &SurfaceDocument<'_>, _out: &mut Vec<Finding>) {}

    /// Checks what is known about the whole package once every file is analysed: the
    /// inventory, every taint flow (in-file and cross-file) and the handlers' effects.
    fn check_package(&self, _package: &PackageFacts<'_>, _out: &mut Vec<Finding>) {}

    /// Checks the package's dependencies: what the lockfiles and manifests resolve to,
    /// the advisories that match them and the package itself, and names that imitate
    /// popular packages (see [`crate::dependencies`]).
    fn check_dependencies(
        &self,
        _facts: &crate::dependencies::DependencyFacts<'_>,
        _out: &mut Vec<Finding>,
    ) {
    }

    /// Checks one binary file of the snapshot (a NUL byte in its first 8 KiB), given its
    /// `/`-separated path and raw bytes. Binary files get no text, language, tree or
    /// other check: this is the only hook that sees them (bundled executables, native
    /// modules).
    fn check_binary(&self, _path: &str, _bytes: &[u8], _out: &mut Vec<Finding>) {}

    /// Words of which a file must contain at least one for [`Rule::check_file`] to find
    /// anything; empty means every file. The driver runs one automaton over each file for
    /// the keywords of every rule and calls only the rules whose keywords occur, so rules
    /// need no prefilter pass of their own.
    fn keywords(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// Whether [`Rule::keywords`] match ignoring ASCII case (by default they must match
    /// exactly).
    fn keywords_ignore_case(&self) -> bool {
        false
    }

    /// Whether this rule's [`Rule::check_file`] needs the syntax tree of a file with this
    /// language and text (a cheap prefilter: parsing costs far more than scanning).
    /// Files are also parsed when they may declare MCP surface or hold taint sources or
    /// sinks.
    fn needs_tree(&self, _language: Language, _text: &str) -> bool {
        false
    }
}

/// Starts a finding of rule `meta` with the rule's defaults (severity, CWE, OWASP id,
/// remediation) and high confidence. The fingerprint is filled in by the analysis driver
/// once the rule is done with the finding.
pub fn new_finding(
    meta: &RuleMeta,
    location: Location,
    snippet: impl Into<String>,
    message: impl Into<String>,
) -> Finding {
    Finding {
        rule_id: meta.id.to_string(),
        rule_name: meta.name.to_string(),
        title: meta.title.to_string(),
        family: meta.family,
        severity: meta.severity,
        confidence: Confidence::High,
        cwe: meta.cwe_ids(),
        owasp_mcp: meta.owasp_mcp.to_string(),
        location,
        snippet: snippet.into(),
        tool: None,
        message: message.into(),
        remediation: meta.remediation.to_string(),
        evidence: Vec::new(),
        flow: Vec::new(),
        fingerprint: String::new(),
        aivss: None,
    }
}

/// Every rule Assay has, in id order.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = Vec::new();
    for family in [
        crate::metadata::RULES,
        crate::behaviour::RULES,
        crate::code::RULES,
        crate::transport::RULES,
        crate::supply_chain::RULES,
        crate::dependencies::RULES,
        crate::malicious::RULES,
        crate::secrets::RULES,
        crate::client_config::RULES,
        crate::container::RULES,
    ] {
        rules.extend_from_slice(family);
    }
    rules.sort_by_key(|r| r.meta().id);
    rules
}

/// The rules enabled for one scan.
#[derive(Clone)]
pub struct RuleSet {
    rules: Vec<&'static dyn Rule>,
    gate: Arc<KeywordGate>,
}

/// One Aho-Corasick automaton over the keywords of every enabled rule, so each file is
/// scanned once to learn which keyword-gated rules can apply to it.
struct KeywordGate {
    automaton: Option<AhoCorasick>,
    /// For each (lower-cased) pattern, the rules it gates: their index into
    /// `RuleSet::rules`, and the exact spelling a case-sensitive rule requires.
    owners: Vec<Vec<(usize, Option<&'static str>)>>,
    /// Which rules are gated at all (the others always run).
    gated: Vec<bool>,
}

impl KeywordGate {
    fn new(rules: &[&'static dyn Rule]) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, Option<&'static str>)>> = Vec::new();
        let mut gated = vec![false; rules.len()];
        for (i, rule) in rules.iter().enumerate() {
            let exact = !rule.keywords_ignore_case();
            for word in rule.keywords() {
                gated[i] = true;
                let key = word.to_ascii_lowercase();
                let slot = *index.entry(key.clone()).or_insert_with(|| {
                    patterns.push(key);
                    owners.push(Vec::new());
                    patterns.len() - 1
                });
                owners[slot].push((i, exact.then_some(word)));
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("rule keywords form a valid automaton")
        });
        KeywordGate {
            automaton,
            owners,
            gated,
        }
    }

    /// Which rules may apply to `text`, by index.
    fn applicable(&self, text: &str) -> Vec<bool> {
        let mut hit: Vec<bool> = self.gated.iter().map(|g| !g).collect();
        let Some(automaton) = &self.automaton else {
            return hit;
        };
        let mut missing = self.gated.iter().filter(|g| **g).count();
        for found in automaton.find_overlapping_iter(text) {
            let matched = &text.as_bytes()[found.range()];
            for &(rule, exact) in &self.owners[found.pattern().as_usize()] {
                if !hit[rule] && exact.is_none_or(|word| word.as_bytes() == matched) {
                    hit[rule] = true;
                    missing -= 1;
                }
            }
            if missing == 0 {
                break;
            }
        }
        hit
    }
}

impl RuleSet {
    fn new(rules: Vec<&'static dyn Rule>) -> Self {
        let gate = Arc::new(KeywordGate::new(&rules));
        RuleSet { rules, gate }
    }

    /// Every rule.
    pub fn all() -> Self {
        RuleSet::new(all_rules())
    }

    /// Only the rules for which `keep` returns true.
    pub fn filtered(keep: impl Fn(&RuleMeta) -> bool) -> Self {
        RuleSet::new(all_rules().into_iter().filter(|r| keep(r.meta())).collect())
    }

    /// The enabled rules whose [`Rule::keywords`] occur in `text` (and those without
    /// keywords), in id order.
    pub fn file_rules(&self, text: &str) -> Vec<&'static dyn Rule> {
        let applicable = self.gate.applicable(text);
        self.rules
            .iter()
            .zip(applicable)
            .filter_map(|(rule, ok)| ok.then_some(*rule))
            .collect()
    }

    /// The enabled rules, in id order.
    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.rules
    }

    /// Number of enabled rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when no rule is enabled.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// Looks a rule up by id (case-insensitive) or name.
pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    all_rules()
        .into_iter()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_name) || r.meta().name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(rules: &RuleSet, text: &str) -> Vec<&'static str> {
        rules.file_rules(text).iter().map(|r| r.meta().id).collect()
    }

    #[test]
    fn the_keyword_gate_honours_each_rules_case_sensitivity() {
        // AS304's keywords are exact (`rejectUnauthorized`); AS303's ignore case (`cors`).
        let rules = RuleSet::filtered(|m| m.id == "AS303" || m.id == "AS304");
        assert_eq!(
            ids(&rules, "const opts = { rejectUnauthorized: false };"),
            ["AS304"]
        );
        assert!(ids(&rules, "const opts = { rejectunauthorized: false };").is_empty());
        assert_eq!(ids(&rules, "app.use(CORS())"), ["AS303"]);
        assert!(ids(&rules, "export const x = 1;").is_empty());
        // Rules without keywords (AS101 declares none) always run.
        let ungated = RuleSet::filtered(|m| m.id == "AS101");
        assert!(ungated.rules()[0].keywords().is_empty());
        assert_eq!(ids(&ungated, "nothing here"), ["AS101"]);
    }
}
