//! `assay db import|update|status`: the local advisory database.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use assay_advisory::db::{
    self, Database, ImportLimits, ImportProgress, ImportSummary, Input, Status,
};
use assay_advisory::version::Ecosystem;
use assay_core::ProgressEvent;
use assay_source::NetworkPolicy;
use assay_source::osv::download_osv;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cli::{DbAction, DbArgs, DbFormat};
use crate::exit::Code;
use crate::output::emit;
use crate::progress::Progress;

/// Default longest download of one archive: OSV's npm archive is hundreds of MB.
const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(1800);

/// Runs an `assay db` subcommand.
pub fn run(args: DbArgs) -> Result<Code> {
    let dir = db::default_dir().context(
        "cannot locate the data directory: set ASSAY_DATA_DIR (or XDG_DATA_HOME or HOME)",
    )?;
    match args.action {
        DbAction::Import { paths, quiet } => {
            let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
            import(&dir, &inputs, quiet)
        }
        DbAction::Update {
            ecosystem,
            osv_url,
            allow_private_network,
            max_download_bytes,
            fetch_timeout,
            quiet,
        } => {
            let ecosystems = ecosystems(&ecosystem)?;
            let mut policy = NetworkPolicy {
                allow_private_network,
                request_timeout: fetch_timeout
                    .map_or(DEFAULT_FETCH_TIMEOUT, |s| Duration::from_secs(s.max(1))),
                ..NetworkPolicy::default()
            };
            if let Some(max) = max_download_bytes {
                policy.max_download_bytes = max;
            }
            let download = tempfile::Builder::new()
                .prefix("assay-osv-")
                .tempdir()
                .context("cannot create a temporary directory for the download")?;
            let progress = progress(quiet);
            let archives = download_osv(
                &ecosystems,
                &osv_url,
                &policy,
                download.path(),
                &|event: &ProgressEvent| progress.show(event),
            );
            progress.clear();
            let inputs: Vec<Input> = archives?
                .into_iter()
                .map(|archive| Input::downloaded(archive.path, archive.url))
                .collect();
            import(&dir, &inputs, quiet)
        }
        DbAction::Status { format } => status(&dir, format),
    }
}

/// The OSV names of the ecosystems asked for (any case), all of them when none is.
fn ecosystems(asked: &[String]) -> Result<Vec<&'static str>> {
    if asked.is_empty() {
        return Ok(Ecosystem::ALL.map(Ecosystem::as_osv).to_vec());
    }
    let mut names = Vec::new();
    for name in asked.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let Some(known) = Ecosystem::from_osv(name).map(Ecosystem::as_osv) else {
            bail!(
                "unknown ecosystem `{}`; supported: {}",
                name.escape_debug(),
                Ecosystem::ALL.map(Ecosystem::as_osv).join(", ")
            );
        };
        if !names.contains(&known) {
            names.push(known);
        }
    }
    Ok(names)
}

fn progress(quiet: bool) -> Progress {
    Progress::new(!quiet && std::io::stderr().is_terminal())
}

fn import(dir: &Path, inputs: &[Input], quiet: bool) -> Result<Code> {
    let progress = progress(quiet);
    let summary = db::import(
        dir,
        inputs,
        &ImportLimits::default(),
        &mut |event| match event {
            ImportProgress::Reading { origin, records } => {
                progress.line(&format!("reading {origin}: {records} records"), true);
            }
            ImportProgress::Writing => progress.line("writing the database…", false),
        },
    );
    progress.clear();
    let summary = summary?;
    emit(&import_text(&summary, inputs.len(), dir), None)?;
    Ok(Code::Ok)
}

fn import_text(summary: &ImportSummary, inputs: usize, dir: &Path) -> String {
    let s = |n: u64| if n == 1 { "" } else { "s" };
    let mut text = format!(
        "Read {} record{} from {inputs} input{}: {} added, {} updated, {} unchanged, {} older than stored; {} withdrawn ({} removed), {} in other ecosystems, {} malformed\n",
        summary.read,
        s(summary.read),
        s(inputs as u64),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.stale,
        summary.withdrawn,
        summary.removed,
        summary.unsupported,
        summary.malformed,
    );
    for example in &summary.malformed_examples {
        let _ = writeln!(text, "  malformed: {example}");
    }
    if summary.malformed > summary.malformed_examples.len() as u64 {
        let _ = writeln!(
            text,
            "  … and {} more",
            summary.malformed - summary.malformed_examples.len() as u64
        );
    }
    let _ = write!(
        text,
        "Advisory database: {} record{} in {}",
        summary.records,
        s(summary.records),
        dir.display()
    );
    text
}

