//! The documented exit codes.

use std::process::ExitCode;

/// How `assay` exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// 0: the scan completed and no gate tripped.
    Ok,
    /// 1: `--fail-on` or `--min-score` tripped.
    GateTripped,
    /// 2: usage error or a target/configuration that could not be read.
    Error,
    /// 3: the scan is incomplete (a limit was hit or entries were rejected), so its
    /// result cannot be trusted as clean.
    Incomplete,
    /// 130: the scan was cancelled (Ctrl-C), as shells report an interrupted command.
    Cancelled,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(match code {
            Code::Ok => 0,
            Code::GateTripped => 1,
            Code::Error => 2,
            Code::Incomplete => 3,
            Code::Cancelled => 130,
        })
    }
}
