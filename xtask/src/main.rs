//! Developer tasks.
//!
//! `cargo run -p xtask -- docs` regenerates the files in `docs/` that are derived from
//! code (the rule reference from rule metadata, the report JSON Schema from the report
//! types, the service's OpenAPI document from its handlers); `docs --check` fails when
//! they are stale, which CI runs.
//!
//! `cargo run -p xtask -- eval [corpus]` scans the labelled corpus and prints precision
//! and recall per rule family (see `corpus/README.md`).
//!
//! `cargo run --release -p xtask -- bench advisory` measures the advisory database:
//! import of a synthetic 200 000-record OSV archive, size on disk, and matching 5 000
//! dependencies (see `docs/benchmarks.md`).

mod bench;
mod eval;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use assay_core::RuleMeta;
use clap::{Parser, Subcommand};

/// Developer tasks for the Assay workspace.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the docs derived from code.
    Docs {
        /// Fail instead of writing when a generated file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Scan the labelled corpus and print precision and recall per rule family.
    Eval {
        /// The corpus root (holding `manifest.d/`, `cases/`, `benign/`).
        #[arg(default_value = "corpus")]
        corpus: PathBuf,
        /// Print one JSON document instead of tables.
        #[arg(long)]
        json: bool,
        /// Exit non-zero when overall precision is below this (also gates benign servers).
        #[arg(long, value_name = "RATIO")]
        min_precision: Option<f64>,
        /// Exit non-zero when overall recall is below this (also gates benign servers).
        #[arg(long, value_name = "RATIO")]
        min_recall: Option<f64>,
    },
    /// Run a benchmark that needs the libraries (build with --release).
    Bench {
        /// The benchmark.
        #[command(subcommand)]
        bench: bench::Bench,
    },
}

fn main() -> Result<ExitCode> {
    match Cli::parse().task {
        Task::Docs { check } => docs(check).map(|()| ExitCode::SUCCESS),
        Task::Bench { bench } => bench::run(&bench).map(|()| ExitCode::SUCCESS),
        Task::Eval {
            corpus,
            json,
            min_precision,
            min_recall,
        } => {
            let passed = eval::run(&eval::EvalArgs {
                corpus,
                json,
                min_precision,
                min_recall,
            })?;
            Ok(if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
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
        (
            root().join("docs/openapi.json"),
            assay_server::openapi::pretty(),
        ),
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
