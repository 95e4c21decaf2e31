//! The corpus manifests (`manifest.d/*.toml`): which cases and benign servers exist and
//! what each vulnerable version must produce. The format is documented in
//! `corpus/README.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::metrics::family_of_id;

/// The languages a corpus entry may be written in.
const LANGUAGES: [&str; 4] = ["typescript", "javascript", "python", "go"];

/// One manifest file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    case: Vec<Case>,
    #[serde(default)]
    benign: Vec<Benign>,
}

/// A labelled vulnerable/fixed pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Directory name under `cases/`.
    pub id: String,
    /// `typescript`, `javascript`, `python` or `go`.
    pub language: String,
    /// Rule ids the vulnerable version must produce.
    pub expect: Vec<String>,
    /// Free-form description.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A benign server that must stay clean.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benign {
    /// Directory name under `benign/`.
    pub id: String,
    /// `typescript`, `javascript`, `python` or `go`.
    pub language: String,
    /// Free-form description.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Every manifest of a corpus, merged and sorted by id.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Labelled cases.
    pub cases: Vec<Case>,
    /// Benign servers.
    pub benign: Vec<Benign>,
    /// Directories under `cases/` or `benign/` that no manifest mentions.
    pub unlisted: Vec<String>,
}

impl Manifest {
    /// Reads `root/manifest.d/*.toml` and checks every entry against the directories.
    pub fn load(root: &Path) -> Result<Manifest> {
        let dir = root.join("manifest.d");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
        files.sort();
        let mut manifest = Manifest::default();
        for file in &files {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let parsed: ManifestFile =
                toml::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
            manifest.cases.extend(parsed.case);
            manifest.benign.extend(parsed.benign);
        }
        manifest.cases.sort_by(|a, b| a.id.cmp(&b.id));
        manifest.benign.sort_by(|a, b| a.id.cmp(&b.id));
        manifest.validate(root)?;
        Ok(manifest)
    }

    fn validate(&mut self, root: &Path) -> Result<()> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for (id, language) in self
            .cases
            .iter()
            .map(|c| (&c.id, &c.language))
            .chain(self.benign.iter().map(|b| (&b.id, &b.language)))
        {
            if !seen.insert(id.as_str()) {
                problems.push(format!("{id}: listed more than once"));
            }
            if !LANGUAGES.contains(&language.as_str()) {
                problems.push(format!("{id}: unknown language {language:?}"));
            }
        }
        for case in &self.cases {
            if case.expect.is_empty() {
                problems.push(format!("{}: `expect` is empty", case.id));
            }
            for rule in &case.expect {
                if family_of_id(rule).is_none() {
                    problems.push(format!("{}: {rule:?} is not a rule id", case.id));
                }
            }
            for twin in ["vulnerable", "fixed"] {
                let dir = root.join("cases").join(&case.id).join(twin);
                if !dir.is_dir() {
                    problems.push(format!("{}: missing {}", case.id, dir.display()));
                }
            }
        }
        for benign in &self.benign {
            let dir = root.join("benign").join(&benign.id);
            if !dir.is_dir() {
                problems.push(format!("{}: missing {}", benign.id, dir.display()));
            }
        }
        if !problems.is_empty() {
            bail!("invalid corpus manifest:\n  {}", problems.join("\n  "));
        }
        for sub in ["cases", "benign"] {
            let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            for entry in entries {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if !seen.contains(name.as_str()) {
                    self.unlisted.push(format!("{sub}/{name}"));
                }
            }
        }
        self.unlisted.sort();
        Ok(())
    }
}
