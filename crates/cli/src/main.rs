//! The `assay` command-line interface.
//!
//! Exit codes (see [`exit`]): 0 ok or under the gate, 1 gate tripped, 2 usage or target
//! error, 3 scan incomplete, 130 scan cancelled (Ctrl-C). Machine-readable output goes to
//! stdout or `--output`; progress, logs and errors go to stderr.

mod cli;
mod commands;
mod exit;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Scan(args) => commands::scan::run(*args),
        cli::Command::Rules(args) => commands::rules::run(args),
        cli::Command::Db(args) => commands::db::run(args),
        cli::Command::Serve(args) => commands::serve::run(args),
        cli::Command::Worker(args) => commands::serve::run_worker(args),
        cli::Command::Keys(args) => commands::keys::run(args),
    };
    match result {
        Ok(code) => code.into(),
        Err(err) => {
            // Target and fetch errors carry a stable code (as the service reports them).
            let code = err.chain().find_map(|cause| {
                cause
                    .downcast_ref::<assay_engine::EngineError>()
                    .and_then(|e| match e {
                        assay_engine::EngineError::Source(_)
                        | assay_engine::EngineError::Cancelled => Some(e.code()),
                        _ => None,
                    })
                    .or_else(|| {
                        cause
                            .downcast_ref::<assay_source::SourceError>()
                            .map(|s| s.code())
                    })
            });
            match code {
                Some(code) => eprintln!("assay: error [{code}]: {err:#}"),
                None => eprintln!("assay: error: {err:#}"),
            }
            if code == Some("SCAN_CANCELLED") {
                exit::Code::Cancelled.into()
            } else {
                exit::Code::Error.into()
            }
        }
    }
}
