//! `assay.toml`: rule selection, severity overrides, path excludes, limits and gates.
//!
//! The file is looked up in this order: `--config FILE`, `./assay.toml`, `$ASSAY_CONFIG`,
//! then the platform config dir (`$XDG_CONFIG_HOME/assay/assay.toml`, else
//! `~/.config/assay/assay.toml`). A scanned target's own `assay.toml` is **never** read: a
//! package under review must not be able to switch its own rules off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assay_core::{RuleMeta, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::EngineError;

/// The parsed configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Which rules run and how severe they are.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Which paths of the target are analysed.
    #[serde(default)]
    pub paths: PathsConfig,
    /// Snapshot limits; unset values keep their defaults.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Default CI gates (overridden by command-line flags).
    #[serde(default)]
    pub gate: GateConfig,
    /// Where the file was loaded from (not part of the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[rules]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule ids or id prefixes to run (`["AS1", "AS601"]`); empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule ids or prefixes never to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides by rule id (`AS604 = "low"`).
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// `[paths]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathsConfig {
    /// Glob patterns of snapshot paths to skip (`"tests/fixtures/**"`).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `[limits]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Maximum number of files.
    pub max_files: Option<u64>,
    /// Maximum total bytes.
    pub max_total_bytes: Option<u64>,
    /// Maximum bytes of one file.
    pub max_file_bytes: Option<u64>,
    /// Maximum path depth.
    pub max_depth: Option<u32>,
    /// Maximum compression ratio of archive members.
    pub max_compression_ratio: Option<u64>,
}

/// `[gate]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    /// Fail when a finding at or above this severity remains.
    pub fail_on: Option<Severity>,
    /// Fail when the score is below this.
    pub min_score: Option<u8>,
}

impl Config {
    /// Parses a configuration file's text.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, EngineError> {
        let mut config: Config = toml::from_str(text).map_err(|e| EngineError::Config {
            path: origin.display().to_string(),
            message: e.message().to_string(),
        })?;
        config.source = Some(origin.to_path_buf());
        config.validate()?;
        Ok(config)
    }

    /// Loads the configuration: `explicit` if given (must exist), else the first of the
    /// default locations that exists, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, EngineError> {
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => default_locations().into_iter().find(|p| p.is_file()),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| EngineError::Config {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Config::parse(&text, &path)
    }

    fn validate(&self) -> Result<(), EngineError> {
        let origin = self
            .source
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        for pattern in &self.paths.exclude {
            Glob::new(pattern).map_err(|e| EngineError::Config {
                path: origin.clone(),
                message: format!("bad exclude pattern `{pattern}`: {e}"),
            })?;
        }
        for id in self.rules.severity.keys() {
            if assay_rules::find_rule(id).is_none() {
                return Err(EngineError::Config {
                    path: origin.clone(),
                    message: format!("severity override for unknown rule `{id}`"),
                });
            }
        }
        Ok(())
    }

    /// Whether `rule` runs: `select` is empty or names it (by id prefix or name).
    /// `ignore` does not stop a rule from running: its findings are suppressed afterwards,
    /// so that an ignore entry that never matches can be reported.
    pub fn rule_selected(&self, rule: &RuleMeta) -> bool {
        self.rules.select.is_empty()
            || self
                .rules
                .select
                .iter()
                .any(|p| rule_matches(rule.id, rule.name, p))
    }

    /// The severity override for a rule id, if any.
    pub fn severity_override(&self, rule_id: &str) -> Option<Severity> {
        self.rules
            .severity
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(rule_id))
            .map(|(_, sev)| *sev)
    }

    /// The compiled path excludes (always including `.git/`).
    pub fn exclude_set(&self) -> GlobSet {
        let mut builder = GlobSetBuilder::new();
        for pattern in &self.paths.exclude {
            if let Ok(glob) = Glob::new(pattern) {
                builder.add(glob);
            }
        }
        builder.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// Snapshot limits: configured values over the defaults.
    pub fn source_limits(&self) -> assay_source::Limits {
        let defaults = assay_source::Limits::default();
        let l = &self.limits;
        assay_source::Limits {
            max_files: l.max_files.unwrap_or(defaults.max_files),
            max_total_bytes: l.max_total_bytes.unwrap_or(defaults.max_total_bytes),
            max_file_bytes: l.max_file_bytes.unwrap_or(defaults.max_file_bytes),
            max_depth: l.max_depth.unwrap_or(defaults.max_depth),
            max_compression_ratio: l
                .max_compression_ratio
                .unwrap_or(defaults.max_compression_ratio),
        }
    }
}

/// Whether a `select`/`ignore` entry (an id, id prefix or rule name) names the rule
/// with this id and name.
pub fn rule_matches(id: &str, name: &str, pattern: &str) -> bool {
    id.to_ascii_uppercase()
        .starts_with(&pattern.to_ascii_uppercase())
        || name == pattern
}

fn default_locations() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("assay.toml")];
    if let Some(path) = std::env::var_os("ASSAY_CONFIG") {
        out.push(PathBuf::from(path));
    }
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(dir) = config_home {
        out.push(dir.join("assay").join("assay.toml"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_section() {
        let text = r#"
            [rules]
            select = ["AS1", "AS6"]
            ignore = ["AS104"]
            [paths]
            exclude = ["tests/fixtures/**"]
            [limits]
            max_files = 10
            [gate]
            fail_on = "high"
            min_score = 70
        "#;
        let config = Config::parse(text, Path::new("assay.toml")).unwrap();
        assert_eq!(config.rules.select, vec!["AS1", "AS6"]);
        assert_eq!(config.source_limits().max_files, 10);
        assert_eq!(config.gate.fail_on, Some(Severity::High));
        assert!(config.exclude_set().is_match("tests/fixtures/a.js"));
        assert!(!config.exclude_set().is_match("src/a.js"));
    }

    #[test]
    fn rejects_unknown_keys_and_bad_globs() {
        assert!(Config::parse("[rulez]\n", Path::new("a.toml")).is_err());
        let bad = Config::parse("[paths]\nexclude = [\"a[\"]\n", Path::new("a.toml"));
        assert!(bad.unwrap_err().to_string().contains("bad exclude pattern"));
        let sev = Config::parse("[rules.severity]\nAS999 = \"low\"\n", Path::new("a.toml"));
        assert!(sev.unwrap_err().to_string().contains("unknown rule"));
    }
}
