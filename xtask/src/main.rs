//! Developer tasks.
//!
//! `cargo run -p xtask -- docs` regenerates the files in `docs/` that are derived from
//! code (the rule reference from rule metadata, the report JSON Schema from the report
//! types); `docs --check` fails when they are stale, which CI runs.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use assay_core::RuleMeta;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["docs"] => docs(false),
        ["docs", "--check"] => docs(true),
        _ => bail!("usage: cargo run -p xtask -- docs [--check]"),
    }
}

/// The repository root (the parent of this crate's directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Every generated file with its expected content.
fn generated() -> Vec<(PathBuf, String)> {
    let rules: Vec<&'static RuleMeta> = assay_rules::all_rules().iter().map(|r| r.meta()).collect();
    let mut schema = serde_json::to_string_pretty(&assay_report::report_json_schema())
        .expect("schema serialises");
    schema.push('\n');
    vec![
        (
            root().join("docs/rules.md"),
            assay_report::rules_markdown(&rules),
        ),
        (root().join("docs/report.schema.json"), schema),
    ]
}

fn docs(check: bool) -> Result<()> {
    let mut stale = Vec::new();
    for (path, content) in generated() {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::write(&path, content)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        bail!(
            "generated docs are stale: {} — run `cargo run -p xtask -- docs`",
            stale.join(", ")
        );
    }
    Ok(())
}