/// `assay db status --format json`: whether a database is installed, where, and its
/// [`Status`].
#[derive(serde::Serialize)]
struct StatusDocument<'a> {
    installed: bool,
    path: PathBuf,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    status: Option<&'a Status>,
}

fn status(dir: &Path, format: DbFormat) -> Result<Code> {
    let database = Database::open(dir)?;
    let status = database.as_ref().map(Database::status);
    let text = match format {
        DbFormat::Json => serde_json::to_string_pretty(&StatusDocument {
            installed: status.is_some(),
            path: dir.to_path_buf(),
            status,
        })?,
        DbFormat::Table => match status {
            Some(status) => status_text(status, dir),
            None => format!(
                "No advisory database in {}: run `assay db update` (or `assay db import PATH` offline)",
                dir.display()
            ),
        },
    };
    emit(&text, None)?;
    Ok(Code::Ok)
}

fn status_text(status: &Status, dir: &Path) -> String {
    let age = OffsetDateTime::parse(&status.built_at, &Rfc3339)
        .map(|built| age(OffsetDateTime::now_utc() - built))
        .unwrap_or_default();
    let mut text = format!(
        "Advisory database  {}\nBuilt              {}{age}\nRecords            {} ({} packages, {} on disk)\n\n",
        dir.display(),
        status.built_at,
        status.records,
        status.packages,
        size(status.size_bytes),
    );
    let _ = writeln!(
        text,
        "{:<12} {:>9} {:>9} {:>10}",
        "ECOSYSTEM", "RECORDS", "PACKAGES", "MALICIOUS"
    );
    for e in &status.ecosystems {
        let _ = writeln!(
            text,
            "{:<12} {:>9} {:>9} {:>10}",
            e.name, e.records, e.packages, e.malicious
        );
    }
    let _ = write!(text, "\nSources");
    for source in &status.sources {
        let _ = write!(
            text,
            "\n  {}  {} record{}, imported {}",
            source.origin,
            source.records,
            if source.records == 1 { "" } else { "s" },
            source.imported_at
        );
    }
    text
}

/// `512 B`, `4.7 kB`, `38.2 MB`.
fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// ` (3 days ago)`, from the time elapsed.
fn age(elapsed: time::Duration) -> String {
    let minutes = elapsed.whole_minutes().max(0);
    let (n, unit) = match minutes {
        0 => return " (just now)".to_string(),
        1..60 => (minutes, "minute"),
        60..1440 => (minutes / 60, "hour"),
        _ => (minutes / 1440, "day"),
    };
    format!(" ({n} {unit}{} ago)", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(time::Duration::seconds(30)), " (just now)");
        assert_eq!(age(time::Duration::minutes(1)), " (1 minute ago)");
        assert_eq!(age(time::Duration::hours(5)), " (5 hours ago)");
        assert_eq!(age(time::Duration::days(3)), " (3 days ago)");
        assert_eq!(age(time::Duration::minutes(-5)), " (just now)");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(4_674), "4.7 kB");
        assert_eq!(size(38_200_000), "38.2 MB");
    }

    #[test]
    fn ecosystems_are_checked_and_spelled_as_osv_does() {
        assert_eq!(ecosystems(&[]).unwrap(), ["npm", "PyPI", "Go", "crates.io"]);
        let asked = ["pypi".to_string(), "NPM".into(), "PyPI".into()];
        assert_eq!(ecosystems(&asked).unwrap(), ["PyPI", "npm"]);
        let error = ecosystems(&["maven".to_string()]).unwrap_err().to_string();
        assert!(error.contains("unknown ecosystem `maven`"), "{error}");
    }
}
