//! `assay rules` and `assay rules explain ID`.

use anyhow::{Result, bail};
use assay_core::RuleMeta;
use assay_report::{RulesFormat, explain_rule, render_rules};

use crate::cli::{RulesAction, RulesArgs, RulesFormatArg};
use crate::exit::Code;
use crate::output::{emit, use_color};

/// Lists or explains rules.
pub fn run(args: RulesArgs) -> Result<Code> {
    let color = use_color(args.color, false);
    match args.action {
        Some(RulesAction::Explain { id }) => {
            let Some(rule) = assay_rules::find_rule(&id) else {
                bail!("unknown rule `{id}` (run `assay rules` to list them)");
            };
            emit(&explain_rule(rule.meta(), color), None)?;
        }
        None => {
            let rules: Vec<&'static RuleMeta> =
                assay_rules::all_rules().iter().map(|r| r.meta()).collect();
            let format = match args.format {
                RulesFormatArg::Table => RulesFormat::Table,
                RulesFormatArg::Json => RulesFormat::Json,
            };
            emit(&render_rules(&rules, format, color), None)?;
        }
    }
    Ok(Code::Ok)
}
