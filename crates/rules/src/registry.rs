//! The [`Rule`] trait, the inputs rules see, and the list of every rule.

use assay_core::{Confidence, Finding, Location, RuleMeta};
use tree_sitter::Tree;

use crate::PathContext;
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

    /// Checks one binary file of the snapshot (a NUL byte in its first 8 KiB), given its
    /// `/`-separated path and raw bytes. Binary files get no text, language, tree or
    /// other check: this is the only hook that sees them (bundled executables, native
    /// modules).
    fn check_binary(&self, _path: &str, _bytes: &[u8], _out: &mut Vec<Finding>) {}

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
}

impl RuleSet {
    /// Every rule.
    pub fn all() -> Self {
        RuleSet { rules: all_rules() }
    }

    /// Only the rules for which `keep` returns true.
    pub fn filtered(keep: impl Fn(&RuleMeta) -> bool) -> Self {
        RuleSet {
            rules: all_rules().into_iter().filter(|r| keep(r.meta())).collect(),
        }
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
